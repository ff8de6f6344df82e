package dashboard

import (
	"fmt"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/widgets"
	"github.com/verzuim/absence/dashboard/workbook"
)

// The downloads of the outcome tables (exports.go says how they are
// written): the survival curve of the Verzuimduur page, and the landmark
// comparison and the figures per type and provider of the Interventies
// page. The CSV has the API's field names and codes, the XLSX the user's
// words; a suppressed row has empty figures, never zeros.

// outcomeExport reads the view of request c and the figure of a table;
// three says it is read over three years, as its page does.
func outcomeExport[T any](s *Server, c *gin.Context, src widgets.Source[T], three bool) (T, view, error) {
	var zero T
	v, err := s.readView(c)
	if err != nil {
		return zero, v, err
	}
	wv := widgetView(c, v)
	if three {
		wv = wv.ThreeYears()
	}
	res, err := src.Get(answer(c.Request.Context()), s.deps(c), wv)
	return res, v, err
}

// coveredView is v over the period a figure covers (three years for the
// interventions), for the Toelichting.
func coveredView(v view, cov analytics.Coverage) view {
	v.From, v.To = cov.From.Time, cov.To.Time
	return v
}

// definitionNotes are the definitions of a figure on the Toelichting.
func definitionNotes(e *export, lang string, defs analytics.DefinitionList) {
	for _, d := range defs {
		e.notes = append(e.notes, definitionNote(d.In(lang)))
	}
}

// survivalExport is the survival curve: per day on which a case ended or
// was censored, the cases still followed and the share still absent with
// its interval.
func (s *Server) survivalExport(c *gin.Context) (export, error) {
	res, v, err := outcomeExport(s, c, widgets.Survival, false)
	if err != nil {
		return export{}, err
	}
	lang := langOf(c)
	t := func(key string) string { return translate(lang, key) }
	e := export{file: fileName(t("file_survival"), v), sheet: sheetName(t("still_absent")), columns: []exportColumn{
		{field: "t", header: t("days")}, {field: "n_risk", header: t("at_risk")}, {field: "n_event", header: t("export_ended")},
		{field: "surv_pct", header: t("still_absent") + " (%)", decimals: 1},
		{field: "lower_pct", header: t("export_ci_low"), decimals: 1}, {field: "upper_pct", header: t("export_ci_high"), decimals: 1},
	}}
	pct := func(p *float64) any {
		if p == nil {
			return nil
		}
		return 100 * *p
	}
	for _, pt := range res.Total.Points {
		e.rows = append(e.rows, []any{int64(pt.T), pt.NRisk, pt.NEvent, 100 * pt.Surv, pct(pt.Lower), pct(pt.Upper)})
	}
	e.notes = aboutView(lang, t("survival_title"), coveredView(v, res.Coverage))
	if res.Total.Suppressed {
		e.notes = append(e.notes, workbook.Note{Label: t("export_suppressed"), Text: t("suppressed")})
	}
	definitionNotes(&e, lang, res.Definitions)
	return e, nil
}

// landmarkExport is the landmark comparison: per comparison and arm the
// cases, the median days after the landmark with its interval, and per
// comparison the difference in median and the log-rank p.
func (s *Server) landmarkExport(c *gin.Context) (export, error) {
	res, v, err := outcomeExport(s, c, widgets.Landmark, true)
	if err != nil {
		return export{}, err
	}
	lang := langOf(c)
	t := func(key string) string { return translate(lang, key) }
	words := !strings.HasSuffix(c.FullPath(), ".csv")
	e := export{file: fileName(t("file_landmark"), v), sheet: sheetName(t("export_landmark")), columns: []exportColumn{
		{field: "comparison", header: t("comparison")}, {field: "type", header: t("type")}, {field: "landmark", header: "L"},
		{field: "arm", header: t("arm")}, {field: "suppressed", header: t("export_suppressed")}, {field: "cases", header: "n"},
		{field: "median_days", header: t("median_after_l")}, {field: "median_ci95_low", header: t("export_ci_low")}, {field: "median_ci95_high", header: t("export_ci_high")},
		{field: "median_difference_days", header: t("difference")}, {field: "p_value", header: "p", decimals: 4},
	}}
	p := page{Lang: lang}
	for _, cmp := range res.Comparisons {
		kind, typ := any(cmp.Kind), any(cmp.Type)
		if words {
			kind, typ = t("cmp_"+cmp.Kind), t("iv_"+cmp.Type)
		}
		var pv any
		if cmp.LogRank != nil {
			pv = cmp.LogRank.P
		}
		for _, a := range cmp.Arms {
			arm := any(a.Arm)
			if words {
				arm = p.ArmLabel(cmp, a)
			}
			var lo, hi any
			if ci := a.MedianCI; ci != nil {
				lo, hi = cell(ci.Low), cell(ci.High)
			}
			e.rows = append(e.rows, []any{kind, typ, int64(cmp.Landmark), arm, a.Suppressed, cell(a.Cases), cell(a.Median), lo, hi, cell(cmp.MedianDifference), pv})
		}
	}
	e.notes = aboutView(lang, t("landmark_title"), coveredView(v, res.Coverage))
	definitionNotes(&e, lang, res.Definitions)
	return e, nil
}

// interventionsExport is the figures per type and provider: the
// interventions, the median days to their start and the share back at the
// own employer 3, 6 and 12 months after the start.
func (s *Server) interventionsExport(c *gin.Context) (export, error) {
	res, v, err := outcomeExport(s, c, widgets.Interventions, true)
	if err != nil {
		return export{}, err
	}
	lang := langOf(c)
	t := func(key string) string { return translate(lang, key) }
	words := !strings.HasSuffix(c.FullPath(), ".csv")
	e := export{file: fileName(t("file_interventions"), v), sheet: sheetName(t("per_provider")), columns: []exportColumn{
		{field: "type", header: t("type")}, {field: "provider", header: t("provider")}, {field: "suppressed", header: t("export_suppressed")},
		{field: "interventions", header: "n"}, {field: "days_to_start_median", header: t("days_to_start")},
	}}
	for _, d := range analytics.ReturnToWorkDays {
		e.columns = append(e.columns, exportColumn{field: fmt.Sprintf("return_to_work_%d_pct", d), header: fmt.Sprintf(t("export_rtw_after"), d), decimals: 1})
	}
	for _, g := range res.Groups {
		typ := any(g.Type)
		if words {
			typ = t("iv_" + g.Type)
		}
		row := []any{typ, g.Provider, g.Suppressed, cell(g.Interventions), cell(g.DaysToStartMedian)}
		for i := range analytics.ReturnToWorkDays {
			var pct any
			if i < len(g.ReturnToWork) {
				pct = cell(g.ReturnToWork[i].Pct)
			}
			row = append(row, pct)
		}
		e.rows = append(e.rows, row)
	}
	e.notes = aboutView(lang, t("per_provider"), coveredView(v, res.Coverage))
	definitionNotes(&e, lang, res.Definitions)
	return e, nil
}
