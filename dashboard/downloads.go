package dashboard

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/widgets"
	"github.com/verzuim/absence/dashboard/workbook"
)

// The downloads of the tables the pages show (exports.go says how they are
// written). A suppressed group has empty figures and suppressed=true, never
// zeros.

// breakdownExport is the breakdown of the current view: group, parent,
// suppressed and the columns of every table of the statistics
// (analytics.Columns), the total first. The dimension is the page's unless
// the request names one.
func (s *Server) breakdownExport(c *gin.Context) (export, error) {
	v, err := s.readView(c)
	if err != nil {
		return export{}, err
	}
	d, err := dimensionOf(c, breakdownDimension(v))
	if err != nil {
		return export{}, err
	}
	res, err := widgets.Breakdown(d).Get(answer(c.Request.Context()), s.deps(c), widgetView(c, v))
	if err != nil {
		return export{}, err
	}
	lang := langOf(c)
	e := breakdownTable(lang, res, s.cfg.Analytics)
	e.file = fileName(translate(lang, "file_absence")+"-"+strings.ToLower(translate(lang, "dim_"+string(d))), v)
	e.notes = append(aboutView(lang, translate(lang, "breakdown")+": "+translate(lang, "dim_"+string(d)), v), e.notes...)
	return e, nil
}

// breakdownTable is a breakdown as a table, in lang, with the definitions
// of its figures as notes.
func breakdownTable(lang string, res analytics.BreakdownResult, opt analytics.Options) export {
	T := func(key string) string { return translate(lang, key) }
	parent := T("export_parent")
	if res.Dimension == analytics.ByTeam {
		parent = T("dim_department")
	}
	cols := analytics.Columns(res.Total)
	e := export{sheet: sheetName(T("dim_" + string(res.Dimension))), columns: []exportColumn{
		{field: "group", header: T("dim_" + string(res.Dimension))},
		{field: "parent", header: parent},
		{field: "suppressed", header: T("export_suppressed")},
	}}
	defs := map[string]analytics.Text{}
	for _, d := range analytics.Definitions(opt) {
		defs[d.Key] = d.In(lang)
	}
	for _, col := range cols {
		e.columns = append(e.columns, exportColumn{field: col.Name, header: columnHeader(lang, col.Name, defs), decimals: col.Decimals})
	}
	for _, g := range append([]analytics.Group{res.Total}, res.Groups...) {
		row := []any{g.Key, g.Parent, g.Suppressed}
		for _, col := range cols {
			var cell any
			if v, ok := col.Value(g); ok {
				cell = v
			}
			row = append(row, cell)
		}
		e.rows = append(e.rows, row)
	}
	for _, f := range analytics.FiguresShown(analytics.InTable) {
		shown := slices.ContainsFunc(e.columns, func(c exportColumn) bool { return c.field == f.Key })
		if shown || f.Kind == analytics.KindClasses && len(res.Total.DurationClasses) > 0 {
			e.notes = append(e.notes, definitionNote(defs[f.Key]))
		}
	}
	return e
}

// columnHeader is the header of a column of analytics.Columns in lang: the
// figure's label, with what part of it the column holds.
func columnHeader(lang, name string, defs map[string]analytics.Text) string {
	label := func(key string) string {
		if t, ok := defs[key]; ok && t.Label != "" {
			return t.Label
		}
		return key
	}
	for suffix, part := range map[string]string{"_ci95_low": "export_ci_low", "_ci95_high": "export_ci_high"} {
		if key, ok := strings.CutSuffix(name, suffix); ok {
			return label(key) + " " + translate(lang, part)
		}
	}
	if _, ok := defs[name]; ok {
		return label(name)
	}
	if class, ok := strings.CutPrefix(name, "cases_"); ok {
		return translate(lang, "export_cases") + " " + class
	}
	if class, ok := strings.CutPrefix(name, "zvp_pct_"); ok {
		return label("zvp_pct") + " " + class
	}
	return name
}

// definitionNote is a figure's definition on the Toelichting sheet.
func definitionNote(t analytics.Text) workbook.Note {
	return workbook.Note{Label: t.Label, Text: capitalise(t.Name) + ": " + widgets.Hover(t)}
}

// sheetName fits a sheet's name into Excel's 31 characters.
func sheetName(s string) string {
	for len(s) > 31 {
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
	}
	return strings.TrimRightFunc(s, unicode.IsSpace)
}

// absenteesExport is the list of frequent absentees (HR only).
func (s *Server) absenteesExport(c *gin.Context) (export, error) {
	v, err := s.readView(c)
	if err != nil {
		return export{}, err
	}
	list, err := widgets.Absentees.Get(answer(c.Request.Context()), s.deps(c), widgetView(c, v))
	if err != nil {
		return export{}, err
	}
	lang := langOf(c)
	e := absenteesTable(lang, list)
	e.file = fileName(translate(lang, "file_absentees"), v)
	e.notes = aboutView(lang, translate(lang, "absentees"), v)
	if d, ok := analytics.DefinitionOf("bradford"); ok {
		e.notes = append(e.notes, definitionNote(d.In(lang)))
	}
	return e, nil
}

// absenteesTable is the list of frequent absentees as a table, in lang.
func absenteesTable(lang string, list analytics.AbsenteeList) export {
	T := func(key string) string { return translate(lang, key) }
	e := export{sheet: sheetName(T("absentees")), columns: []exportColumn{
		{field: "employee_pseudonym", header: T("pseudonym")},
		{field: "new_cases", header: T("new_cases")},
		{field: "spells", header: T("spells")},
		{field: "sick_days", header: T("sick_days")},
		{field: "bradford", header: "Bradford"},
	}}
	for _, a := range list.Employees {
		e.rows = append(e.rows, []any{a.EmployeeID, a.NewCases, a.Spells, a.SickDays, a.Bradford})
	}
	return e
}

// rejectsExport is the rejected rows of an import.
func (s *Server) rejectsExport(c *gin.Context) (export, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return export{}, badInput("no_import", c.Param("id"))
	}
	// An employer's admin reads only their own employer's imports.
	if err := s.ownImport(c, id); err != nil {
		return export{}, err
	}
	rows, err := s.store.RejectedRows(c.Request.Context(), id)
	if err != nil {
		return export{}, err // storage.ErrNoImport: 404
	}
	lang := langOf(c)
	T := func(key string) string { return translate(lang, key) }
	e := export{file: fmt.Sprintf("import-%d-%s", id, T("file_rejects")), sheet: sheetName(T("rejected_rows")), columns: []exportColumn{
		{field: "file", header: T("file")}, {field: "line", header: T("export_line")}, {field: "column", header: T("export_column")},
		{field: "value", header: T("export_value")}, {field: "reason", header: T("export_reason")},
	}}
	for _, r := range rows {
		e.rows = append(e.rows, []any{r.File, r.Line, r.Column, r.Value, r.Reason})
	}
	e.notes = []workbook.Note{{Label: T("export_import"), Text: strconv.FormatInt(id, 10)}}
	if len(rows) > 0 {
		e.notes = append(e.notes, workbook.Note{Label: T("file"), Text: rows[0].File})
	}
	return e, nil
}
