package dashboard

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/gocarina/gocsv"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/ingest/sheet"
)

// CSV downloads of the tables the pages show, with the report's field names.
// A suppressed group has empty figures and suppressed=true, never zeros.

type breakdownRow struct {
	Group        string `csv:"group"`
	Parent       string `csv:"parent"`
	Suppressed   bool   `csv:"suppressed"`
	Employees    string `csv:"employees"`
	ZVP          string `csv:"zvp_pct"`
	ZVPLow       string `csv:"zvp_pct_ci95_low"`
	ZVPHigh      string `csv:"zvp_pct_ci95_high"`
	ZMF          string `csv:"zmf"`
	GZVD         string `csv:"gzvd_days"`
	ZeroAbsence  string `csv:"zero_absence_pct"`
	NewCases     string `csv:"new_cases"`
	ClosedCases  string `csv:"closed_cases"`
	OpenCases    string `csv:"open_cases"`
	SickDays     string `csv:"sick_days"`
	AvgHeadcount string `csv:"avg_headcount"`
	FTE          string `csv:"fte"`
}

func csvFloat(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

func csvInt(v *int64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatInt(*v, 10)
}

func toBreakdownRow(g analytics.Group) breakdownRow {
	r := breakdownRow{Group: g.Key, Parent: g.Parent, Suppressed: g.Suppressed,
		Employees: csvInt(g.Employees), ZVP: csvFloat(g.ZVP), ZMF: csvFloat(g.ZMF), GZVD: csvFloat(g.GZVD),
		ZeroAbsence: csvFloat(g.ZeroAbsence), NewCases: csvInt(g.NewCases), ClosedCases: csvInt(g.ClosedCases),
		OpenCases: csvInt(g.OpenCases), SickDays: csvFloat(g.SickDays), AvgHeadcount: csvFloat(g.AvgHeadcount), FTE: csvFloat(g.FTE)}
	if g.ZVPInterval != nil {
		r.ZVPLow, r.ZVPHigh = csvFloat(&g.ZVPInterval.Low), csvFloat(&g.ZVPInterval.High)
	}
	return r
}

// sendCSV sends rows as a CSV download that is safe to open in a
// spreadsheet.
func (s *Server) sendCSV(c *gin.Context, name string, rows any) {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.csv"`, name))
	c.Status(http.StatusOK)
	if err := gocsv.MarshalCSV(rows, sheet.NewWriter(c.Writer)); err != nil {
		s.logError(c, fmt.Errorf("write %s.csv: %w", name, err))
	}
}

// downloadBreakdown sends the breakdown table of the current view as CSV.
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
	res, err := s.breakdown(c, v, d)
	if err != nil {
		s.serverError(c, err)
		return
	}
	rows := []breakdownRow{toBreakdownRow(res.Total)}
	for _, g := range res.Groups {
		rows = append(rows, toBreakdownRow(g))
	}
	s.sendCSV(c, "breakdown-"+string(d), rows)
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
	list, err := s.absentees(c, v)
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
