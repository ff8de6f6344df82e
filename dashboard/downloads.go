package dashboard

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/gocarina/gocsv"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/widgets"
	"github.com/verzuim/absence/ingest/sheet"
)

// CSV downloads of the tables the pages show, with the report's field names.
// A suppressed group has empty figures and suppressed=true, never zeros.

// sendCSV sends rows (a slice of structs with csv tags, or [][]string) as a
// CSV download that is safe to open in a spreadsheet.
func (s *Server) sendCSV(c *gin.Context, name string, rows any) {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.csv"`, name))
	c.Status(http.StatusOK)
	w := sheet.NewWriter(c.Writer)
	var err error
	if records, ok := rows.([][]string); ok {
		err = w.WriteAll(records)
	} else {
		err = gocsv.MarshalCSV(rows, w)
	}
	if err != nil {
		s.logError(c, fmt.Errorf("write %s.csv: %w", name, err))
	}
}

// downloadBreakdown sends the breakdown of the current view as CSV: group,
// parent, suppressed and the columns of every table of the statistics
// (analytics.Columns), the total first.
func (s *Server) downloadBreakdown(c *gin.Context) {
	v, ok := s.viewOf(c)
	if !ok {
		return
	}
	d, err := dimensionOf(c, analytics.ByDepartment)
	if err != nil {
		s.refuse(c, http.StatusBadRequest, err)
		return
	}
	res, err := widgets.Breakdown(d).Get(answer(c.Request.Context()), s.deps(c), widgetView(c, v))
	if err != nil {
		s.serverError(c, err)
		return
	}
	cols := analytics.Columns(res.Total)
	records := [][]string{{"group", "parent", "suppressed"}}
	for _, col := range cols {
		records[0] = append(records[0], col.Name)
	}
	for _, g := range append([]analytics.Group{res.Total}, res.Groups...) {
		rec := []string{g.Key, g.Parent, strconv.FormatBool(g.Suppressed)}
		for _, col := range cols {
			cell := ""
			if v, ok := col.Value(g); ok {
				cell = strconv.FormatFloat(v, 'f', -1, 64)
			}
			rec = append(rec, cell)
		}
		records = append(records, rec)
	}
	s.sendCSV(c, "breakdown-"+string(d), records)
}

type absenteeRow struct {
	Employee string  `csv:"employee_pseudonym"`
	NewCases int64   `csv:"new_cases"`
	Spells   int64   `csv:"spells"`
	SickDays int64   `csv:"sick_days"`
	Bradford float64 `csv:"bradford"`
}

// downloadAbsentees sends the frequent absentees list as CSV (HR only).
func (s *Server) downloadAbsentees(c *gin.Context) {
	v, ok := s.viewOf(c)
	if !ok {
		return
	}
	list, err := widgets.Absentees.Get(answer(c.Request.Context()), s.deps(c), widgetView(c, v))
	if err != nil {
		s.serverError(c, err)
		return
	}
	rows := []absenteeRow{}
	for _, a := range list.Employees {
		rows = append(rows, absenteeRow{a.EmployeeID, a.NewCases, a.Spells, a.SickDays, a.Bradford})
	}
	s.sendCSV(c, "frequent-absentees", rows)
}
