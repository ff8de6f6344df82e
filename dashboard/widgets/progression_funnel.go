package widgets

import (
	"context"
	"fmt"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
)

// ProgressionFunnel is the share of cases still absent at the usual
// durations, from a week to two years.
type ProgressionFunnel struct{ prog analytics.ProgressionResult }

func (*ProgressionFunnel) Name() string { return "progressionFunnel" }

func (w *ProgressionFunnel) Load(ctx context.Context, d Deps, v View) (err error) {
	w.prog, err = Progression.Get(ctx, d, v)
	return err
}

func (w *ProgressionFunnel) Render(d Deps, v View) Output {
	return one(chart(d, v, w.Name(), func() charts.Snippet {
		var stages []charts.Stage
		for _, sa := range w.prog.Total.StillAbsent {
			stages = append(stages, charts.Stage{Name: durationLabel(v, sa.Days), Value: sa.Pct})
		}
		return charts.Funnel(w.Name(), stages)
	}), nil)
}

func durationLabel(v View, days int) string {
	switch {
	case days%7 == 0 && days >= 14 && days < 365:
		return fmt.Sprintf("%d %s", days/7, v.T("weeks"))
	case days == 365:
		return "1 " + v.T("year")
	case days == 728:
		return "104 " + v.T("weeks")
	}
	return fmt.Sprintf("%d %s", days, v.T("days"))
}
