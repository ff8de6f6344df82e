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

// worklistDownload is the list of the request's view, with its headers and
// the notes that say what it holds, in the user's language.
type worklistDownload struct {
	header []string
	rows   [][]any
	notes  []workbook.Note
	name   string // the file name without extension
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
	d := worklistDownload{header: []string{t("pseudonym"), t("department"), t("team"), t("wl_next_step"), t("due"), t("wl_days_left"), t("wl_status"), t("week"), t("end104")}}
	for _, w := range l.Items {
		var step, due, days any
		if w.Due != nil {
			step, due, days = t("ms_"+w.Milestone), w.Due.Time, w.DaysLeft
			if w.Occurrence > 0 {
				step = fmt.Sprintf("%s %d", step, w.Occurrence)
			}
		}
		d.rows = append(d.rows, []any{w.EmployeeID, w.Department, w.Team, step, due, days, t("wl_" + w.Status), w.Week, w.Week104End.Time})
	}
	ex := res.ExtractDate.Format("02-01-2006")
	d.notes = []workbook.Note{
		{Label: t("worklist"), Text: t("poortwachter") + " · " + t("wl_view_"+l.View)},
		{Label: t("wl_search"), Text: orDash(l.Search)},
		{Label: t("filter_units"), Text: orDash(strings.Join(append(append([]string{}, v.Departments...), v.Teams...), ", "))},
		{Label: t("data_through"), Text: ex},
		{Label: t("wl_status"), Text: strings.Join([]string{t("wl_late"), t("wl_week"), t("wl_planned"), t("wl_done"), t("wl_unknown")}, " · ")},
		{Label: t("pseudonym"), Text: t("worklist_hint")},
		{Label: t("poortwachter"), Text: t("tracks_hint") + " " + ex + "."},
	}
	d.name = "poortwachter-werklijst-" + l.View + "-" + res.ExtractDate.Format(time.DateOnly)
	return d, true
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// downloadWorklistCSV sends the worklist as CSV: dates as yyyy-mm-dd.
func (s *Server) downloadWorklistCSV(c *gin.Context) {
	d, ok := s.worklistOf(c)
	if !ok {
		return
	}
	records := [][]string{d.header}
	for _, r := range d.rows {
		rec := make([]string, len(r))
		for i, cell := range r {
			switch x := cell.(type) {
			case nil:
			case time.Time:
				rec[i] = x.Format(time.DateOnly)
			case int:
				rec[i] = strconv.Itoa(x)
			default:
				rec[i] = fmt.Sprint(x)
			}
		}
		records = append(records, rec)
	}
	s.sendCSV(c, d.name, records)
}

// downloadWorklistXLSX sends the worklist as XLSX with its Toelichting.
func (s *Server) downloadWorklistXLSX(c *gin.Context) {
	d, ok := s.worklistOf(c)
	if !ok {
		return
	}
	c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.xlsx"`, d.name))
	c.Status(http.StatusOK)
	table := workbook.Table{Name: translate(langOf(c), "worklist"), Header: d.header, Rows: d.rows}
	if err := workbook.Write(c.Writer, []workbook.Table{table}, d.notes); err != nil {
		s.logError(c, fmt.Errorf("write %s.xlsx: %w", d.name, err))
	}
}
