package charts

import (
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// ShareSeries is one state of a stacked share chart: its share (0–1) from
// each of the chart's days on, and its colour.
type ShareSeries struct {
	Name   string
	Color  string
	Values []float64
}

// StackedShares draws shares that add up to 100% at every day (how cases
// end: still absent and each outcome) as stacked areas over the days since
// the start. The shares are steps: series[i].Values[j] holds from days[j]
// (ascending, starting at 0) until the next day listed. ECharts stacks by
// data index, and on a value axis it would stack the day itself, so the
// x axis has one category per day.
func StackedShares(id, xName string, days []int, series []ShareSeries) Snippet {
	last := days[len(days)-1]
	labels := make([]string, last+1)
	for d := range labels {
		labels[d] = strconv.Itoa(d)
	}
	line := charts.NewLine()
	line.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0", Type: "scroll"}),
		charts.WithXAxisOpts(opts.XAxis{Name: xName, Type: "category", BoundaryGap: opts.Bool(false)}),
		charts.WithYAxisOpts(opts.YAxis{Name: "%", Type: "value", Min: 0, Max: 100}),
		charts.WithGridOpts(opts.Grid{Top: "50"}),
		charts.WithDataZoomOpts(opts.DataZoom{Type: "inside"}, opts.DataZoom{Type: "slider"}),
	)
	line.SetXAxis(labels)
	for _, s := range series {
		data := make([]opts.LineData, last+1)
		j := 0
		for d := range data {
			for j+1 < len(days) && days[j+1] <= d {
				j++
			}
			data[d] = opts.LineData{Value: round1(value(ptrTo(100 * s.Values[j])))}
		}
		line.AddSeries(s.Name, data,
			charts.WithLineChartOpts(opts.LineChart{Stack: "shares", ShowSymbol: opts.Bool(false)}),
			charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.85)}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: s.Color}))
	}
	return snippet(id, "360px", line, Percent, nil)
}
