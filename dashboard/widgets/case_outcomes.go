package widgets

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
)

// CaseOutcomes is how cases end: per group (v.By) a stacked chart of the
// shares still absent and ended in each way over time, and what became of
// the cases absent for more than a year. The default period is three years
// (View.ThreeYears).
type CaseOutcomes struct{ res analytics.OutcomesResult }

// OutcomesData is what the template shows.
type OutcomesData struct {
	Result analytics.OutcomesResult
	By     analytics.Dimension
	States []string          // the columns of Long: the ways of ending, then still absent
	Links  []DimensionChoice // breakdown by another dimension
	Charts []EndsChart
	Long   []LongCaseRow
}

// DimensionChoice is a link to the same section by another dimension.
type DimensionChoice struct {
	Label, Href string
	Active      bool
}

// EndsChart is one group's stacked chart, or its name when suppressed.
type EndsChart struct {
	Name       string
	Suppressed bool
	Chart      charts.Snippet
}

// LongCaseRow is one group's long cases: how many, and per way "n (share)".
type LongCaseRow struct {
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

func (*CaseOutcomes) Name() string { return "caseOutcomes" }

func (w *CaseOutcomes) Load(ctx context.Context, d Deps, v View) (err error) {
	w.res, err = Outcomes(v.By).Get(ctx, d, v.ThreeYears())
	return err
}

// steps is one group's stacked shares: the days at which a case ended, and
// per state its share at each of them.
type steps struct {
	days   []int
	shares map[string][]float64
}

// Render stacks the ways of ending from the bottom, still absent on top.
func (w *CaseOutcomes) Render(d Deps, v View) Output {
	res := w.res
	out := OutcomesData{Result: res, By: v.By, States: slices.Concat(analytics.CaseEnds, []string{analytics.StateStillAbsent}), Links: w.links(v)}
	curves := w.curves()
	long := map[string]map[string]analytics.LongCaseCount{}
	for _, l := range res.LongCases {
		k := groupName(l.Group, l.Parent)
		if long[k] == nil {
			long[k] = map[string]analytics.LongCaseCount{}
		}
		long[k][l.Outcome] = l
	}
	var snips []charts.Snippet
	for i, g := range res.Groups {
		key, name := groupName(g.Group, g.Parent), groupName(g.Group, g.Parent)
		if g.Group == analytics.TotalKey {
			name = v.T("outcome_total")
		}
		oc := EndsChart{Name: name, Suppressed: g.Suppressed}
		if pt := curves[key]; !g.Suppressed && pt != nil {
			series := make([]charts.ShareSeries, len(out.States))
			for j, st := range out.States {
				series[j] = charts.ShareSeries{Name: v.T("state_" + st), Color: stateColors[st], Values: pt.shares[st]}
			}
			id := w.Name()
			if i > 0 {
				id = fmt.Sprintf("%s%d", w.Name(), i)
			}
			// The period is widened (ThreeYears): it goes into the key.
			oc.Chart = chart(d, v.ThreeYears(), id+"/"+string(v.By), func() charts.Snippet {
				return charts.StackedShares(id, v.T("days"), pt.days, series)
			})
			snips = append(snips, oc.Chart)
		}
		out.Charts = append(out.Charts, oc)
		row := LongCaseRow{Name: name, Suppressed: g.Suppressed || g.LongSuppressed, N: g.LongCases}
		for _, st := range out.States {
			cell := "–"
			if l, ok := long[key][st]; ok {
				cell = fmt.Sprintf("%d (%s)", l.N, Pct(v.Lang, new(100*l.Share)))
			}
			row.Cells = append(row.Cells, cell)
		}
		out.Long = append(out.Long, row)
	}
	return Output{Charts: snips, Data: out}
}

// links are the section by every dimension, the query kept as asked so the
// default period stays the default.
func (w *CaseOutcomes) links(v View) []DimensionChoice {
	q := maps.Clone(v.Query)
	if q == nil {
		q = map[string][]string{}
	}
	q.Del("by")
	links := []DimensionChoice{{v.T("outcome_total"), "/durations?" + q.Encode() + "#outcomes", v.By == ""}}
	for _, d := range analytics.Dimensions {
		q.Set("by", string(d))
		links = append(links, DimensionChoice{v.T("dim_" + string(d)), "/durations?" + q.Encode() + "#outcomes", v.By == d})
	}
	return links
}

// curves are the stacked shares per group.
func (w *CaseOutcomes) curves() map[string]*steps {
	curves := map[string]*steps{}
	for _, e := range w.res.CumulativeIncidence {
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
	return curves
}

func groupName(group, parent string) string {
	if parent != "" {
		return parent + " / " + group
	}
	return group
}
