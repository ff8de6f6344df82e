package charts

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Stage is one milestone of the progression: its label and the share of
// cases still absent then, in % (nil: not observable yet).
type Stage struct {
	Name  string
	Value *float64
}

// Milestones shows the share of cases still absent at each milestone
// (7 days → 6 weeks → 13 weeks → 1 year → 104 weeks) as bars on a 0–100%
// scale, so 30% looks like 30%; a milestone the cases were not followed
// long enough for is a gap.
func Milestones(id, xName, yName string, stages []Stage) Snippet {
	bar := charts.NewBar()
	names := make([]string, len(stages))
	data := make([]opts.BarData, len(stages))
	for i, s := range stages {
		names[i] = s.Name
		data[i] = opts.BarData{Value: round1(value(s.Value))}
	}
	bar.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithXAxisOpts(opts.XAxis{Name: xName, Type: "category", NameLocation: "middle", NameGap: 30}),
		charts.WithYAxisOpts(opts.YAxis{Name: yName, Type: "value", Min: 0, Max: 100}),
	)
	bar.SetXAxis(names)
	bar.AddSeries(yName, data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top"}))
	return snippet(id, "320px", bar, Percent, nil)
}
