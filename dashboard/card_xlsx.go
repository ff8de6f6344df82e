package dashboard

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/widgets"
	"github.com/verzuim/absence/dashboard/workbook"
)

// cardXLSX sends the card's figures as an Excel workbook: the estimates of
// each method as the API gives them, the groups, the shares back at work
// and the timing, and a Toelichting sheet with the filter and the
// definitions. A suppressed estimate has empty cells and the reason in
// words, never a figure.
func (s *Server) cardXLSX(c *gin.Context, card widgets.Card) {
	f, v, ok := s.cardFigures(c, card)
	if !ok {
		return
	}
	t := v.T
	why := func(suppressed bool, reason string) any {
		if !suppressed {
			return nil
		}
		return widgets.Why(v, reason)
	}
	estimates := workbook.Table{Name: t("card_sheet_estimates"), Header: []string{
		"intervention_type", "provider", "employer", "method", "landmark_day", "hazard_ratio", "lower", "upper",
		"n_treated", "n_control", "events_treated", "events_control",
		"median_days_treated", "median_days_control", "median_difference_days", "median_difference_low", "median_difference_high", t("card_suppressed_why")}}
	shares := workbook.Table{Name: t("card_sheet_shares"), Header: []string{"method", "days_after_landmark", "treated_pct", "control_pct", t("card_suppressed_why")}}
	for _, e := range f.Estimates() {
		var lo, hi *float64
		if ci := e.MedianDifferenceCI; ci != nil {
			lo, hi = ci.Low, ci.High
		}
		estimates.Rows = append(estimates.Rows, []any{e.InterventionType, cell(e.Provider), cell(e.Employer), e.Method, cell(e.LandmarkDay),
			cell(e.HazardRatio), cell(e.Lower), cell(e.Upper), cell(e.NTreated), cell(e.NControl), cell(e.EventsTreated), cell(e.EventsControl),
			cell(e.MedianTreated), cell(e.MedianControl), cell(e.MedianDifference), cell(lo), cell(hi), why(e.Suppressed, e.Reason)})
		if e.Suppressed && e.LandmarkDay != nil {
			shares.Rows = append(shares.Rows, []any{e.Method, nil, nil, nil, why(true, e.Reason)})
		}
		for _, sh := range e.BackAtOwnEmployer {
			shares.Rows = append(shares.Rows, []any{e.Method, sh.Days, cell(sh.Treated), cell(sh.Control), nil})
		}
	}
	groups := workbook.Table{Name: t("card_sheet_groups"), Header: []string{t("card_comparison"), t("card_group"), t("card_cases"), t("card_returns"), t("card_suppressed_why")}}
	for _, tb := range widgets.GroupsOf(v, f).Tables {
		if tb.Why != "" {
			groups.Rows = append(groups.Rows, []any{tb.Title, nil, nil, nil, tb.Why})
		}
		for _, a := range tb.Arms {
			groups.Rows = append(groups.Rows, []any{tb.Title, a.Label, cell(a.Cases), cell(a.Returns), nil})
		}
	}
	tm := f.Timing
	timing := workbook.Table{Name: t("card_sheet_timing"), Header: []string{"start", "early_days", "hazard_ratio", "lower", "upper", "n_started", "n_none", t("card_suppressed_why")}}
	for _, level := range []struct {
		name string
		hr   *analytics.HRInterval
		n    *int64
	}{{"early", tm.Early, tm.NEarly}, {"late", tm.Late, tm.NLate}} {
		row := []any{level.name, tm.EarlyDays, nil, nil, nil, cell(level.n), cell(tm.NNone), why(tm.Suppressed, tm.Reason)}
		if level.hr != nil {
			row[2], row[3], row[4] = level.hr.HazardRatio, level.hr.Lower, level.hr.Upper
		}
		timing.Rows = append(timing.Rows, row)
	}
	notes := []workbook.Note{
		{Label: t("card_note_card"), Text: v.T("iv_" + card.Type)},
		{Label: t("provider"), Text: cardProvider(c, card)},
		{Label: t("employer"), Text: strings.Join(employerNames(v), ", ")},
		{Label: t("card_note_period"), Text: fmt.Sprintf("%s – %s", f.Coverage.From, f.Coverage.To)},
		{Label: t("card_note_extract"), Text: fmt.Sprint(f.Coverage.ExtractDate)},
		{Label: t("card_note_filter"), Text: filterText(c)},
		{Label: t("card_caveats_title"), Text: strings.Join([]string{t("card_caveat_observational"), t("card_caveat_unrecorded"), t("card_caveat_small")}, " ")},
	}
	for _, d := range f.Definitions {
		txt := d.In(v.Lang)
		notes = append(notes, workbook.Note{Label: d.Key, Text: strings.Join(nonEmpty(txt.Name+":", txt.Formula, txt.Convention, txt.Interval), " ")})
	}
	c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.xlsx"`, cardFileName(card)))
	c.Status(http.StatusOK)
	if err := workbook.Write(c.Writer, []workbook.Table{estimates, groups, shares, timing}, notes); err != nil {
		s.logError(c, fmt.Errorf("write the card's workbook: %w", err))
	}
}

// cell is a figure of the API as a workbook cell: nil (empty) for null.
func cell[T int | int64 | float64 | string](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func nonEmpty(list ...string) []string {
	var out []string
	for _, s := range list {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
