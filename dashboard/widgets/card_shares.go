package widgets

import (
	"fmt"
	"math"

	"github.com/verzuim/absence/dashboard/charts"
)

// CardShares is the share back at the own employer 3, 6 and 12 months
// after the landmark day, with and without the intervention (the weighted
// landmark comparison), as a table and a chart.
type CardShares struct{ cardSection }

// CardSharesData is the section as its template shows it.
type CardSharesData struct {
	Hint string
	Why  string // suppressed: the reason, and no figures
	Rows []ShareRow
}

// ShareRow is one time after the landmark: the share back in each group,
// or "not yet known" when the group was not followed that long.
type ShareRow struct{ After, Treated, Control string }

func (*CardShares) Name() string { return "cardShares" }

func (w *CardShares) Render(d Deps, v View) Output {
	f := w.fig
	var out CardSharesData
	if f.Given() {
		out.Hint = fmt.Sprintf(v.T("card_shares_hint"), f.Landmark())
	}
	e, ok := shown(f.IPW, f.Cox)
	if !ok {
		out.Why = Why(v, f.IPW.Reason)
		return Output{Data: out}
	}
	share := func(p *float64) string {
		if p == nil {
			return v.T("card_not_followed")
		}
		return Pct(v.Lang, p)
	}
	var labels []string
	treated := charts.BarSeries{Name: With(v, f.Type)}
	control := charts.BarSeries{Name: v.T("card_without")}
	for _, s := range e.BackAtOwnEmployer {
		after := fmt.Sprintf(v.T("card_months_after"), int(math.Round(float64(s.Days)/30.4)))
		out.Rows = append(out.Rows, ShareRow{after, share(s.Treated), share(s.Control)})
		labels = append(labels, after)
		treated.Values = append(treated.Values, s.Treated)
		control.Values = append(control.Values, s.Control)
	}
	c := chart(d, v.ThreeYears(), w.Name()+"/"+f.Type+"/"+f.Provider, func() charts.Snippet {
		return charts.GroupedBars(w.Name(), fmt.Sprintf(v.T("card_shares_axis"), f.Landmark()), "%", 100, labels, []charts.BarSeries{treated, control})
	})
	return one(c, out)
}
