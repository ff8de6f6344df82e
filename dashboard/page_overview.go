package dashboard

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
)

// tile is one KPI on the overview.
type tile struct {
	Key        string // the figure's JSON name, also the element id
	Label      string
	Value      string
	Change     string // vs the previous period
	Interval   string
	Benchmark  string
	Note       string // a second figure that explains the first
	Definition string // shown on hover
}

// showOverview answers "how high is absence, against our sector and last
// period": KPI tiles and the monthly trend.
func (s *Server) showOverview(c *gin.Context) {
	v, ok := s.viewOf(c)
	if !ok {
		return
	}
	s.prefetch(c, func(c *gin.Context) { s.kpis(c, v) }, func(c *gin.Context) { s.kpis(c, v.previous()) }, func(c *gin.Context) { s.series(c, v) })
	p, err := s.viewPage(c, "overview", v)
	if err != nil {
		s.serverError(c, err)
		return
	}
	cur, err := s.kpis(c, v)
	if err != nil {
		s.serverError(c, err)
		return
	}
	prev, err := s.kpis(c, v.previous())
	if err != nil {
		s.serverError(c, err)
		return
	}
	trend, err := s.series(c, v)
	if err != nil {
		s.serverError(c, err)
		return
	}
	p.Data = overviewTiles(p, cur, prev.Total, s.cfg.Analytics, s.cfg.Sector)
	p.Charts = append(p.Charts, s.chart(c, p, "trendZVP", func() charts.Snippet { return trendChart(p, trend) }))
	s.render(c, http.StatusOK, p)
}

// overviewTiles are the figures of the catalogue shown on the overview, in
// catalogue order, with the definitions of the thresholds in force.
func overviewTiles(p page, set analytics.KPISet, prev analytics.Group, opt analytics.Options, sector string) []tile {
	cur := set.Total
	defs := map[string]analytics.Definition{}
	for _, d := range analytics.Definitions(opt) {
		defs[d.Key] = d
	}
	var tiles []tile
	for _, fig := range analytics.FiguresShown(analytics.OnOverview) {
		text := defs[fig.Key].In(p.Lang)
		t := tile{Key: fig.Key, Label: text.Label, Value: tileValue(p, fig, cur), Definition: hover(text)}
		if fig.Kind != analytics.KindCount {
			unit := ""
			if fig.Kind == analytics.KindPercent {
				unit = "pp"
			}
			t.Change = change(value(fig, cur), value(fig, prev), unit)
		}
		if fig.HasInterval() {
			unit := ""
			if fig.Kind == analytics.KindPercent {
				unit = "%"
			}
			t.Interval = interval(fig.Interval(cur), unit)
		}
		switch fig.Key {
		case "zvp_pct":
			t.Benchmark = benchmarks(p, set, sector)
		case "vangnet_zvp_pct":
			if cur.VangnetShare != nil {
				t.Note = fmt.Sprintf(p.T("vangnet_share"), fmtPct(cur.VangnetShare))
			}
		}
		if cur.Suppressed {
			t.Value, t.Change, t.Interval, t.Note = p.T("suppressed"), "", "", ""
		}
		tiles = append(tiles, t)
	}
	return tiles
}

// tileValue shows a figure as its kind asks: a percentage, a count, days or
// a number with the catalogue's decimals.
func tileValue(p page, fig analytics.Figure, g analytics.Group) string {
	v := value(fig, g)
	switch fig.Kind {
	case analytics.KindPercent:
		return fmtPct(v)
	case analytics.KindCount:
		if v == nil {
			return fmtCount(nil)
		}
		return fmtCount(new(int64(*v)))
	case analytics.KindDays:
		return fmtNum(v, fig.Decimals) + " " + p.T("days")
	}
	return fmtNum(v, fig.Decimals)
}

func value(fig analytics.Figure, g analytics.Group) *float64 {
	if v, ok := fig.Value(g); ok {
		return &v
	}
	return nil
}

// hover is a tile's definition: the plain summary where there is one, else
// the formula and the convention.
func hover(t analytics.Text) string {
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
func benchmarks(p page, set analytics.KPISet, sector string) string {
	var refs []string
	for _, key := range []string{"national", sector} {
		b, ok := analytics.Comparable(key, set.Period.From, set.Period.To)
		if !ok || key == "" {
			continue
		}
		label := b.Label
		if key == "national" {
			label = p.T("national")
		}
		kind := fmt.Sprintf("%s %d", p.T("year"), b.Year)
		if q := b.Quarter(); q > 0 {
			kind = fmt.Sprintf("Q%d %d", q, b.Year)
		}
		refs = append(refs, fmt.Sprintf("%s, %s: %s", label, kind, fmtPct(&b.ZVP)))
	}
	return strings.Join(refs, " · ")
}

func trendChart(p page, s analytics.SeriesResult) charts.Snippet {
	labels := make([]string, len(s.Points))
	cur := make([]*float64, len(s.Points))
	prev := make([]*float64, len(s.Points))
	roll := make([]*float64, len(s.Points))
	for i, pt := range s.Points {
		labels[i] = pt.Label
		cur[i], prev[i], roll[i] = pt.Current.ZVP, pt.PreviousYear.ZVP, pt.Rolling12.ZVP
	}
	return charts.Trend("trendZVP", "%", labels,
		charts.TrendSeries{Name: p.T("this_year"), Values: cur},
		charts.TrendSeries{Name: p.T("previous_year"), Values: prev, Dashed: true},
		charts.TrendSeries{Name: p.T("rolling"), Values: roll})
}

func fmtPct(v *float64) string        { return templateFuncs["pct"].(func(*float64) string)(v) }
func fmtCount(v *int64) string        { return templateFuncs["count"].(func(*int64) string)(v) }
func fmtNum(v *float64, d int) string { return templateFuncs["num"].(func(*float64, int) string)(v, d) }

func change(cur, prev *float64, unit string) string {
	if cur == nil || prev == nil {
		return ""
	}
	d := *cur - *prev
	sign := "+"
	if d < 0 {
		sign = "−"
		d = -d
	}
	return sign + fmtNum(&d, 2) + unit
}

func interval(iv *analytics.Interval, unit string) string {
	if iv == nil {
		return ""
	}
	return fmt.Sprintf("%s – %s%s", fmtNum(&iv.Low, 2), fmtNum(&iv.High, 2), unit)
}
