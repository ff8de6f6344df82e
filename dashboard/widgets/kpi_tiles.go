package widgets

import (
	"context"
	"fmt"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/verzuim/absence/analytics"
)

// KPITiles are the overview's tiles: every figure of the catalogue shown on
// the overview (analytics.OnOverview), in catalogue order, with the change
// against the previous period and the definition on hover. A figure added
// to the catalogue for the overview shows here without a change to this
// file. A figure that needs a setting (analytics.IfSet: the cost of absence
// needs a wage cost) has no tile while the total has no value: the people
// who read the overview cannot change the configuration, so a tile saying
// "not configured" would only be noise; the figure's definition says where
// it comes from.
type KPITiles struct {
	cur, prev analytics.KPISet
}

// Tile is one KPI on the overview.
type Tile struct {
	Key        string // the figure's JSON name, also the element id
	Label      string
	Value      string
	Change     string // vs the previous period
	Interval   string
	Benchmark  string
	Note       string // a second figure that explains the first
	Definition string // shown on hover
}

func (*KPITiles) Name() string { return "kpiTiles" }

func (w *KPITiles) Load(ctx context.Context, d Deps, v View) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { w.cur, err = KPIs.Get(ctx, d, v); return err })
	g.Go(func() (err error) { w.prev, err = KPIs.Get(ctx, d, v.Previous()); return err })
	return g.Wait()
}

func (w *KPITiles) Render(d Deps, v View) Output {
	cur, prev := w.cur.Total, w.prev.Total
	defs := map[string]analytics.Definition{}
	for _, def := range analytics.Definitions(d.Options) {
		defs[def.Key] = def
	}
	var tiles []Tile
	for _, fig := range analytics.FiguresShown(analytics.OnOverview) {
		if _, ok := fig.Value(cur); fig.Show&analytics.IfSet != 0 && !ok && !cur.Suppressed {
			continue
		}
		text := defs[fig.Key].In(v.Lang)
		t := Tile{Key: fig.Key, Label: text.Label, Value: tileValue(v, fig, cur), Definition: Hover(text)}
		if fig.Kind != analytics.KindCount {
			t.Change = change(v.Lang, fig, value(fig, cur), value(fig, prev))
		}
		if fig.HasInterval() {
			unit := ""
			if fig.Kind == analytics.KindPercent {
				unit = "%"
			}
			t.Interval = interval(v.Lang, fig.Interval(cur), unit)
		}
		switch fig.Key {
		case "zvp_pct":
			t.Benchmark = benchmarks(v, w.cur, d.Sector)
		case "vangnet_zvp_pct":
			if cur.VangnetShare != nil {
				t.Note = fmt.Sprintf(v.T("vangnet_share"), Pct(v.Lang, cur.VangnetShare))
			}
		}
		if cur.Suppressed {
			t.Value, t.Change, t.Interval, t.Note = v.T("suppressed"), "", "", ""
		}
		tiles = append(tiles, t)
	}
	return Output{Data: tiles}
}

// tileValue shows a figure as its kind asks: a percentage, a count, days or
// a number with the catalogue's decimals.
func tileValue(v View, fig analytics.Figure, g analytics.Group) string {
	x := value(fig, g)
	switch fig.Kind {
	case analytics.KindPercent:
		return Pct(v.Lang, x)
	case analytics.KindCount:
		if x == nil {
			return Count(nil)
		}
		return Count(new(int64(*x)))
	case analytics.KindDays:
		return Num(v.Lang, x, fig.Decimals) + " " + v.T("days")
	}
	if fig.EN.Unit == "euro" {
		return Euro(v.Lang, x)
	}
	return Num(v.Lang, x, fig.Decimals)
}

func value(fig analytics.Figure, g analytics.Group) *float64 {
	if v, ok := fig.Value(g); ok {
		return &v
	}
	return nil
}

// Hover is a tile's definition: the plain summary where there is one, else
// the formula and the convention.
func Hover(t analytics.Text) string {
	if t.Summary != "" {
		return t.Summary
	}
	parts := []string{t.Formula}
	if t.Convention != "" {
		parts = append(parts, t.Convention)
	}
	return strings.Join(parts, " — ")
}

// benchmarks are the CBS national and sector figures comparable with the
// period, for the absence rate.
func benchmarks(v View, set analytics.KPISet, sector string) string {
	var refs []string
	for _, key := range []string{"national", sector} {
		b, ok := analytics.Comparable(key, set.Period.From, set.Period.To)
		if !ok || key == "" {
			continue
		}
		label := v.T("bench_" + key)
		if key == "national" {
			label = v.T("national")
		}
		kind := fmt.Sprintf("%s %d", v.T("year"), b.Year)
		if q := b.Quarter(); q > 0 {
			kind = fmt.Sprintf("Q%d %d", q, b.Year)
		}
		refs = append(refs, fmt.Sprintf("%s, %s: %s", label, kind, Pct(v.Lang, &b.ZVP)))
	}
	return strings.Join(refs, " · ")
}

// change is the difference with the previous period, signed, in the
// figure's own unit: percentage points, euros or a number.
func change(lang string, fig analytics.Figure, cur, prev *float64) string {
	if cur == nil || prev == nil {
		return ""
	}
	d := *cur - *prev
	sign := "+"
	if d < 0 {
		sign = "−"
		d = -d
	}
	switch {
	case fig.Kind == analytics.KindPercent:
		return sign + Num(lang, &d, 2) + "pp"
	case fig.EN.Unit == "euro":
		return sign + Euro(lang, &d)
	}
	return sign + Num(lang, &d, 2)
}

func interval(lang string, iv *analytics.Interval, unit string) string {
	if iv == nil {
		return ""
	}
	return Between(Num(lang, &iv.Low, 2), Num(lang, &iv.High, 2)) + unit
}
