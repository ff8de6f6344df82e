package widgets

import (
	"context"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
)

// DurationClasses is the absence rate per duration class of the case.
type DurationClasses struct{ kpis analytics.KPISet }

func (*DurationClasses) Name() string { return "durationClasses" }

func (w *DurationClasses) Load(ctx context.Context, d Deps, v View) (err error) {
	w.kpis, err = KPIs.Get(ctx, d, v)
	return err
}

func (w *DurationClasses) Render(d Deps, v View) Output {
	return one(chart(d, v, w.Name(), func() charts.Snippet {
		g := w.kpis.Total
		bars := make([]charts.Bar, len(g.DurationClasses))
		for i, cl := range g.DurationClasses {
			bars[i] = charts.Bar{Name: cl.Label + " " + v.T("days"), Value: cl.ZVP, Suppressed: g.Suppressed}
		}
		return charts.Bars(w.Name(), v.T("axis_duration_class"), v.T("zvp")+" (%)", v.T("suppressed"), charts.Percent, bars)
	}), nil)
}
