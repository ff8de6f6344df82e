package widgets

import (
	"context"
	"fmt"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
)

// ProgressionMilestones is the share of cases still absent at the
// milestones, from a week to two years. It reads three years of cases
// unless the user chose a period: cases of the last twelve months cannot
// have reached one year, let alone 104 weeks, so the chart stopped at 13
// weeks.
type ProgressionMilestones struct{ prog analytics.ProgressionResult }

func (*ProgressionMilestones) Name() string { return "progressionMilestones" }

func (w *ProgressionMilestones) Load(ctx context.Context, d Deps, v View) (err error) {
	w.prog, err = Progression.Get(ctx, d, v.ThreeYears())
	return err
}

// ProgressionData says which cases the chart covers.
type ProgressionData struct{ From, To analytics.Date }

func (w *ProgressionMilestones) Render(d Deps, v View) Output {
	v = v.ThreeYears()
	return one(chart(d, v, w.Name(), func() charts.Snippet {
		var stages []charts.Stage
		for _, sa := range w.prog.Total.StillAbsent {
			stages = append(stages, charts.Stage{Name: durationLabel(v, sa.Days), Value: sa.Pct})
		}
		return charts.Milestones(w.Name(), v.T("axis_duration"), "% "+v.T("still_absent"), stages)
	}), ProgressionData{From: w.prog.From, To: w.prog.To})
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
