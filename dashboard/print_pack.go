package dashboard

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/widgets"
)

// The monthly report pack (verzuimrapportage): the overview, trends,
// breakdown, durations, a Poortwachter summary and the interventions of one
// month, on print pages (/print/pack, one section per printed page) and as
// a workbook (/print/pack.xlsx). Both are made from the same widgets as the
// screen, so the pack shows the screen's figures, suppression included.

// packRoles may open the pack: it holds the Poortwachter counts and the
// interventions, so those who may see both.
var packRoles = personal

// packData is what the pack's template and workbook show.
type packData struct {
	Month     time.Time // its first day
	YearFrom  time.Time // the first day of the 12 months ending with Month
	MonthEnd  time.Time // the month's last day (or the extract date)
	Extract   time.Time
	MonthKPIs []widgets.Tile // the month
	YearKPIs  []widgets.Tile // the rolling 12 months
	Tracks    packTracks
	// Interventions are the types of intervention of the three years up to
	// the month's end, as the Interventies page counts them.
	Interventions []analytics.InterventionGroup
	// views are those of the month and of the 12 months, for the workbook.
	views struct{ month, year widgets.View }
}

// packTracks is the Poortwachter summary: counts, no persons.
type packTracks struct {
	Open, Overdue, Deadlines int
	DeadlineWeeks            int
	MilestoneData            bool
	Compliance               []analytics.Compliance
	ComplianceSuppressed     bool
}

// packMonth reads the month parameter (YYYY-MM).
func packMonth(c *gin.Context) (time.Time, error) {
	m, err := time.Parse("2006-01", strings.TrimSpace(c.Query("month")))
	if err != nil {
		return m, badInput("bad_month", c.Query("month"))
	}
	return m, nil
}

// loadPack loads the pack's widgets for request c (the filter of the URL,
// within what the user may see) into page p. The pack waits for every
// figure: a printed report has no "being computed".
func (s *Server) loadPack(c *gin.Context) (page, bool) {
	month, err := packMonth(c)
	if err != nil {
		s.refuse(c, http.StatusBadRequest, err)
		return page{}, false
	}
	v, ok := s.viewOf(c)
	if !ok {
		return page{}, false
	}
	end := month.AddDate(0, 1, -1)
	if !v.scope.extract.IsZero() && v.scope.extract.Before(end) {
		end = v.scope.extract
	}
	if end.Before(month) {
		s.refuse(c, http.StatusBadRequest, badInput("month_after_data", month.Format("2006-01"), v.scope.extract.Format(time.DateOnly)))
		return page{}, false
	}
	v.From, v.To = end.AddDate(-1, 0, 1), end
	p, err := s.viewPage(c, "pack", v)
	if err != nil {
		s.serverError(c, err)
		return page{}, false
	}
	// A report about a department that is not there would be a report of
	// nothing, sent every month without anyone noticing.
	for _, dept := range v.Departments {
		if !slices.Contains(p.Filter.Departments, dept) {
			s.refuse(c, http.StatusBadRequest, badInput("pack_unknown_department", dept, strings.Join(p.Filter.Departments, ", ")))
			return page{}, false
		}
	}
	year := widgetView(c, v)
	year.Href = func(path string, params ...any) string { return string(p.Href(path, params...)) }
	year.By = analytics.ByDepartment
	monthView := year
	monthView.Filter.From = month
	data := packData{Month: month, YearFrom: year.Filter.From, MonthEnd: end, Extract: v.scope.extract}
	data.views.month, data.views.year = monthView, year

	d := s.deps(c)
	parallel, _ := s.widgetBounds(c)
	// The month's tiles first, then the widgets of the 12 months (whose
	// names the template reads).
	loaded := append(widgets.Run(c.Request.Context(), d, monthView, []widgets.Widget{&widgets.KPITiles{}}, parallel),
		widgets.Run(c.Request.Context(), d, year, []widgets.Widget{&widgets.KPITiles{}, &widgets.TrendZVP{}, &widgets.TrendZMF{},
			&widgets.BreakdownZVP{}, &widgets.DurationClasses{}, &widgets.PoortwachterTracks{}, &widgets.OutcomeMix{}}, parallel)...)
	for _, l := range loaded {
		if l.Err != nil {
			s.refuse(c, http.StatusBadRequest, figureInput(l.Err))
			return page{}, false
		}
	}
	if err := s.showWidgets(c, &p, loaded[1:]); err != nil {
		s.refuse(c, http.StatusBadRequest, err)
		return page{}, false
	}
	data.MonthKPIs = loaded[0].Output.Data.([]widgets.Tile)
	data.YearKPIs = p.Widgets["kpiTiles"].Data.([]widgets.Tile)
	t := p.Widgets["tracks"].Data.(widgets.TracksData)
	data.Tracks = packTracks{Open: len(t.Open), Overdue: len(t.Overdue), Deadlines: len(t.Deadlines), DeadlineWeeks: t.DeadlineWeeks,
		MilestoneData: t.MilestoneData, Compliance: t.Compliance, ComplianceSuppressed: t.ComplianceSuppressed}
	res, err := widgets.Interventions.Get(c.Request.Context(), d, year.ThreeYears()) // cached: the outcome mix read it
	if err != nil {
		s.serverError(c, err)
		return page{}, false
	}
	for _, g := range res.Groups {
		if g.Provider == "" {
			data.Interventions = append(data.Interventions, g)
		}
	}
	p.Data = data
	return p, true
}

// showPack is the pack's print pages.
func (s *Server) showPack(c *gin.Context) {
	if p, ok := s.loadPack(c); ok {
		s.render(c, http.StatusOK, p)
	}
}

// MonthName is the month in the page's language, e.g. "oktober 2026".
func (p page) MonthName(t time.Time) string {
	return p.T(fmt.Sprintf("month_%d", t.Month())) + " " + fmt.Sprint(t.Year())
}
