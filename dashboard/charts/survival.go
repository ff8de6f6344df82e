package charts

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// StepPoint is one step of a Kaplan–Meier curve: from day T on, Value.
type StepPoint struct {
	T            int
	Value        float64
	Lower, Upper *float64
}

// StepCurve is one curve of a survival chart.
type StepCurve struct {
	Name   string
	Points []StepPoint
	Band   bool // draw its 95% interval as a shaded band
}

// Survival draws Kaplan–Meier curves as steps over days, in %, optionally
// with a curve's 95% interval.
func Survival(id, xName, yName string, curves []StepCurve) Snippet {
	line := charts.NewLine()
	line.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		charts.WithXAxisOpts(opts.XAxis{Name: xName, Type: "value", Min: 0}),
		charts.WithYAxisOpts(opts.YAxis{Name: yName, Type: "value", Min: 0, Max: 100}),
		charts.WithDataZoomOpts(opts.DataZoom{Type: "inside"}, opts.DataZoom{Type: "slider"}),
	)
	for _, c := range curves {
		data := make([]opts.LineData, len(c.Points))
		for i, p := range c.Points {
			data[i] = opts.LineData{Value: []any{p.T, round1(value(ptrTo(100 * p.Value)))}}
		}
		line.AddSeries(c.Name, data, charts.WithLineChartOpts(opts.LineChart{Step: "end", ShowSymbol: opts.Bool(false)}))
		if !c.Band {
			continue
		}
		// The 95% interval as two thin dashed steps under one legend entry.
		for _, bound := range []func(StepPoint) *float64{
			func(p StepPoint) *float64 { return p.Lower },
			func(p StepPoint) *float64 { return p.Upper },
		} {
			data := make([]opts.LineData, len(c.Points))
			for i, p := range c.Points {
				v := any(missing)
				if b := bound(p); b != nil {
					v = round1(100 * *b)
				}
				data[i] = opts.LineData{Value: []any{p.T, v}}
			}
			line.AddSeries(c.Name+" (95%)", data, charts.WithLineChartOpts(opts.LineChart{Step: "end", ShowSymbol: opts.Bool(false)}),
				charts.WithLineStyleOpts(opts.LineStyle{Type: "dashed", Width: 1, Opacity: opts.Float(0.6)}))
		}
	}
	return snippet(id, "380px", line, Percent, nil)
}

func ptrTo(v float64) *float64 { return &v }
