package charts

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Stage is one step of a funnel, in %.
type Stage struct {
	Name  string
	Value *float64
}

// Funnel (sorted largest first, as the stages are) shows how many of the cases are still absent at each stage (7 days
// → 6 weeks → 13 weeks → 1 year → 104 weeks).
func Funnel(id string, stages []Stage) Snippet {
	f := charts.NewFunnel()
	f.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))
	data := make([]opts.FunnelData, 0, len(stages))
	for _, s := range stages {
		v := value(s.Value)
		if v == missing {
			continue
		}
		data = append(data, opts.FunnelData{Name: s.Name, Value: round1(v)})
	}
	// charts.js writes each label as "name: value".
	f.AddSeries("", data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "inside"}))
	return snippet(id, "320px", f, Percent, nil)
}
