package charts

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Stack is one part of stacked bars: its value per category.
type Stack struct {
	Name   string
	Values []*float64
}

// StackedBars shows shares per category (e.g. the outcome mix per
// intervention type), horizontally, each bar adding up to its total; the
// categories' axis is named category.
func StackedBars(id, category, unit string, categories []string, stacks []Stack) Snippet {
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0", Type: "scroll"}),
		charts.WithXAxisOpts(opts.XAxis{Name: unit, Type: "value", Max: 100}),
		charts.WithYAxisOpts(opts.YAxis{Name: category, Type: "category", Data: categories, Inverse: opts.Bool(true)}),
		charts.WithGridOpts(opts.Grid{Left: "22%", Top: "50"}),
	)
	for _, s := range stacks {
		data := make([]opts.BarData, len(s.Values))
		for i, v := range s.Values {
			data[i] = opts.BarData{Value: round1(value(v))}
		}
		bar.AddSeries(s.Name, data, charts.WithBarChartOpts(opts.BarChart{Stack: "total"}))
	}
	return snippet(id, "360px", bar, Number{Decimals: 1, Unit: unit}, nil)
}
