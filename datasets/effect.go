package datasets

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// A mode with a known intervention effect, to prove that the adjusted
// estimators of package analytics recover it. With Config.Effect set, every
// sickness case lasts until it ends back at the own employer, in another
// way (a constant competing hazard) or at 104 weeks (WIA), drawn from a
// proportional-hazards model whose truth is known:
//
//	hazard of return to own work at day t = h0(t) · exp(x·b) · HR^[an intervention started by t]
//
// with h0 Weibull (shape effectShape, median effectMedian days at x·b = 0)
// and x·b made of what the export carries: the age band (calendar year −
// birth year, the analytics' bands), the sick reports in the 365 days
// before and a partial start (the case begins at 50%). Confounding by
// indication: the worse the prognosis (the lower x·b), the likelier a case
// gets the intervention (logit P = effectTreatBase − effectTreatSlope·x·b),
// planned on a day drawn before the outcome and given only if the case is
// still open then. Other intervention types are not generated.

// KnownEffect is the truth of the mode.
type KnownEffect struct {
	Type        string  // intervention type; default "intervention_talk"
	HazardRatio float64 // of return to own work once the intervention started; default 1.5
}

const (
	effectShape      = 0.7
	effectMedian     = 20.0       // days
	effectOtherRate  = 1.0 / 1500 // per day: other endings, independent of everything
	effectAgeBand    = -0.05      // per age band above <25
	effectPrior      = -0.10      // per sick report in the year before
	effectPartial    = 0.15       // a partial start: a milder case
	effectPartialP   = 0.12
	effectTreatBase  = -2.2
	effectTreatSlope = 14.0
)

// ageBandFrom are the lower bounds of the analytics' age bands.
var ageBandFrom = []int{0, 25, 35, 45, 55, 65}

func (e *KnownEffect) withDefaults() (*KnownEffect, error) {
	if e == nil {
		return nil, nil
	}
	out := *e
	if out.Type == "" {
		out.Type = interventionTypes[ivTalk]
	}
	if out.HazardRatio == 0 {
		out.HazardRatio = 1.5
	}
	if out.HazardRatio < 0 || !slices.Contains(interventionTypes[:], out.Type) {
		return nil, fmt.Errorf("datasets: known effect: hazard ratio %g, type %q", out.HazardRatio, out.Type)
	}
	return &out, nil
}

// effectCase draws a sickness case of the known-effect mode starting on
// onset: its length, end reason, segments and intervention. It returns the
// length.
func (p *person) effectCase(c *icase) int {
	g, r, eff := p.g, p.r, p.g.cfg.Effect
	band := 0
	for k, from := range ageBandFrom {
		if c.first.time().Year()-p.birth.time().Year() >= from {
			band = k
		}
	}
	prior := 0
	for _, o := range p.cases {
		if (o.typ == TypeSickness || o.typ == TypeSicknessPregnancy) && o.first >= c.first-365 && o.first < c.first {
			prior++
		}
	}
	partial := r.Float64() < effectPartialP
	xb := Prognosis(band, prior, partial)
	treat := r.Float64() < 1/(1+math.Exp(-(effectTreatBase-effectTreatSlope*xb)))
	start := 14 + r.IntN(29)
	if r.Float64() < 0.15 {
		start = 43 + r.IntN(28)
	}
	with, without := eff.Continue(r, xb, 0, start)
	end := without
	if treat {
		end = with
	}
	dur := end.Day
	switch {
	case end.Own:
		c.reason = ReasonFullReturn
	case dur == wiaDays:
		c.reason = ReasonWIA
	default:
		c.reason = ReasonOther
	}
	c.rec = c.first + day(dur)
	pct := 100.0
	if partial {
		pct = 50
	}
	c.segs = append(c.segs[:0], iseg{c.first, pct})
	c.ivs = c.ivs[:0]
	if treat && start < dur && c.first+day(start) <= g.extract {
		typ := slices.Index(interventionTypes[:], eff.Type)
		prov := providers[typ]
		c.ivs = append(c.ivs, iiv{typ: typ, provider: prov[r.IntN(len(prov))], start: c.first + day(start),
			end: c.first + day(start), sessions: 1, outcome: "completed", cost: 150})
	}
	return dur
}

// Prognosis is x·b of the mode for a sickness case: band is the index of
// its age band (the analytics' bands, <25 first), prior its sick reports in
// the 365 days before, partial whether it began at 50%.
func Prognosis(band, prior int, partial bool) float64 {
	return effectAgeBand*float64(band) + effectPrior*float64(prior) + effectPartial*b2f(partial)
}

// Ending is how a case of the mode ends: on day Day of the case, back at
// own work or (Own false) in another way or WIA.
type Ending struct {
	Day int
	Own bool
}

// Continue draws how a sickness case of the mode with prognosis xb, still
// absent on day from, goes on: with the intervention started on day start
// (before from: already started; a case that ends before start never gets
// it), and without it ever, from the same random draws (both potential
// outcomes). An estimator's truth is measured on them: the hazard ratio
// among cases alike in x·b is the mode's HazardRatio, but between groups of
// cases that differ in x·b (a marginal hazard ratio) it is closer to 1. An
// employment that ends, or the extract date, does not cut them.
func (e KnownEffect) Continue(r *rand.Rand, xb float64, from, start int) (with, without Ending) {
	u := r.ExpFloat64()
	other := from + 1 + int(r.ExpFloat64()/effectOtherRate)
	end := func(start int) Ending {
		dur := max(from+1, int(math.Ceil(e.returnDay(u, xb, from, start))))
		switch {
		case other < dur && other < wiaDays:
			return Ending{other, false}
		case dur >= wiaDays:
			return Ending{wiaDays, false}
		}
		return Ending{dur, true}
	}
	return end(start), end(-1)
}

// returnDay is the day t of return to own work of a case with prognosis xb
// still absent on day from, for a standard exponential draw u: the solution
// of H(t) = H(from) + u, with the cumulative hazard
//
//	H(t) = e^xb · (Λ0(t) + (HR − 1)·(Λ0(t) − Λ0(s))⁺),  Λ0(t) = (t/λ)^k,
//
// s the day the intervention started (negative: never).
func (e KnownEffect) returnDay(u, xb float64, from, start int) float64 {
	lambda := effectMedian / math.Pow(math.Ln2, 1/effectShape)
	lam0 := func(t float64) float64 { return math.Pow(t/lambda, effectShape) }
	inv := func(h float64) float64 { return lambda * math.Pow(h, 1/effectShape) }
	a := func(t float64) float64 { // H / e^xb
		if start < 0 || t <= float64(start) {
			return lam0(t)
		}
		return lam0(float64(start)) + e.HazardRatio*(lam0(t)-lam0(float64(start)))
	}
	target := a(float64(from)) + u/math.Exp(xb)
	if start < 0 || target <= lam0(float64(start)) {
		return inv(target)
	}
	return inv(lam0(float64(start)) + (target-lam0(float64(start)))/e.HazardRatio)
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
