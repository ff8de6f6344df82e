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
	classes := s.cfg.Analytics.DurationClasses
	if len(classes) == 0 {
		classes = analytics.DefaultDurationClasses
	}
	p.Data = overviewTiles(p, cur, prev.Total, classes, s.cfg.Sector)
	p.Charts = append(p.Charts, s.chart(c, p, "trendZVP", func() charts.Snippet { return trendChart(p, trend) }))
	s.render(c, http.StatusOK, p)
}

func overviewTiles(p page, set analytics.KPISet, prev analytics.Group, classes []analytics.DurationClass, sector string) []tile {
	cur := set.Total
	f, pf := cur.Figures, prev.Figures
	long := longCases(f, classes)
	tiles := []tile{
		{Key: "zvp_pct", Label: p.T("zvp"), Value: fmtPct(f.ZVP), Change: change(f.ZVP, pf.ZVP, "pp"), Interval: interval(f.ZVPInterval, "%")},
		{Key: "zmf", Label: p.T("zmf"), Value: fmtNum(f.ZMF, 2), Change: change(f.ZMF, pf.ZMF, ""), Interval: interval(f.ZMFInterval, "")},
		{Key: "gzvd_days", Label: p.T("gzvd"), Value: fmtNum(f.GZVD, 1) + " " + p.T("days"), Change: change(f.GZVD, pf.GZVD, "")},
		{Key: "zero_absence_pct", Label: p.T("zero"), Value: fmtPct(f.ZeroAbsence), Change: change(f.ZeroAbsence, pf.ZeroAbsence, "pp")},
		{Key: "open_cases", Label: p.T("open_cases"), Value: fmtCount(f.OpenCases)},
		{Key: "long_cases", Label: p.T("long_cases"), Value: fmtCount(long)},
		{Key: "vangnet_zvp_pct", Label: p.T("vangnet"), Value: fmtPct(f.VangnetZVP)},
	}
	if f.VangnetShare != nil {
		tiles[len(tiles)-1].Note = fmt.Sprintf(p.T("vangnet_share"), fmtPct(f.VangnetShare))
	}
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
	tiles[0].Benchmark = strings.Join(refs, " · ")
	for i := range tiles {
		if d, ok := analytics.DefinitionOf(tiles[i].Key); ok {
			tiles[i].Definition = d.Formula + " — " + d.Convention
		}
		// A figure with a definition in the user's language shows that one.
		if key := "def_" + tiles[i].Key; p.T(key) != key {
			tiles[i].Definition = p.T(key)
		}
	}
	if cur.Suppressed {
		for i := range tiles {
			tiles[i].Value, tiles[i].Change, tiles[i].Interval, tiles[i].Note = p.T("suppressed"), "", "", ""
		}
	}
	return tiles
}

// longCases counts the cases with a sick day in the period that are longer
// than six weeks (the classes from 43 days on).
func longCases(f analytics.Figures, classes []analytics.DurationClass) *int64 {
	if len(f.DurationClasses) != len(classes) {
		return nil
	}
	var n int64
	for i, c := range f.DurationClasses {
		if c.Cases == nil {
			return nil
		}
		if classes[i].Min > 42 {
			n += *c.Cases
		}
	}
	return &n
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
