package dashboard

import (
	"bytes"
	"cmp"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/widgets"
	"github.com/verzuim/absence/dashboard/workbook"
)

// downloadPack is the pack as a workbook: one sheet per section of the
// print pages, from the same figures, and the Toelichting. A suppressed
// figure is an empty cell, never a zero.
func (s *Server) downloadPack(c *gin.Context) {
	p, ok := s.loadPack(c)
	if !ok {
		return
	}
	data := p.Data.(packData)
	ctx, d := c.Request.Context(), s.deps(c)
	month, err := widgets.KPIs.Get(ctx, d, data.views.month)
	if err != nil {
		s.serverError(c, err)
		return
	}
	year, err := widgets.KPIs.Get(ctx, d, data.views.year)
	if err != nil {
		s.serverError(c, err)
		return
	}
	series, err := widgets.Series.Get(ctx, d, data.views.year)
	if err != nil {
		s.serverError(c, err)
		return
	}
	depts, err := widgets.Breakdown(analytics.ByDepartment).Get(ctx, d, data.views.year)
	if err != nil {
		s.serverError(c, err)
		return
	}
	t := p.T
	figs := analytics.FiguresShown(analytics.OnOverview)
	labels := map[string]string{}
	var notes []workbook.Note
	for _, def := range analytics.Definitions(s.cfg.Analytics) {
		labels[def.Key] = def.In(p.Lang).Label
	}
	notes = append(notes,
		workbook.Note{Label: t("pack_month"), Text: p.MonthName(data.Month)},
		workbook.Note{Label: t("pack_rolling"), Text: data.YearFrom.Format(time.DateOnly) + " – " + data.MonthEnd.Format(time.DateOnly)},
		workbook.Note{Label: t("pack_filter"), Text: p.PackFilter()},
		workbook.Note{Label: t("pack_extract"), Text: data.Extract.Format(time.DateOnly)},
		workbook.Note{Label: t("pack_suppression"), Text: t("suppressed")})
	for _, def := range analytics.Definitions(s.cfg.Analytics) {
		for _, f := range figs {
			if f.Key == def.Key {
				notes = append(notes, workbook.Note{Label: def.In(p.Lang).Label, Text: widgets.Hover(def.In(p.Lang))})
			}
		}
	}

	overview := workbook.Table{Name: t("overview"), Header: []string{t("pack_figure"), p.MonthName(data.Month), t("pack_rolling")}}
	for _, f := range figs {
		overview.Rows = append(overview.Rows, []any{labels[f.Key], figureOf(f, month.Total), figureOf(f, year.Total)})
	}
	trends := workbook.Table{Name: t("trends"), Header: []string{t("pack_period"), t("zvp") + " (%)", t("previous_year") + " (%)", t("rolling") + " (%)", t("zmf")}}
	for _, pt := range series.Points {
		trends.Rows = append(trends.Rows, []any{pt.Label, cell(pt.Current.ZVP), cell(pt.PreviousYear.ZVP), cell(pt.Rolling12.ZVP), cell(pt.Current.ZMF)})
	}
	breakdown := workbook.Table{Name: t("breakdown"), Header: []string{t("department")}}
	for _, f := range figs {
		breakdown.Header = append(breakdown.Header, labels[f.Key])
	}
	for _, g := range append(depts.Groups, depts.Total) {
		name := g.Key
		if g.Key == analytics.TotalKey {
			name = t("pack_total")
		}
		row := []any{name}
		for _, f := range figs {
			row = append(row, figureOf(f, g))
		}
		breakdown.Rows = append(breakdown.Rows, row)
	}
	durations := workbook.Table{Name: t("durations"), Header: []string{t("pack_class"), t("zvp") + " (%)"}}
	for _, cl := range year.Total.DurationClasses {
		var v any
		if !year.Total.Suppressed {
			v = cell(cl.ZVP)
		}
		durations.Rows = append(durations.Rows, []any{cl.Label + " " + t("days"), v})
	}
	tr := data.Tracks
	poortwachter := workbook.Table{Name: t("poortwachter"), Header: []string{t("pack_figure"), t("pack_count")}, Rows: [][]any{
		{t("open_tracks"), int64(tr.Open)},
		{fmt.Sprintf("%s %d %s", t("deadlines"), tr.DeadlineWeeks, t("weeks")), int64(tr.Deadlines)},
		{t("overdue"), int64(tr.Overdue)},
	}}
	if tr.MilestoneData && !tr.ComplianceSuppressed {
		for _, m := range tr.Compliance {
			ms := t("ms_" + m.Milestone)
			poortwachter.Rows = append(poortwachter.Rows,
				[]any{ms + ": " + t("due_in_period"), cell(m.Due)},
				[]any{ms + ": " + t("on_time"), cell(m.OnTime)},
				[]any{ms + ": " + t("late"), cell(m.Late)},
				[]any{ms + ": " + t("missing"), cell(m.Missing)})
		}
	}
	interventions := workbook.Table{Name: t("interventions"), Header: []string{t("pack_type"), t("units_intervention"), t("cases"), t("pack_employees")}}
	for _, g := range data.Interventions {
		interventions.Rows = append(interventions.Rows, []any{t("iv_" + g.Type), cell(g.Interventions), cell(g.Cases), cell(g.Employees)})
	}

	var buf bytes.Buffer
	if err := workbook.Write(&buf, []workbook.Table{overview, trends, breakdown, durations, poortwachter, interventions}, notes); err != nil {
		s.serverError(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="verzuimrapportage-%s.xlsx"`, data.Month.Format("2006-01")))
	c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

// figureOf is figure f of group g for a sheet: a number, or empty when hidden.
func figureOf(f analytics.Figure, g analytics.Group) any {
	if g.Suppressed {
		return nil
	}
	if v, ok := f.Value(g); ok {
		return v
	}
	return nil
}

// PackFilter says which employees the pack covers.
func (p page) PackFilter() string {
	out := p.T("all_employers")
	if e := p.View.scope.employers; len(e) == 1 {
		out = cmp.Or(shownName(e[0].Name), p.T("whole_organisation"))
	}
	for _, d := range p.View.Departments {
		out += " · " + d
	}
	return out
}
