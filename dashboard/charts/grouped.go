package charts

import (
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// BarSeries is one series of grouped bars: its value per category, nil
// for none (a gap, never a zero).
type BarSeries struct {
	Name   string
	Values []*float64
}

// GroupedBars shows the series side by side per category (e.g. the share
// back at work 3, 6 and 12 months on, with and without an intervention),
// with each value written on its bar; category names the x axis.
func GroupedBars(id, category, unit string, max float64, categories []string, series []BarSeries) Snippet {
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		charts.WithXAxisOpts(opts.XAxis{Name: category, Type: "category", NameLocation: "middle", NameGap: 25}),
		charts.WithYAxisOpts(opts.YAxis{Name: unit, Type: "value", Min: 0, Max: max}),
		charts.WithGridOpts(opts.Grid{Top: "50", Left: "8%", Right: "4%"}),
	)
	bar.SetXAxis(categories)
	for _, s := range series {
		data := make([]opts.BarData, len(s.Values))
		for i, v := range s.Values {
			if v != nil {
				v = new(math.Round(*v*10) / 10) // as the table beside it
			}
			data[i] = opts.BarData{Value: value(v)}
		}
		bar.AddSeries(s.Name, data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top"}))
	}
	return snippet(id, "300px", bar, Number{Decimals: 1, Unit: unit}, nil)
}
