package widgets

import (
	"fmt"
	"github.com/verzuim/absence/analytics"
)

// CardEffect says the effect in sentences: how many days sooner the
// employees with the intervention were back at their own work (the
// difference in median duration of the weighted landmark comparison, with
// its interval), whether they returned sooner at all (its hazard ratio in
// words), and what the model that drops nobody says.
type CardEffect struct{ cardSection }

// CardEffectData is the section as its template shows it: sentences, a
// calculation without figures saying why.
type CardEffectData struct{ Sentences []string }

func (*CardEffect) Name() string { return "cardEffect" }

func (w *CardEffect) Render(_ Deps, v View) Output {
	f := w.fig
	with := With(v, f.Type)
	var out CardEffectData
	if !f.Given() {
		return Output{Data: CardEffectData{Sentences: []string{v.T("card_nothing_to_say") + ": " + Why(v, f.IPW.Reason) + "."}}}
	}
	if e := f.IPW; e.Suppressed {
		out.Sentences = append(out.Sentences, fmt.Sprintf(v.T("card_effect_landmark_why"), f.Landmark(), Why(v, e.Reason)))
	} else {
		out.Sentences = append(out.Sentences, medianSentence(v, with, f.Landmark(), e.MedianDifference, e.MedianDifferenceCI), HRSentence(v, hrOf(e), f.Type))
	}
	what := Why(v, f.TimeVarying.Reason)
	if !f.TimeVarying.Suppressed {
		what = HRShort(v, hrOf(f.TimeVarying))
	}
	out.Sentences = append(out.Sentences, fmt.Sprintf(v.T("card_effect_all"), what))
	return Output{Data: out}
}

// medianSentence: "Werknemers met een interventiegesprek vóór dag 42 waren
// doorgaans 9 dagen eerder terug in hun eigen werk (95%: 3–15 dagen
// eerder)."
func medianSentence(v View, with string, landmark int, diff *float64, ci *analytics.Bounds) string {
	if diff == nil {
		return fmt.Sprintf(v.T("card_effect_no_median"), with, landmark)
	}
	d := wholeDays(*diff)
	s := fmt.Sprintf(v.T("card_effect_median_same"), with, landmark)
	if d != 0 {
		s = fmt.Sprintf(v.T("card_effect_median"), with, landmark, sooner(v, d))
	}
	if ci == nil || ci.Low == nil || ci.High == nil {
		return s + " " + v.T("card_effect_no_interval")
	}
	lo, hi := wholeDays(*ci.Low), wholeDays(*ci.High)
	s += " " + fmt.Sprintf(v.T("card_effect_interval"), soonerRange(v, lo, hi))
	if lo <= 0 && hi >= 0 {
		s += " " + v.T("card_effect_maybe_none")
	}
	return s
}
