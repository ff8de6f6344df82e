package widgets

import (
	"fmt"
	"strings"

	"github.com/verzuim/absence/analytics"
)

// CardMethod is the card's "Methode" section, for who wants to check the
// figures: per method its hazard ratio with interval, the numbers per arm,
// the difference in median duration, the balance of the covariates before
// and after weighting, the timing model, and each method's definition.
// Statistical terms live here and nowhere else on the card.
type CardMethod struct{ cardSection }

// CardMethodData is the section as its template shows it.
type CardMethodData struct {
	Estimates   []MethodRow
	Timing      []MethodRow
	Balance     []BalanceRow
	Definitions []DefinitionText
}

// MethodRow is one estimate, written out; Why instead when suppressed.
type MethodRow struct {
	Label, Landmark, HR, Treated, Control, Events, MedianDifference, Why string
}

// BalanceRow is a covariate's standardised mean difference between the
// arms, before and after weighting.
type BalanceRow struct{ Covariate, Before, After string }

// DefinitionText is a definition as the section lists it.
type DefinitionText struct{ Name, Text string }

func (*CardMethod) Name() string { return "cardMethod" }

func (w *CardMethod) Render(_ Deps, v View) Output {
	f := w.fig
	var out CardMethodData
	for _, e := range f.Estimates() {
		row := MethodRow{Label: methodLabel(v, f.Definitions, e.Method), Landmark: "–"}
		if e.LandmarkDay != nil {
			row.Landmark = fmt.Sprintf(v.T("card_day"), *e.LandmarkDay)
		}
		if e.Suppressed {
			row.Why = Why(v, e.Reason)
		} else {
			row.HR = HRText(v.Lang, hrOf(e))
			row.Treated, row.Control = Count(e.NTreated), Count(e.NControl)
			row.Events = Count(e.EventsTreated) + " / " + Count(e.EventsControl)
			row.MedianDifference = Num(v.Lang, e.MedianDifference, 0)
			if ci := e.MedianDifferenceCI; ci != nil && ci.Low != nil && ci.High != nil {
				row.MedianDifference += " (" + Between(Num(v.Lang, ci.Low, 0), Num(v.Lang, ci.High, 0)) + ")"
			}
		}
		out.Estimates = append(out.Estimates, row)
	}
	if !f.IPW.Suppressed {
		for _, b := range f.IPW.Balance {
			out.Balance = append(out.Balance, BalanceRow{covariateLabel(v, b.Covariate), Num(v.Lang, &b.Before, 2), Num(v.Lang, b.After, 2)})
		}
	}
	t := f.Timing
	for _, level := range []struct {
		key string
		hr  *analytics.HRInterval
		n   *int64
	}{{"card_timing_early_label", t.Early, t.NEarly}, {"card_timing_late_label", t.Late, t.NLate}} {
		row := MethodRow{Label: fmt.Sprintf(v.T(level.key), t.EarlyDays), Landmark: "–"}
		if t.Suppressed {
			row.Why = Why(v, t.Reason)
		} else {
			row.HR, row.Treated, row.Control = HRText(v.Lang, level.hr), Count(level.n), Count(t.NNone)
		}
		out.Timing = append(out.Timing, row)
	}
	for _, d := range f.Definitions {
		txt := d.In(v.Lang)
		var parts []string
		for _, s := range []string{txt.Formula, txt.Convention, txt.Interval} {
			if s != "" {
				parts = append(parts, s)
			}
		}
		out.Definitions = append(out.Definitions, DefinitionText{txt.Name, strings.Join(parts, " ")})
	}
	return Output{Data: out}
}

// HRText writes a hazard ratio with its interval: "1,63 (1,21 – 2,19)".
func HRText(lang string, hr *analytics.HRInterval) string {
	if hr == nil {
		return "–"
	}
	return Num(lang, &hr.HazardRatio, 2) + " (" + Between(Num(lang, &hr.Lower, 2), Num(lang, &hr.Upper, 2)) + ")"
}

// methodLabel is a method's label in the view's language, from its
// definition.
func methodLabel(v View, defs analytics.DefinitionList, method string) string {
	for _, d := range defs {
		if d.Key == method {
			return d.In(v.Lang).Label
		}
	}
	return method
}

// covariateLabel names a covariate of the balance table: "afdeling = ICT".
func covariateLabel(v View, key string) string {
	kind, level, ok := strings.Cut(key, "=")
	label := v.T("card_cov_" + kind)
	if label == "card_cov_"+kind {
		label = kind // a covariate this page does not know yet
	}
	if ok {
		return label + " = " + level
	}
	return label
}
