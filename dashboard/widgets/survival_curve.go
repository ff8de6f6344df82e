package widgets

import (
	"context"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
)

// SurvivalCurve is the share of cases still absent by day since the first
// sick day, with its interval, the median and the numbers at risk.
type SurvivalCurve struct{ surv analytics.SurvivalResult }

// SurvivalData is what the template shows beside the chart.
type SurvivalData struct {
	Total  analytics.Curve
	AtRisk []AtRisk
}

// AtRisk is the number of cases still observed at a day of the curve.
type AtRisk struct {
	Day   int
	NRisk int64
}

var atRiskDays = []int{0, 7, 42, 91, 182, 365, 728}

func (*SurvivalCurve) Name() string { return "survivalCurve" }

func (w *SurvivalCurve) Load(ctx context.Context, d Deps, v View) (err error) {
	w.surv, err = Survival.Get(ctx, d, v)
	return err
}

func (w *SurvivalCurve) Render(d Deps, v View) Output {
	c := w.surv.Total
	snip := chart(d, v, w.Name(), func() charts.Snippet {
		points := make([]charts.StepPoint, len(c.Points))
		for i, pt := range c.Points {
			points[i] = charts.StepPoint{T: pt.T, Value: pt.Surv, Lower: pt.Lower, Upper: pt.Upper}
		}
		return charts.Survival(w.Name(), v.T("days"), "% "+v.T("still_absent"), []charts.StepCurve{{Name: v.T("still_absent"), Points: points, Band: true}})
	})
	return one(snip, SurvivalData{Total: c, AtRisk: atRiskOf(c)})
}

// atRiskOf reads the numbers at risk off a curve at the usual days: the
// cases observed at least that long.
func atRiskOf(c analytics.Curve) []AtRisk {
	var out []AtRisk
	for _, d := range atRiskDays {
		var n int64
		for _, pt := range c.Points { // points are in time order
			if pt.T >= d {
				n = pt.NRisk
				break
			}
		}
		out = append(out, AtRisk{d, n})
	}
	return out
}
