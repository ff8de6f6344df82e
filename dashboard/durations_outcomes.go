package dashboard

import (
	"fmt"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
)

// The Verzuimduur page's section on how cases end: per group a stacked
// chart of the shares still absent and ended in each way, and what became
// of the cases absent for more than a year.

// outcomesSection is what the template needs of it.
type outcomesSection struct {
	Result analytics.OutcomesResult
	By     analytics.Dimension
	States []string          // the columns of Long: the ways of ending, then still absent
	Links  []dimensionChoice // breakdown by another dimension
	Charts []endsChart
	Long   []longCaseRow
}

type dimensionChoice struct {
	Label, Href string
	Active      bool
}

// endsChart is one group's stacked chart, or its name when suppressed.
type endsChart struct {
	Name       string
	Suppressed bool
	Chart      charts.Snippet
}

// longCaseRow is one group's long cases: how many, and per way "n (share)".
type longCaseRow struct {
	Name       string
	Suppressed bool
	N          *int64
	Cells      []string
}

// stateColors keeps every chart's states in the same colours.
var stateColors = map[string]string{
	analytics.EndOwnEmployer: "#2e8b57", analytics.EndSecondTrack: "#4e79a7", analytics.EndWIA: "#e15759",
	analytics.EndEmploymentEnded: "#f28e2b", analytics.EndOther: "#b07aa1", analytics.StateStillAbsent: "#bab0ac",
}

// buildOutcomes turns the result into charts (registered on the page) and
// table rows. The ways of ending stack from the bottom, still absent on top.
func (s *Server) buildOutcomes(c *gin.Context, p *page, res analytics.OutcomesResult, by analytics.Dimension) outcomesSection {
	sec := outcomesSection{Result: res, By: by, States: slices.Concat(analytics.CaseEnds, []string{analytics.StateStillAbsent})}
	q := c.Request.URL.Query() // kept as asked, so the default period stays the default
	q.Del("by")
	sec.Links = append(sec.Links, dimensionChoice{p.T("outcome_total"), "/durations?" + q.Encode() + "#outcomes", by == ""})
	for _, d := range analytics.Dimensions {
		q.Set("by", string(d))
		sec.Links = append(sec.Links, dimensionChoice{p.T("dim_" + string(d)), "/durations?" + q.Encode() + "#outcomes", by == d})
	}
	type steps struct {
		days   []int
		shares map[string][]float64
	}
	curves := map[string]*steps{}
	for _, e := range res.CumulativeIncidence {
		k := groupName(e.Group, e.Parent)
		pt := curves[k]
		if pt == nil {
			pt = &steps{days: []int{0}, shares: map[string][]float64{analytics.StateStillAbsent: {1}}}
			for _, st := range analytics.CaseEnds {
				pt.shares[st] = []float64{0}
			}
			curves[k] = pt
		}
		if e.Estimate == nil {
			continue // beyond the follow-up
		}
		if pt.days[len(pt.days)-1] != e.T {
			pt.days = append(pt.days, e.T)
		}
		pt.shares[e.Outcome] = append(pt.shares[e.Outcome], *e.Estimate)
	}
	long := map[string]map[string]analytics.LongCaseCount{}
	for _, l := range res.LongCases {
		k := groupName(l.Group, l.Parent)
		if long[k] == nil {
			long[k] = map[string]analytics.LongCaseCount{}
		}
		long[k][l.Outcome] = l
	}
	for i, g := range res.Groups {
		key, name := groupName(g.Group, g.Parent), groupName(g.Group, g.Parent)
		if g.Group == analytics.TotalKey {
			name = p.T("outcome_total")
		}
		oc := endsChart{Name: name, Suppressed: g.Suppressed}
		if pt := curves[key]; !g.Suppressed && pt != nil {
			series := make([]charts.ShareSeries, len(sec.States))
			for j, st := range sec.States {
				series[j] = charts.ShareSeries{Name: p.T("state_" + st), Color: stateColors[st], Values: pt.shares[st]}
			}
			id := fmt.Sprintf("caseOutcomes%d", i)
			if i == 0 {
				id = "caseOutcomes"
			}
			// The period can be widened (interventionView), which the
			// page's view does not show: it goes into the cache key.
			oc.Chart = s.chart(c, *p, id+"/"+string(by)+"/"+res.From.Format(time.DateOnly), func() charts.Snippet {
				return charts.StackedShares(id, p.T("days"), pt.days, series)
			})
			p.Charts = append(p.Charts, oc.Chart)
		}
		sec.Charts = append(sec.Charts, oc)
		row := longCaseRow{Name: name, Suppressed: g.Suppressed || g.LongSuppressed, N: g.LongCases}
		for _, st := range sec.States {
			cell := "–"
			if l, ok := long[key][st]; ok {
				cell = fmt.Sprintf("%d (%s)", l.N, fmtPct(new(100*l.Share)))
			}
			row.Cells = append(row.Cells, cell)
		}
		sec.Long = append(sec.Long, row)
	}
	return sec
}

func groupName(group, parent string) string {
	if parent != "" {
		return parent + " / " + group
	}
	return group
}
