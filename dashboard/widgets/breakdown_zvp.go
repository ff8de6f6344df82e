package widgets

import (
	"context"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
)

// BreakdownZVP is the absence rate per group of v.By; a click on a
// department drills down to its teams. Suppressed groups show as
// suppressed, never as zero.
type BreakdownZVP struct{ res analytics.BreakdownResult }

// BreakdownData is what the template's table shows.
type BreakdownData struct {
	Dimension  analytics.Dimension
	Dimensions []analytics.Dimension
	Result     analytics.BreakdownResult
}

func (*BreakdownZVP) Name() string { return "breakdownZVP" }

func (w *BreakdownZVP) Load(ctx context.Context, d Deps, v View) (err error) {
	w.res, err = Breakdown(v.By).Get(ctx, d, v)
	return err
}

func (w *BreakdownZVP) Render(d Deps, v View) Output {
	snip := chart(d, v, w.Name()+"/"+string(v.By), func() charts.Snippet {
		bars := make([]charts.Bar, len(w.res.Groups))
		for i, g := range w.res.Groups {
			bars[i] = charts.Bar{Name: g.Key, Value: g.ZVP, Suppressed: g.Suppressed}
			if v.By == analytics.ByTeam && g.Parent != "" {
				bars[i].Name = g.Parent + " / " + g.Key
			}
			if v.By == analytics.ByDepartment && !g.Suppressed {
				bars[i].Link = v.Href("/breakdown", "dept", g.Key, "team", "", "by", analytics.ByTeam)
			}
		}
		return charts.Bars(w.Name(), v.T("dim_"+string(v.By)), v.T("zvp")+" (%)", v.T("suppressed"), charts.Percent, bars)
	})
	return one(snip, BreakdownData{Dimension: v.By, Dimensions: analytics.Dimensions, Result: w.res})
}
