package widgets

import (
	"context"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
)

// RecoveryFromStart is per type of intervention the share still absent by
// day since the intervention started. The default period is three years.
type RecoveryFromStart struct{ res analytics.InterventionsResult }

func (*RecoveryFromStart) Name() string { return "recoveryFromStart" }

func (w *RecoveryFromStart) Load(ctx context.Context, d Deps, v View) (err error) {
	w.res, err = Interventions.Get(ctx, d, v.ThreeYears())
	return err
}

func (w *RecoveryFromStart) Render(d Deps, v View) Output {
	return one(chart(d, v.ThreeYears(), w.Name(), func() charts.Snippet {
		var curves []charts.StepCurve
		for _, g := range typeGroups(w.res) {
			if g.Suppressed {
				continue
			}
			points := make([]charts.StepPoint, len(g.Recovery.Points))
			for i, pt := range g.Recovery.Points {
				points[i] = charts.StepPoint{T: pt.T, Value: pt.Surv}
			}
			curves = append(curves, charts.StepCurve{Name: v.T("iv_" + g.Type), Points: points})
		}
		return charts.Survival(w.Name(), v.T("days_since_start"), "% "+v.T("still_absent"), curves)
	}), nil)
}
