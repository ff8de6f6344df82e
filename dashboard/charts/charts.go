// Package charts turns analytics results into ECharts options: one file per
// chart. Every chart has a fixed id (so pages and tests can find it),
// resizes with the window and never receives a NaN, which would blank it.
//
// The options are data only. A page carries them as JSON in a
// <script type="application/json"> element that static/charts.js parses and
// draws; no chart runs inline JavaScript. So a name from an export reaches
// the browser only as escaped JSON text, never as code or markup. JavaScript
// in options (opts.FuncOpts, AddJSFuncStrs, event listeners) needs
// go-echarts' own renderer, which writes options into a script as code, so
// it has no place here: behaviour such as the drill-down click and resizing
// lives in charts.js, and label formats use ECharts' string templates.
package charts

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
)

// Snippet is a chart ready for a page: its box with its options beside it.
type Snippet struct {
	ID      string
	Element template.HTML
}

// missing is ECharts' documented marker for an empty data point.
const missing = "-"

// value makes a figure safe for a chart: nil, NaN and ±Inf become a gap.
func value(v *float64) any {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return missing
	}
	return *v
}

// round1 keeps the options small; the decimals shown are Number's.
func round1(v any) any {
	if f, ok := v.(float64); ok {
		return math.Round(f*100) / 100
	}
	return v
}

// chart is what every go-echarts chart type offers.
type chart interface {
	Validate()
	JSON() map[string]any
}

// spec is what static/charts.js reads: the ECharts options, how to write
// the values and, per data item, the page a click on it opens.
type spec struct {
	Option map[string]any `json:"option"`
	Links  []string       `json:"links,omitempty"`
	Number Number         `json:"number"`
}

// Number is how a chart writes its values in tooltips, labels and axes:
// its decimals and the unit after each. ECharts' formatters are functions,
// so static/charts.js sets them, writing numbers with Intl.NumberFormat in
// the page's language (4,95 in Dutch, 4.95 in English) as the pages do
// (widgets/format.go).
type Number struct {
	Decimals int    `json:"decimals"`
	Unit     string `json:"unit,omitempty"`
}

// Percent is a percentage with one decimal, as the tiles show it: 5,2%.
var Percent = Number{Decimals: 1, Unit: "%"}

var element = template.Must(template.New("chart").Parse(
	`<div class="container"><div class="item" id="{{.ID}}" style="width:100%;height:{{.Height}}"></div></div>` +
		`<script type="application/json" data-chart="{{.ID}}">{{.Spec}}</script>`))

// snippet renders a chart's box and its options. encoding/json escapes <, >,
// & and U+2028/2029 in every string, so no name can end the script element
// or the JSON.
func snippet(id, height string, c chart, n Number, links []string) Snippet {
	c.Validate()
	js, err := json.Marshal(spec{Option: c.JSON(), Links: links, Number: n})
	if err != nil { // a NaN that slipped past value(): a programming error
		panic(fmt.Sprintf("chart %s: %v", id, err))
	}
	var b bytes.Buffer
	if err := element.Execute(&b, struct {
		ID, Height string
		Spec       template.JS
	}{id, height, template.JS(js)}); err != nil {
		panic(fmt.Sprintf("chart %s: %v", id, err))
	}
	return Snippet{ID: id, Element: template.HTML(b.String())}
}

// Texts are the translated labels a chart needs.
type Texts map[string]string
