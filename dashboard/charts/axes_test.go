package charts

import (
	"fmt"
	"testing"
)

// axisNames are the names of a chart's first x and y axes.
func axisNames(t *testing.T, s Snippet) (x, y string, legend bool, series int) {
	t.Helper()
	_, spec := specOf(t, s)
	name := func(key string) string {
		axes, _ := spec.Option[key].([]any)
		if len(axes) == 0 {
			return ""
		}
		n, _ := axes[0].(map[string]any)["name"].(string)
		return n
	}
	l, _ := spec.Option["legend"].(map[string]any)
	show, _ := l["show"].(bool)
	list, _ := spec.Option["series"].([]any)
	return name("xAxis"), name("yAxis"), show, len(list)
}

// Issue 14, item 7: every chart names both its axes, and shows a legend
// wherever it draws more than one series.
func TestEveryChartHasAxisTitlesAndALegend(t *testing.T) {
	v := []*float64{ptr(1), ptr(2)}
	for _, s := range []Snippet{
		Bars("bars", "Afdeling", "Verzuimpercentage (%)", "verborgen", Percent, []Bar{{Name: "Zorg", Value: ptr(5)}}),
		Trend("trend", "Maand", "%", Percent, []string{"jan", "feb"}, TrendSeries{Name: "ZVP", Values: v}, TrendSeries{Name: "vorig jaar", Values: v}),
		Heatmap("heatmap", "Week sinds ziekmelding", "Maand van ziekmelding", Percent, []string{"1", "2"}, []string{"2026-01"}, []Cell{{0, 0, ptr(1)}}, 0, 30, false),
		StackedBars("stacked", "Interventie", "%", []string{"a"}, []Stack{{Name: "terug", Values: v[:1]}, {Name: "WIA", Values: v[:1]}}),
		Survival("survival", "dagen", "% nog verzuimend", []StepCurve{{Name: "nog verzuimend", Points: []StepPoint{{T: 0, Value: 1}}, Band: true}}),
		StackedShares("shares", "dagen", []int{0, 1}, []ShareSeries{{Name: "terug", Values: []float64{0, 0.5}}, {Name: "nog", Values: []float64{1, 0.5}}}),
		Milestones("progression", "Verzuimduur", "% nog verzuimend", []Stage{{Name: "7 dagen", Value: ptr(40)}, {Name: "104 weken", Value: ptr(1)}}),
		GroupedBars("grouped", "Na dag 42", "%", 100, []string{"3 maanden", "6 maanden"}, []BarSeries{{Name: "met", Values: v}, {Name: "zonder", Values: v}}),
	} {
		x, y, legend, n := axisNames(t, s)
		if x == "" || y == "" {
			t.Errorf("chart %s: x axis %q, y axis %q; want both named", s.ID, x, y)
		}
		if n > 1 && !legend {
			t.Errorf("chart %s: %d series without a legend", s.ID, n)
		}
	}
}

// Issue 14, item 7: the progression shows the share still absent at each
// milestone up to 104 weeks on a 0–100% scale (the funnel drew the largest
// share, 30%, at full width), a milestone not yet observable as a gap.
func TestMilestonesOnAFullScale(t *testing.T) {
	s := Milestones("progression", "Verzuimduur", "% nog verzuimend", []Stage{
		{Name: "7 dagen", Value: ptr(30.35)}, {Name: "6 weken", Value: ptr(8)}, {Name: "13 weken", Value: ptr(4)},
		{Name: "1 jaar", Value: nil}, {Name: "104 weken", Value: ptr(0.5)},
	})
	_, spec := specOf(t, s)
	y := spec.Option["yAxis"].([]any)[0].(map[string]any)
	if y["min"] != 0.0 || y["max"] != 100.0 {
		t.Errorf("y axis from %v to %v; want 0 to 100", y["min"], y["max"])
	}
	x := spec.Option["xAxis"].([]any)[0].(map[string]any)
	if got := fmt.Sprint(x["data"]); got != "[7 dagen 6 weken 13 weken 1 jaar 104 weken]" {
		t.Errorf("milestones %s", got)
	}
	data := spec.Option["series"].([]any)[0].(map[string]any)["data"].([]any)
	if got := fmt.Sprint(data); got != "[map[value:30.35] map[value:8] map[value:4] map[value:-] map[value:0.5]]" {
		t.Errorf("values %s", got)
	}
}
