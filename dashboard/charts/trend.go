package charts

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// TrendSeries is one line of a trend chart.
type TrendSeries struct {
	Name   string
	Values []*float64
	Dashed bool
}

// Trend is a line chart over periods (months), with zoom, for the absence
// rate with the previous year and the rolling 12 months alongside.
func Trend(id, xName, yName string, n Number, labels []string, series ...TrendSeries) Snippet {
	line := charts.NewLine()
	line.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		charts.WithXAxisOpts(opts.XAxis{Name: xName, NameLocation: "middle", NameGap: 30}),
		charts.WithYAxisOpts(opts.YAxis{Name: yName, Type: "value"}),
		charts.WithDataZoomOpts(opts.DataZoom{Type: "inside"}, opts.DataZoom{Type: "slider"}),
		charts.WithToolboxOpts(opts.Toolbox{Show: opts.Bool(true), Feature: &opts.ToolBoxFeature{
			SaveAsImage: &opts.ToolBoxFeatureSaveAsImage{Show: opts.Bool(true)},
		}}),
	)
	line.SetXAxis(labels)
	for _, s := range series {
		data := make([]opts.LineData, len(s.Values))
		for i, v := range s.Values {
			data[i] = opts.LineData{Value: round1(value(v))}
		}
		style := &opts.LineStyle{Width: 2}
		if s.Dashed {
			style.Type = "dashed"
		}
		line.AddSeries(s.Name, data, charts.WithLineStyleOpts(*style), charts.WithLineChartOpts(opts.LineChart{ConnectNulls: opts.Bool(false)}))
	}
	return snippet(id, "360px", line, n, nil)
}
