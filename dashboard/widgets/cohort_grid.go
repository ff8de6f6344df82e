package widgets

import (
	"context"
	"fmt"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
)

// CohortGrid is the % still absent by week since the first sick day
// (columns) per cohort of first sick day (rows).
type CohortGrid struct{ prog analytics.ProgressionResult }

func (*CohortGrid) Name() string { return "cohortGrid" }

func (w *CohortGrid) Load(ctx context.Context, d Deps, v View) (err error) {
	w.prog, err = Progression.Get(ctx, d, v)
	return err
}

func (w *CohortGrid) Render(d Deps, v View) Output {
	return one(chart(d, v, w.Name(), func() charts.Snippet {
		r := w.prog
		weeks := make([]string, r.GridWeeks)
		for i := range weeks {
			weeks[i] = fmt.Sprint(i + 1)
		}
		var rows []string
		var cells []charts.Cell
		for y, co := range r.Cohorts {
			rows = append(rows, co.Cohort)
			for x, pct := range co.Grid {
				cells = append(cells, charts.Cell{X: x, Y: y, Value: pct})
			}
		}
		return charts.Heatmap(w.Name(), v.T("axis_week_since_report"), v.T("axis_cohort"), charts.Percent, weeks, rows, cells, 0, 30, false)
	}), nil)
}
