package widgets

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
)

// SeasonZVP lays the monthly absence rate of five calendar years out as
// year rows and month columns, for the seasonality.
type SeasonZVP struct{ series analytics.SeriesResult }

func (*SeasonZVP) Name() string { return "seasonZVP" }

// years is the view's last five calendar years.
func (*SeasonZVP) years(v View) View {
	v.Filter.From = time.Date(v.Filter.To.Year()-4, 1, 1, 0, 0, 0, 0, time.UTC)
	return v
}

func (w *SeasonZVP) Load(ctx context.Context, d Deps, v View) (err error) {
	w.series, err = Series.Get(ctx, d, w.years(v))
	return err
}

// Render starts where the data is complete.
func (w *SeasonZVP) Render(d Deps, v View) Output {
	return one(chart(d, w.years(v), w.Name(), func() charts.Snippet {
		points := w.series.Points[dataStart(w.series.Points):]
		months := []string{"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"}
		var rows []string
		rowOf := map[int]int{}
		var cells []charts.Cell
		lo, hi := 100.0, 0.0
		for _, pt := range points {
			var year, month int
			if _, err := fmt.Sscanf(pt.Label, "%d-%d", &year, &month); err != nil || pt.Current.ZVP == nil {
				continue
			}
			if _, ok := rowOf[year]; !ok {
				rowOf[year] = len(rows)
				rows = append(rows, fmt.Sprint(year))
			}
			cells = append(cells, charts.Cell{X: month - 1, Y: rowOf[year], Value: pt.Current.ZVP})
			lo, hi = min(lo, *pt.Current.ZVP), max(hi, *pt.Current.ZVP)
		}
		if hi < lo {
			lo, hi = 0, 1
		}
		return charts.Heatmap(w.Name(), v.T("axis_month"), v.T("axis_year"), charts.Percent, months, rows, cells, lo, hi, true)
	}), nil)
}

// dataStart is the first point from which the data looks complete: an
// export that covers the last few years still holds the odd long case that
// began earlier, and months before the export's window would show a false
// low. It is the first month with at least half the median number of new
// cases.
func dataStart(points []analytics.SeriesPoint) int {
	var counts []int64
	for _, pt := range points {
		if pt.Current.NewCases != nil {
			counts = append(counts, *pt.Current.NewCases)
		}
	}
	if len(counts) == 0 {
		return 0
	}
	slices.Sort(counts)
	median := counts[len(counts)/2]
	for i, pt := range points {
		if pt.Current.NewCases != nil && 2**pt.Current.NewCases >= median {
			return i
		}
	}
	return 0
}
