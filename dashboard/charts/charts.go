// Package charts turns analytics results into go-echarts snippets: one file
// per chart. Every chart has a fixed id (so pages and tests can find it),
// resizes with the window and never receives a NaN, which would blank it.
package charts

import (
	"html/template"
	"math"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/render"
	"github.com/go-echarts/go-echarts/v2/types"
)

// AssetsHost is where the dashboard serves the embedded ECharts script.
const AssetsHost = "/static/echarts/"

// Snippet is a chart ready for a page: its element and its script.
type Snippet struct {
	ID      string
	Element template.HTML
	Script  string // JavaScript without the <script> tag, to run under the page's CSP nonce
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

// Round1 rounds for display in tooltips and labels.
func round1(v any) any {
	if f, ok := v.(float64); ok {
		return math.Round(f*100) / 100
	}
	return v
}

func initOpts(id, height string) charts.GlobalOpts {
	return charts.WithInitializationOpts(opts.Initialization{
		ChartID: id, Theme: types.ThemeMacarons, Width: "100%", Height: height, AssetsHost: AssetsHost,
	})
}

// resize keeps the chart as wide as its box when the window changes.
const resize = `window.addEventListener('resize', () => %MY_ECHARTS%.resize());`

func snippet(id string, r render.Renderer) Snippet {
	s := r.RenderSnippet()
	script := strings.TrimSpace(s.Script)
	script = strings.TrimPrefix(script, `<script type="text/javascript">`)
	script = strings.TrimSuffix(script, `</script>`)
	return Snippet{ID: id, Element: template.HTML(s.Element), Script: script}
}

// Texts are the translated labels a chart needs.
type Texts map[string]string
