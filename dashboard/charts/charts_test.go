package charts

import (
	"math"
	"strings"
	"testing"
)

func ptr(v float64) *float64 { return &v }

// A NaN or infinity must never reach a chart: go-echarts drops the whole
// option on a JSON error and the chart renders blank.
func TestNaNAndInfinityBecomeGaps(t *testing.T) {
	values := []*float64{ptr(4.5), ptr(math.NaN()), nil, ptr(math.Inf(1)), ptr(5.25)}
	s := Trend("trendTest", "%", []string{"a", "b", "c", "d", "e"}, TrendSeries{Name: "ZVP", Values: values})
	if !strings.Contains(s.Script, `"data":[{"value":4.5},{"value":"-"},{"value":"-"},{"value":"-"},{"value":5.25}]`) {
		t.Errorf("trend data not as expected:\n%s", s.Script)
	}
	b := Bars("barsTest", "ZVP", "hidden", []Bar{{Name: "Zorg", Value: ptr(math.NaN())}, {Name: "Team X", Suppressed: true}, {Name: "Kantoor", Value: ptr(3.14159)}})
	for _, want := range []string{`{"name":"Zorg","value":"-"}`, `{"name":"Team X (hidden)","value":"-"}`, `{"name":"Kantoor","value":3.14}`} {
		if !strings.Contains(b.Script, want) {
			t.Errorf("bars script lacks %s:\n%s", want, b.Script)
		}
	}
}

func TestSnippetsHaveFixedIDsAndNoScriptTag(t *testing.T) {
	b := Bars("deptBars", "ZVP", "hidden", []Bar{{Name: "Zorg", Value: ptr(5), Link: "/breakdown?dept=Zorg"}})
	if !strings.Contains(string(b.Element), `id="deptBars"`) || strings.Contains(b.Script, "<script") {
		t.Errorf("element %s\nscript %s", b.Element, b.Script)
	}
	for _, want := range []string{`let goecharts_deptBars`, `"/breakdown?dept=Zorg"`, `window.addEventListener('resize', () => goecharts_deptBars.resize());`} {
		if !strings.Contains(b.Script, want) {
			t.Errorf("script lacks %q:\n%s", want, b.Script)
		}
	}
}

// Shares are steps: each holds from its day until the next, one value per
// day of the category axis, and every series has the same days.
func TestStackedSharesHoldEachStepUntilTheNext(t *testing.T) {
	s := StackedShares("sharesTest", "days", []int{0, 2, 4}, []ShareSeries{
		{Name: "back", Color: "#2e8b57", Values: []float64{0, 0.25, 0.5}},
		{Name: "absent", Color: "#bab0ac", Values: []float64{1, 0.75, 0.5}},
	})
	for _, want := range []string{
		`"data":["0","1","2","3","4"]`,
		`"data":[{"value":0},{"value":0},{"value":25},{"value":25},{"value":50}]`,
		`"data":[{"value":100},{"value":100},{"value":75},{"value":75},{"value":50}]`,
		`"stack":"shares"`, `"color":"#2e8b57"`,
	} {
		if !strings.Contains(s.Script, want) {
			t.Errorf("script lacks %s:\n%s", want, s.Script)
		}
	}
}
