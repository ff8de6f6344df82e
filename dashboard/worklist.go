package dashboard

import (
	"fmt"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/dashboard/widgets"
	"github.com/verzuim/absence/dashboard/workbook"
)

// The Poortwachter worklist as a download: every track of the view the
// page shows (view, q and the filter), not only its page, as CSV for
// scripts and XLSX for Excel.

// worklistExport is the whole list of the request's view: in the CSV the
// catalogue-style field names and the milestone and status as codes (for
// scripts), in the XLSX the user's words and a Toelichting.
func (s *Server) worklistExport(c *gin.Context) (export, error) {
	v, err := s.readView(c)
	if err != nil {
		return export{}, err
	}
	res, err := widgets.Tracks.Get(answer(c.Request.Context()), s.deps(c), widgetView(c, v))
	if err != nil {
		return export{}, err
	}
	q := widgets.WorklistQueryOf(c.Request.URL.Query())
	q.Page = 0 // the whole view
	l := widgets.Select(res, q)
	lang := langOf(c)
	t := func(key string) string { return translate(lang, key) }
	codes := strings.HasSuffix(c.FullPath(), ".csv")
	e := export{file: "poortwachter-werklijst-" + l.View + "-" + res.ExtractDate.Format(time.DateOnly), sheet: sheetName(t("worklist"))}
	for _, col := range [][2]string{{"employee_pseudonym", "pseudonym"}, {"department", "department"}, {"team", "team"},
		{"next_milestone", "wl_next_step"}, {"due", "due"}, {"days_left", "wl_days_left"}, {"status", "wl_status"}, {"week", "week"}, {"week104_end", "end104"}} {
		e.columns = append(e.columns, exportColumn{field: col[0], header: t(col[1])})
	}
	for _, w := range l.Items {
		var step, due, days any
		if w.Due != nil {
			step, due, days = t("ms_"+w.Milestone), w.Due.Format(time.DateOnly), int64(w.DaysLeft)
			if codes {
				step = w.Milestone
			}
			if w.Occurrence > 0 {
				step = fmt.Sprintf("%s %d", step, w.Occurrence)
			}
		}
		status := any(t("wl_" + w.Status))
		if codes {
			status = w.Status
		}
		e.rows = append(e.rows, []any{w.EmployeeID, w.Department, w.Team, step, due, days, status, int64(w.Week), w.Week104End.Format(time.DateOnly)})
	}
	ex := res.ExtractDate.Format("02-01-2006")
	e.notes = []workbook.Note{
		{Label: t("worklist"), Text: t("poortwachter") + " · " + t("wl_view_"+l.View)},
		{Label: t("wl_search"), Text: orDash(l.Search)},
		{Label: t("filter_units"), Text: orDash(strings.Join(append(append([]string{}, v.Departments...), v.Teams...), ", "))},
		{Label: t("data_through"), Text: ex},
		{Label: t("wl_status"), Text: strings.Join([]string{t("wl_late"), t("wl_week"), t("wl_planned"), t("wl_done"), t("wl_unknown")}, " · ")},
		{Label: t("pseudonym"), Text: t("worklist_hint")},
		{Label: t("poortwachter"), Text: t("tracks_hint") + " " + ex + "."},
	}
	return e, nil
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
