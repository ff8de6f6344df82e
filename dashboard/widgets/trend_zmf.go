package widgets

import (
	"context"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
)

// TrendZMF is the monthly notification frequency with the previous year.
type TrendZMF struct{ series analytics.SeriesResult }

func (*TrendZMF) Name() string { return "trendZMF" }

func (w *TrendZMF) Load(ctx context.Context, d Deps, v View) (err error) {
	w.series, err = Series.Get(ctx, d, v)
	return err
}

func (w *TrendZMF) Render(d Deps, v View) Output {
	return one(chart(d, v, w.Name(), func() charts.Snippet {
		s := w.series
		labels := make([]string, len(s.Points))
		cur := make([]*float64, len(s.Points))
		prev := make([]*float64, len(s.Points))
		for i, pt := range s.Points {
			labels[i] = pt.Label
			cur[i], prev[i] = pt.Current.ZMF, pt.PreviousYear.ZMF
		}
		return charts.Trend(w.Name(), v.T("axis_month"), v.T("zmf")+" ("+v.T("per_year")+")", charts.Number{Decimals: 2}, labels,
			charts.TrendSeries{Name: v.T("this_year"), Values: cur},
			charts.TrendSeries{Name: v.T("previous_year"), Values: prev, Dashed: true})
	}), nil)
}
