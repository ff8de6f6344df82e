package dashboard

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/dashboard/widgets"
	"github.com/verzuim/absence/dashboard/workbook"
)

// The Poortwachter worklist as a download: every track of the view the
// page shows (view, q and the filter), not only its page, as CSV for
// scripts and XLSX for Excel.

// worklistDownload is the list of the request's view, whole, with what
// the XLSX's Toelichting says of it.
type worklistDownload struct {
	list  widgets.Worklist
	notes []workbook.Note
	name  string // the file name without extension
}

func (s *Server) worklistOf(c *gin.Context) (worklistDownload, bool) {
	v, ok := s.viewOf(c)
	if !ok {
		return worklistDownload{}, false
	}
	res, err := widgets.Tracks.Get(answer(c.Request.Context()), s.deps(c), widgetView(c, v))
	if err != nil {
		s.serverError(c, err)
		return worklistDownload{}, false
	}
	q := widgets.WorklistQueryOf(c.Request.URL.Query())
	q.Page = 0 // the whole view
	l := widgets.Select(res, q)
	lang := langOf(c)
	t := func(key string) string { return translate(lang, key) }
	ex := res.ExtractDate.Format("02-01-2006")
	return worklistDownload{list: l, name: "poortwachter-werklijst-" + l.View + "-" + res.ExtractDate.Format(time.DateOnly), notes: []workbook.Note{
		{Label: t("worklist"), Text: t("poortwachter") + " · " + t("wl_view_"+l.View)},
		{Label: t("wl_search"), Text: orDash(l.Search)},
		{Label: t("filter_units"), Text: orDash(strings.Join(append(append([]string{}, v.Departments...), v.Teams...), ", "))},
		{Label: t("data_through"), Text: ex},
		{Label: t("wl_status"), Text: strings.Join([]string{t("wl_late"), t("wl_week"), t("wl_planned"), t("wl_done"), t("wl_unknown")}, " · ")},
		{Label: t("pseudonym"), Text: t("worklist_hint")},
		{Label: t("poortwachter"), Text: t("tracks_hint") + " " + ex + "."},
	}}, true
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// worklistFields are the CSV's columns: names for scripts, and the
// milestone and status as codes (the XLSX has the words).
var worklistFields = []string{"employee_pseudonym", "department", "team", "next_milestone", "occurrence", "due", "days_left", "status", "week", "week104_end"}

// downloadWorklistCSV sends the worklist as CSV: dates as yyyy-mm-dd.
func (s *Server) downloadWorklistCSV(c *gin.Context) {
	d, ok := s.worklistOf(c)
	if !ok {
		return
	}
	records := [][]string{worklistFields}
	for _, w := range d.list.Items {
		var occurrence, due, days string
		if w.Occurrence > 0 {
			occurrence = strconv.Itoa(w.Occurrence)
		}
		if w.Due != nil {
			due, days = w.Due.Format(time.DateOnly), strconv.Itoa(w.DaysLeft)
		}
		records = append(records, []string{w.EmployeeID, w.Department, w.Team, w.Milestone, occurrence, due, days, w.Status, strconv.Itoa(w.Week), w.Week104End.Format(time.DateOnly)})
	}
	s.sendCSV(c, d.name, records)
}

// downloadWorklistXLSX sends the worklist as XLSX in the user's words, with
// its Toelichting.
func (s *Server) downloadWorklistXLSX(c *gin.Context) {
	d, ok := s.worklistOf(c)
	if !ok {
		return
	}
	lang := langOf(c)
	t := func(key string) string { return translate(lang, key) }
	table := workbook.Table{Name: t("worklist"),
		Header: []string{t("pseudonym"), t("department"), t("team"), t("wl_next_step"), t("due"), t("wl_days_left"), t("wl_status"), t("week"), t("end104")}}
	for _, w := range d.list.Items {
		var step, due, days any
		if w.Due != nil {
			step, due, days = t("ms_"+w.Milestone), w.Due.Time, w.DaysLeft
			if w.Occurrence > 0 {
				step = fmt.Sprintf("%s %d", step, w.Occurrence)
			}
		}
		table.Rows = append(table.Rows, []any{w.EmployeeID, w.Department, w.Team, step, due, days, t("wl_" + w.Status), w.Week, w.Week104End.Time})
	}
	c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.xlsx"`, d.name))
	c.Status(http.StatusOK)
	if err := workbook.Write(c.Writer, []workbook.Table{table}, d.notes); err != nil {
		s.logError(c, fmt.Errorf("write %s.xlsx: %w", d.name, err))
	}
}
