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
	"github.com/verzuim/absence/dashboard/workbook"
)

// cardXLSX sends the card's figures as an Excel workbook: the estimates of
// each method as the API gives them, the groups, the shares back at work,
// the timing, the return and who paid, the outcome by sessions, and a
// Toelichting sheet with the filter and the definitions. A suppressed estimate has empty cells and the reason in
// words, never a figure.
func (s *Server) cardXLSX(c *gin.Context, card widgets.Card) {
	f, v, ok := s.cardFigures(c, card)
	if !ok {
		return
	}
	ctx, d := answer(c.Request.Context()), s.deps(c)
	cost, err := widgets.InterventionCost(ctx, d, v.ThreeYears())
	if err != nil {
		s.serverError(c, err)
		return
	}
	dose, err := widgets.Dose.Get(ctx, d, v.ThreeYears())
	if err != nil {
		s.serverError(c, err)
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
		if e.Suppressed && e.Method != analytics.MethodCoxTimeVarying {
			shares.Rows = append(shares.Rows, []any{e.Method, nil, nil, nil, why(true, e.Reason)})
		}
		for _, sh := range e.BackAtOwnEmployer {
			shares.Rows = append(shares.Rows, []any{e.Method, sh.Days, cell(sh.Treated), cell(sh.Control), nil})
		}
	}
	groups := workbook.Table{Name: t("card_sheet_groups"), Header: []string{t("card_comparison"), t("card_group"), t("card_cases"), t("card_returns"), t("card_suppressed_why")}}
	g := widgets.GroupsOf(v, f)
	if len(g.Tables) == 0 { // nothing compared: the reason in words
		for _, s := range g.Intro {
			groups.Rows = append(groups.Rows, []any{nil, nil, nil, nil, s})
		}
	}
	for _, tb := range g.Tables {
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
	returns, payers, sessions := costSheets(v, card, cost, dose, why)
	notes := []workbook.Note{
		{Label: t("card_note_card"), Text: v.T("iv_" + card.Type)},
		{Label: t("provider"), Text: cardProvider(c, card)},
	}
	if names := employerNames(v); len(names) > 0 {
		notes = append(notes, workbook.Note{Label: t("employer"), Text: strings.Join(names, ", ")})
	}
	notes = append(notes,
		workbook.Note{Label: t("card_note_period"), Text: f.Coverage.From.Format(time.DateOnly) + " – " + f.Coverage.To.Format(time.DateOnly)},
		workbook.Note{Label: t("card_note_extract"), Text: f.Coverage.ExtractDate.Format(time.DateOnly)},
		workbook.Note{Label: t("card_note_filter"), Text: filterText(c)},
		workbook.Note{Label: t("card_caveats_title"), Text: strings.Join([]string{t("card_caveat_observational"), t("card_caveat_unrecorded"), t("card_caveat_small")}, " ")},
	)
	defined := map[string]bool{}
	for _, d := range slices.Concat(f.Definitions, cost.Definitions, dose.Definitions) {
		if defined[d.Key] {
			continue
		}
		defined[d.Key] = true
		txt := d.In(v.Lang)
		notes = append(notes, workbook.Note{Label: d.Key, Text: strings.Join(nonEmpty(txt.Name+":", txt.Formula, txt.Convention, txt.Interval), " ")})
	}
	c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.xlsx"`, cardFileName(card)))
	c.Status(http.StatusOK)
	if err := workbook.Write(c.Writer, []workbook.Table{estimates, groups, shares, timing, returns, payers, sessions}, notes); err != nil {
		s.logError(c, fmt.Errorf("write the card's workbook: %w", err))
	}
}

// costSheets are the card's return (as the API gives it), who paid for
// its type, and the outcome by sessions, each suppressed row with the
// reason in words and no figure.
func costSheets(v widgets.View, card widgets.Card, cost analytics.InterventionCost, dose analytics.DoseResult, why func(bool, string) any) (returns, payers, sessions workbook.Table) {
	t := v.T
	bounds := func(b *analytics.Bounds) (any, any) {
		if b == nil {
			return nil, nil
		}
		return cell(b.Low), cell(b.High)
	}
	returns = workbook.Table{Name: t("card_sheet_cost"), Header: []string{"intervention_type", "provider", "employer", "method", "landmark_day", "n_treated",
		"days_saved", "days_saved_low", "days_saved_high", "fte_factor", "day_cost", "value_saved", "value_saved_low", "value_saved_high",
		"mean_cost", "net_benefit", "net_benefit_low", "net_benefit_high", t("card_suppressed_why")}}
	if r, ok := widgets.ReturnOf(cost, card); ok {
		dl, dh := bounds(r.DaysSavedCI)
		vl, vh := bounds(r.ValueSavedCI)
		nl, nh := bounds(r.NetBenefitCI)
		returns.Rows = append(returns.Rows, []any{r.InterventionType, cell(r.Provider), cell(r.Employer), r.Method, cell(r.LandmarkDay), cell(r.NTreated),
			cell(r.DaysSaved), dl, dh, cell(r.FTEFactor), cell(r.DayCost), cell(r.ValueSaved), vl, vh,
			cell(r.MeanCost), cell(r.NetBenefit), nl, nh, why(r.Suppressed, r.Reason)})
	}
	payers = workbook.Table{Name: t("card_sheet_payers"), Header: []string{t("card_payer"), "payer", "interventions", "cases", "cost", "share_pct", t("card_suppressed_why")}}
	for _, p := range widgets.PayersOf(cost, card) {
		payers.Rows = append(payers.Rows, []any{t("card_payer_" + p.Payer), p.Payer, cell(p.Interventions), cell(p.Cases), cell(p.Cost), cell(p.SharePct), why(p.Suppressed, analytics.ReasonTooFewCases)})
	}
	sessions = workbook.Table{Name: t("card_sheet_sessions"), Header: []string{t("card_group"), "by", "band", "n", "cases", "employees",
		"back_at_own_employer_pct", "low", "high", "median_days_to_return", t("card_suppressed_why")}}
	for _, g := range widgets.DoseGroupsOf(dose, card) {
		lo, hi := bounds(g.BackAtOwnEmployer.CI)
		sessions.Rows = append(sessions.Rows, []any{widgets.DoseGroupLabel(v, g), g.By, g.Band, cell(g.Interventions), cell(g.Cases), cell(g.Employees),
			cell(g.BackAtOwnEmployer.Pct), lo, hi, cell(g.MedianDaysToReturn), why(g.Suppressed, analytics.ReasonTooFewCases)})
	}
	return returns, payers, sessions
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
