package charts

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func ptr(v float64) *float64 { return &v }

// A NaN or infinity must never reach a chart: go-echarts drops the whole
// option on a JSON error and the chart renders blank.
func TestNaNAndInfinityBecomeGaps(t *testing.T) {
	values := []*float64{ptr(4.5), ptr(math.NaN()), nil, ptr(math.Inf(1)), ptr(5.25)}
	s := Trend("trendTest", "maand", "%", Percent, []string{"a", "b", "c", "d", "e"}, TrendSeries{Name: "ZVP", Values: values})
	if !strings.Contains(string(s.Element), `"data":[{"value":4.5},{"value":"-"},{"value":"-"},{"value":"-"},{"value":5.25}]`) {
		t.Errorf("trend data not as expected:\n%s", string(s.Element))
	}
	b := Bars("barsTest", "Afdeling", "ZVP", "hidden", Percent, []Bar{{Name: "Zorg", Value: ptr(math.NaN())}, {Name: "Team X", Suppressed: true}, {Name: "Kantoor", Value: ptr(3.14159)}})
	for _, want := range []string{`{"name":"Zorg","value":"-"}`, `{"name":"Team X (hidden)","value":"-"}`, `{"name":"Kantoor","value":3.14}`} {
		if !strings.Contains(string(b.Element), want) {
			t.Errorf("bars script lacks %s:\n%s", want, string(b.Element))
		}
	}
}

// specOf reads a snippet's options back as static/charts.js does.
func specOf(t *testing.T, s Snippet) (raw string, spec struct {
	Option map[string]any
	Links  []string
}) {
	t.Helper()
	el := string(s.Element)
	open := `<script type="application/json" data-chart="` + s.ID + `">`
	i := strings.Index(el, open)
	j := strings.LastIndex(el, "</script>")
	if i < 0 || j < i || strings.Count(el, "<script") != 1 || !strings.Contains(el, `id="`+s.ID+`"`) {
		t.Fatalf("element %s", el)
	}
	raw = el[i+len(open) : j]
	if err := json.Unmarshal([]byte(raw), &spec); err != nil {
		t.Fatalf("options are not JSON: %v\n%s", err, raw)
	}
	return raw, spec
}

// Names from an export reach the page as JSON text only: nothing in them can
// end the script element or the JSON, or become code, and they read back
// exactly. No chart carries JavaScript.
func TestSnippetsAreDataOnly(t *testing.T) {
	hostile := []string{`</script><script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, "a\u2028b\u2029c", `__f__alert(1)__f__`, `'); alert(1);//`, `&lt;b&gt;`}
	var bars []Bar
	for _, n := range hostile {
		bars = append(bars, Bar{Name: n, Value: ptr(5), Link: "/breakdown?dept=" + n})
	}
	raw, spec := specOf(t, Bars("deptBars", "Afdeling", "ZVP", "hidden", Percent, bars))
	if strings.ContainsAny(raw, "<>&\u2028\u2029") {
		t.Errorf("options hold characters that end a script or a line:\n%s", raw)
	}
	names := spec.Option["yAxis"].([]any)[0].(map[string]any)["data"].([]any)
	for i, n := range hostile {
		if names[i] != n || spec.Links[i] != bars[i].Link {
			t.Errorf("name %q came back as %q, link %q", n, names[i], spec.Links[i])
		}
	}
	// Every chart type, with hostile names and with plain ones.
	all := func(n []string) []Snippet {
		return []Snippet{
			Bars("b", n[1], "ZVP", "hidden", Percent, []Bar{{Name: n[0], Value: ptr(5)}}),
			Trend("t", n[2], "%", Percent, []string{n[1]}, TrendSeries{Name: n[0], Values: []*float64{ptr(1)}}),
			Heatmap("h", n[3], n[4], Percent, []string{n[2]}, []string{n[1]}, []Cell{{0, 0, ptr(1)}}, 0, 1, true),
			StackedBars("s", n[5], "%", []string{n[2]}, []Stack{{Name: n[3], Values: []*float64{ptr(1)}}}),
			Survival("k", "d", "%", []StepCurve{{Name: n[4], Points: []StepPoint{{T: 0, Value: 1}}, Band: true}}),
			Milestones("f", n[0], n[1], []Stage{{Name: n[5], Value: ptr(50)}}),
			StackedShares("o", "d", []int{0, 1}, []ShareSeries{{Name: n[0], Color: "#fff", Values: []float64{1, 0.5}}}),
		}
	}
	for _, s := range all(hostile) {
		if raw, _ := specOf(t, s); strings.ContainsAny(raw, "<>&\u2028\u2029") {
			t.Errorf("chart %s holds characters that end a script or a line:\n%s", s.ID, raw)
		}
	}
	for _, s := range all([]string{"a", "b", "c", "d", "e", "f"}) {
		if raw, _ := specOf(t, s); strings.Contains(raw, "__f__") {
			t.Errorf("chart %s carries JavaScript:\n%s", s.ID, raw)
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
		if !strings.Contains(string(s.Element), want) {
			t.Errorf("script lacks %s:\n%s", want, string(s.Element))
		}
	}
}
