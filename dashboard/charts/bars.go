package charts

import (
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Bar is one group of a breakdown.
type Bar struct {
	Name       string
	Value      *float64
	Suppressed bool   // shown as suppressed, never as zero
	Link       string // where a click drills down to; "" for none
}

// Bars is a horizontal bar chart of one figure per group (the groups'
// axis named category); clicking a bar follows its link (drill-down to the
// next organisation level; charts.js).
func Bars(id, category, figure, suppressedLabel string, n Number, bars []Bar) Snippet {
	bar := charts.NewBar()
	names := make([]string, len(bars))
	data := make([]opts.BarData, len(bars))
	links := make([]string, len(bars))
	for i, b := range bars {
		names[i] = b.Name
		links[i] = b.Link
		if b.Suppressed {
			names[i] = fmt.Sprintf("%s (%s)", b.Name, suppressedLabel)
		}
		data[i] = opts.BarData{Name: names[i], Value: round1(value(b.Value))}
	}
	height := fmt.Sprintf("%dpx", 80+28*len(bars))
	bar.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithXAxisOpts(opts.XAxis{Name: figure, Type: "value", NameLocation: "middle", NameGap: 25}),
		charts.WithYAxisOpts(opts.YAxis{Name: category, Type: "category", Data: names, Inverse: opts.Bool(true)}),
		charts.WithGridOpts(opts.Grid{Left: "28%", Right: "8%"}),
	)
	bar.AddSeries(figure, data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}))
	return snippet(id, height, bar, n, links)
}
