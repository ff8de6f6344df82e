package widgets

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/verzuim/absence/analytics"
)

// The evidence card of an intervention type: one page in plain words,
// built from sections (card_*.go), each a widget over the same figure, the
// adjusted effect; the cost section also over the return priced from it,
// the sessions section over the dose.

// Adjusted is the adjusted effect of every intervention type and provider
// (analytics.Adjusted). Read it for v.ThreeYears(), as the Interventies
// page reads its figures.
var Adjusted = Source[analytics.AdjustedResult]{"adjusted", func(ctx context.Context, d Deps, f analytics.Filter) (analytics.AdjustedResult, error) {
	return analytics.Adjusted(ctx, d.Reader, f, analytics.AdjustedOptions{}, d.Options)
}}

// Card is what a card is of: an intervention type, and one provider of it
// when Provider is set (the employer is the view's). Of names whose
// interventions the figures are, in words: the chosen provider, provider
// staff's own organisation, or "" for every provider.
type Card struct{ Type, Provider, Of string }

// CardTypes are the types a card can be made for: those the adjusted effect
// is computed for (a return-to-work talk is held at the return).
func CardTypes() []string {
	return slices.DeleteFunc(slices.Clone(analytics.InterventionTypes), func(t string) bool { return t == analytics.ReturnTalk })
}

// CardSections are the card's sections in the order of the page.
func CardSections(c Card) []Widget {
	return []Widget{&CardGroups{cardSection{card: c}}, &CardEffect{cardSection{card: c}}, &CardShares{cardSection{card: c}},
		&CardTiming{cardSection{card: c}}, &CardCost{cardSection: cardSection{card: c}}, &CardSessions{cardSection: cardSection{card: c}},
		&CardMethod{cardSection{card: c}}}
}

// CardFigures are a card's estimates, picked from the adjusted effect: one
// per method and the timing model. A suppressed estimate has a reason and
// no figures, and the card says the reason instead.
type CardFigures struct {
	Card
	Found                 bool // the result has the card's type (and provider)
	IPW, Cox, TimeVarying analytics.AdjustedEstimate
	Timing                analytics.TimingEstimate
	Coverage              analytics.Coverage
	Definitions           analytics.DefinitionList
}

// Estimates are the card's estimates in the order the Methode section and
// the download list them.
func (f CardFigures) Estimates() []analytics.AdjustedEstimate {
	return []analytics.AdjustedEstimate{f.IPW, f.Cox, f.TimeVarying}
}

// FiguresOf picks card c's estimates from res.
func FiguresOf(res analytics.AdjustedResult, c Card) CardFigures {
	f := CardFigures{Card: c, Coverage: res.Coverage, Definitions: res.Definitions}
	// The card's employer is the view's: its rows are the pooled ones, not
	// the rows per employer of a scope of several.
	ours := func(typ string, prv, emp *string) bool {
		return typ == c.Type && emp == nil && (prv == nil) == (c.Provider == "") && (prv == nil || *prv == c.Provider)
	}
	for _, e := range res.Estimates {
		if !ours(e.InterventionType, e.Provider, e.Employer) {
			continue
		}
		f.Found = true
		switch e.Method {
		case analytics.MethodIPWLandmark:
			f.IPW = e
		case analytics.MethodCoxLandmark:
			f.Cox = e
		case analytics.MethodCoxTimeVarying:
			f.TimeVarying = e
		}
	}
	for _, t := range res.Timing {
		if ours(t.InterventionType, t.Provider, t.Employer) {
			f.Timing = t
		}
	}
	return f
}

// cardSection is what every section does: read the adjusted effect of the
// view and pick the card's figures.
type cardSection struct {
	card Card
	fig  CardFigures
}

func (s *cardSection) Load(ctx context.Context, d Deps, v View) error {
	res, err := Adjusted.Get(ctx, d, v.ThreeYears())
	if err != nil {
		return err
	}
	if s.fig = FiguresOf(res, s.card); !s.fig.Found {
		return ErrNoSuchCard{s.card}
	}
	return nil
}

// ErrNoSuchCard is a card of a provider that has no interventions of the
// type in the view.
type ErrNoSuchCard struct{ Card Card }

func (e ErrNoSuchCard) Error() string {
	return "no interventions of type " + e.Card.Type + " by provider " + e.Card.Provider + " in the view"
}

// Given says whether the card's provider (every provider) gave an
// intervention of its type in the view: without one there is nothing to
// compare, and no landmark day.
func (f CardFigures) Given() bool { return f.IPW.Reason != analytics.ReasonNoInterventions }

// NotGiven says that no intervention of the card's type was given.
func NotGiven(v View, c Card) string {
	if c.Of != "" {
		return fmt.Sprintf(v.T("card_not_given_by"), c.Of, v.T("iv_"+c.Type))
	}
	return fmt.Sprintf(v.T("card_not_given"), v.T("iv_"+c.Type))
}

// Landmark is the landmark day of the card's landmark comparison.
func (f CardFigures) Landmark() int {
	for _, e := range []analytics.AdjustedEstimate{f.IPW, f.Cox} {
		if e.LandmarkDay != nil {
			return *e.LandmarkDay
		}
	}
	return 0
}

// Why says in words why an estimate has no figures.
func Why(v View, reason string) string {
	switch reason {
	case analytics.ReasonNoEvents, analytics.ReasonNotEstimable, analytics.ReasonComplementary, analytics.ReasonNoMedian, analytics.ReasonNoInterventions:
		return v.T("card_" + reason)
	}
	return v.T("card_too_few_cases")
}

// With is "with an intervention talk" in the view's language.
func With(v View, typ string) string { return v.T("card_with_" + typ) }

// Verdict is what a hazard ratio's interval shows, as the suffix of its
// texts: "sooner" (the whole interval above 1: back at the own employer
// sooner with the intervention), "slower" (below 1) or "none" (no
// difference shown); "unknown" without one.
func Verdict(hr *analytics.HRInterval) string {
	switch {
	case hr == nil:
		return "unknown"
	case hr.Lower > 1:
		return "sooner"
	case hr.Upper < 1:
		return "slower"
	}
	return "none"
}

// HRSentence says a hazard ratio in words, of the employees with the
// card's intervention: "… keerden sneller terug in hun eigen werk …".
func HRSentence(v View, hr *analytics.HRInterval, typ string) string {
	return fmt.Sprintf(v.T("card_hr_"+Verdict(hr)), With(v, typ))
}

// HRShort says it in a few words: "sneller terug in het eigen werk".
func HRShort(v View, hr *analytics.HRInterval) string { return v.T("card_hr_short_" + Verdict(hr)) }

// hrOf is an estimate's hazard ratio with its interval, nil when suppressed.
func hrOf(e analytics.AdjustedEstimate) *analytics.HRInterval {
	if e.Suppressed || e.HazardRatio == nil || e.Lower == nil || e.Upper == nil {
		return nil
	}
	return &analytics.HRInterval{HazardRatio: *e.HazardRatio, Lower: *e.Lower, Upper: *e.Upper}
}

// days writes a number of whole days: "1 dag", "9 dagen".
func days(v View, n int) string {
	if n == 1 {
		return v.T("card_one_day")
	}
	return fmt.Sprintf(v.T("card_days"), n)
}

// sooner says how much sooner (positive) or later (negative) in days:
// "9 dagen eerder", "3 dagen later", "even snel".
func sooner(v View, d int) string {
	switch {
	case d > 0:
		return fmt.Sprintf(v.T("card_sooner"), days(v, d))
	case d < 0:
		return fmt.Sprintf(v.T("card_later"), days(v, -d))
	}
	return v.T("card_as_fast")
}

// soonerRange says an interval of days sooner: "3–15 dagen eerder", or
// "van 10 dagen later tot 55 dagen eerder" when it spans both.
func soonerRange(v View, lo, hi int) string {
	switch {
	case lo > 0:
		return fmt.Sprintf(v.T("card_sooner"), fmt.Sprintf("%d–%s", lo, days(v, hi)))
	case hi < 0:
		return fmt.Sprintf(v.T("card_later"), fmt.Sprintf("%d–%s", -hi, days(v, -lo)))
	}
	return fmt.Sprintf(v.T("card_from_to"), sooner(v, lo), sooner(v, hi))
}

// wholeDays rounds a number of days half away from zero.
func wholeDays(x float64) int { return int(math.Round(x)) }
