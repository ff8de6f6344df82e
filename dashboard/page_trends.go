package dashboard

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
)

// showTrends answers "where is absence rising": the monthly absence rate and
// notification frequency with the previous year and the rolling 12 months,
// and a month × year heatmap of five years for the seasonality.
func (s *Server) showTrends(c *gin.Context) {
	v, ok := s.viewOf(c)
	if !ok {
		return
	}
	years := v
	years.From = time.Date(v.To.Year()-4, 1, 1, 0, 0, 0, 0, time.UTC)
	s.prefetch(c, func(c *gin.Context) { s.series(c, years) })
	trend, err := s.series(c, v)
	if err != nil {
		s.serverError(c, err)
		return
	}
	season, err := s.series(c, years)
	if err != nil {
		s.serverError(c, err)
		return
	}
	p, err := s.viewPage(c, "trends", v)
	if err != nil {
		s.serverError(c, err)
		return
	}
	p.Charts = append(p.Charts,
		s.chart(c, p, "trendZVP", func() charts.Snippet { return trendChart(p, trend) }),
		s.chart(c, p, "trendZMF", func() charts.Snippet { return frequencyChart(p, trend) }),
		s.chart(c, p, "seasonZVP", func() charts.Snippet { return seasonChart(season) }))
	s.render(c, http.StatusOK, p)
}

func frequencyChart(p page, s analytics.SeriesResult) charts.Snippet {
	labels := make([]string, len(s.Points))
	cur := make([]*float64, len(s.Points))
	prev := make([]*float64, len(s.Points))
	for i, pt := range s.Points {
		labels[i] = pt.Label
		cur[i], prev[i] = pt.Current.ZMF, pt.PreviousYear.ZMF
	}
	return charts.Trend("trendZMF", p.T("per_year"), labels,
		charts.TrendSeries{Name: p.T("this_year"), Values: cur},
		charts.TrendSeries{Name: p.T("previous_year"), Values: prev, Dashed: true})
}

// dataStart is the first point from which the data looks complete: an export
// that covers the last few years still holds the odd long case that began
// earlier, and months before the export's window would show a false low. It
// is the first month with at least half the median number of new cases.
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

// seasonChart lays a monthly series out as year rows and month columns,
// from where the data is complete.
func seasonChart(s analytics.SeriesResult) charts.Snippet {
	s.Points = s.Points[dataStart(s.Points):]
	months := []string{"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"}
	var rows []string
	rowOf := map[int]int{}
	var cells []charts.Cell
	lo, hi := 100.0, 0.0
	for _, pt := range s.Points {
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
	return charts.Heatmap("seasonZVP", months, rows, cells, lo, hi, true)
}
