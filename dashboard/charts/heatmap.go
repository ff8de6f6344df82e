package charts

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Cell is one value of a heatmap at (column, row).
type Cell struct {
	X, Y  int
	Value *float64
}

// Heatmap shows a figure by month (columns) and year (rows): the seasonality
// at a glance. Missing cells stay empty.
// With labels, each cell shows its value (for small grids). xName and
// yName name the columns and the rows.
func Heatmap(id, xName, yName string, n Number, columns, rows []string, cells []Cell, min, max float64, labels bool) Snippet {
	hm := charts.NewHeatMap()
	data := make([]opts.HeatMapData, 0, len(cells))
	for _, c := range cells {
		v := value(c.Value)
		if v == missing {
			continue
		}
		data = append(data, opts.HeatMapData{Value: [3]any{c.X, c.Y, round1(v)}})
	}
	hm.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Name: xName, NameLocation: "middle", NameGap: 25, Type: "category", Data: columns, SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithYAxisOpts(opts.YAxis{Name: yName, Type: "category", Data: rows, SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithVisualMapOpts(opts.VisualMap{Calculable: opts.Bool(true), Min: float32(min), Max: float32(max),
			Orient: "horizontal", Left: "center", Bottom: "0",
			InRange: &opts.VisualMapInRange{Color: []string{"#e8f4ea", "#f5d76e", "#d9534f"}}}),
		charts.WithGridOpts(opts.Grid{Bottom: "90", Top: "40"}),
	)
	hm.AddSeries("", data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(labels)}))
	return snippet(id, "300px", hm, n, nil)
}
