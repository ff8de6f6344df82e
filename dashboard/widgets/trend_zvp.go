package widgets

import (
	"context"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
)

// TrendZVP is the monthly absence rate with the previous year and the
// rolling 12 months.
type TrendZVP struct{ series analytics.SeriesResult }

func (*TrendZVP) Name() string { return "trendZVP" }

func (w *TrendZVP) Load(ctx context.Context, d Deps, v View) (err error) {
	w.series, err = Series.Get(ctx, d, v)
	return err
}

func (w *TrendZVP) Render(d Deps, v View) Output {
	return one(chart(d, v, w.Name(), func() charts.Snippet {
		s := w.series
		labels := make([]string, len(s.Points))
		cur := make([]*float64, len(s.Points))
		prev := make([]*float64, len(s.Points))
		roll := make([]*float64, len(s.Points))
		for i, pt := range s.Points {
			labels[i] = pt.Label
			cur[i], prev[i], roll[i] = pt.Current.ZVP, pt.PreviousYear.ZVP, pt.Rolling12.ZVP
		}
		return charts.Trend(w.Name(), v.T("axis_month"), v.T("zvp")+" (%)", charts.Percent, labels,
			charts.TrendSeries{Name: v.T("this_year"), Values: cur},
			charts.TrendSeries{Name: v.T("previous_year"), Values: prev, Dashed: true},
			charts.TrendSeries{Name: v.T("rolling"), Values: roll})
	}), nil)
}
