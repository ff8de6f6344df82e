package analytics

import (
	"math"
	"slices"
)

// The time-varying estimates (cox_time_varying and the timing model): every
// case from the first day any intervention started (tvBase), as start–stop
// rows split where an exposure begins, with the covariates known at the
// first sick day. An intervention started on day s exposes the case from
// day s on: a return on a later day counts as exposed.

// tvBase is what every time-varying model shares: the cases still absent on
// day from, the first day any intervention started, and their covariates
// at the first sick day. Up to that day nobody is exposed, so the returns
// before it say nothing about an intervention: leaving them out (every case
// enters on that day) keeps the same model, and as most cases are short,
// makes it a fraction of the size.
type tvBase struct {
	from int
	set  []*adjCase
	x    [][]float64
}

func newTVBase(cases []adjCase) tvBase {
	b := tvBase{from: math.MaxInt}
	for _, c := range cases {
		for _, iv := range c.ivs {
			b.from = min(b.from, iv.day)
		}
	}
	if b.from == math.MaxInt {
		b.from = 0
	}
	for i := range cases {
		if cases[i].t > b.from {
			b.set = append(b.set, &cases[i])
		}
	}
	_, b.x = covariates(b.set, 0)
	return b
}

// timeVaryingEstimate is cox_time_varying for the group: the exposure is the
// group's intervention, with a second exposure for any other intervention
// (of another type, or provider), so that other help is not credited to it.
// Newton starts from init when it fits the model (the type's pooled fit for
// one of its providers: the same columns, and nearly the same answer). It
// returns the coefficients too (nil when not fitted).
func (g adjGroup) timeVaryingEstimate(b tvBase, th thresholds, hidden bool, init []float64) (AdjustedEstimate, []float64) {
	e := g.estimate(MethodCoxTimeVarying)
	d, arms := g.timeVarying(b, func(mine int) []int { return []int{mine} })
	if r := checkArms(th, hidden, arms[:2]...); r != "" {
		return suppress(e, r), nil
	}
	fit, err := FitCox(d, CoxOptions{Robust: true, Init: warmStart(init, d)})
	if err != nil {
		return suppress(e, fitReason(err)), nil
	}
	e.setHR(fit, 0)
	e.NTreated, e.NControl, e.EventsTreated, e.EventsControl = ptr(arms[0].cases), ptr(arms[1].cases), ptr(arms[0].events), ptr(arms[1].events)
	return e, fit.Coef
}

// warmStart is init when it has a coefficient for every column of d.
func warmStart(init []float64, d CoxData) []float64 {
	if len(d.X) == 0 || len(init) != len(d.X[0]) {
		return nil
	}
	return init
}

// timingEstimate splits the group's exposure by its start: before
// earlyDays or later. Newton starts from the group's cox_time_varying
// coefficients tv (nil: from zero), the split exposure at its coefficient.
func (g adjGroup) timingEstimate(b tvBase, earlyDays int, th thresholds, hidden bool, tv []float64) TimingEstimate {
	e := TimingEstimate{InterventionType: g.typ, EarlyDays: earlyDays}
	if g.hasPrv {
		e.Provider = ptr(g.prv)
	}
	if g.hasEmp {
		e.Employer = ptr(g.emp)
	}
	d, arms := g.timeVarying(b, func(mine int) []int {
		if mine < 0 {
			return []int{-1, -1}
		}
		if mine < earlyDays {
			return []int{mine, -1}
		}
		return []int{-1, mine}
	})
	if r := checkArms(th, hidden, arms...); r != "" {
		e.Suppressed, e.Reason = true, r
		return e
	}
	var init []float64
	if tv != nil {
		init = append([]float64{tv[0]}, tv...)
	}
	fit, err := FitCox(d, CoxOptions{Robust: true, Init: warmStart(init, d)})
	if err != nil {
		e.Suppressed, e.Reason = true, fitReason(err)
		return e
	}
	for j, dst := range []**HRInterval{&e.Early, &e.Late} {
		hr, lo, hi := fit.HazardRatio(j)
		*dst = &HRInterval{hr, lo, hi}
	}
	e.NEarly, e.NLate, e.NNone = ptr(arms[0].cases), ptr(arms[1].cases), ptr(arms[2].cases)
	return e
}

// timeVarying builds the rows: the exposures that split returns per case
// (the day each begins, −1: never) from the day of the group's first
// intervention (−1: none), then the other-intervention exposure, then the
// covariates at day 0. arms counts per exposure the cases that got it (and
// the returns after it), and last the cases without any of them (and their
// returns).
func (g adjGroup) timeVarying(b tvBase, exposures func(mine int) []int) (CoxData, []armCount) {
	set, x := b.set, b.x
	anyOther := false
	for _, c := range set {
		for _, iv := range c.ivs {
			anyOther = anyOther || !g.matches(iv)
		}
	}
	var d CoxData
	var arms []armCount
	for i, c := range set {
		mine, other := -1, -1
		for _, iv := range c.ivs {
			if g.matches(iv) && mine < 0 {
				mine = iv.day
			} else if !g.matches(iv) && other < 0 {
				other = iv.day
			}
		}
		starts := exposures(mine)
		if anyOther { // else the column would never vary
			starts = append(starts, other)
		}
		mineCols := len(exposures(-1))
		if arms == nil {
			arms = make([]armCount, mineCols+1)
		}
		cuts := []int{b.from}
		for _, s := range starts {
			if s > b.from && s < c.t {
				cuts = append(cuts, s)
			}
		}
		cuts = append(sortedUnique(cuts), c.t)
		for k := 0; k+1 < len(cuts); k++ {
			lo, hi := cuts[k], cuts[k+1]
			row := make([]float64, 0, len(starts)+len(x[i]))
			for _, s := range starts {
				row = append(row, b2f(s >= 0 && s <= lo))
			}
			d.Start, d.Stop = append(d.Start, float64(lo)), append(d.Stop, float64(hi))
			d.Event = append(d.Event, c.own && k+2 == len(cuts))
			d.X = append(d.X, append(row, x[i]...))
			d.Cluster = append(d.Cluster, c.cluster)
		}
		exposed := false
		for j, s := range starts[:mineCols] {
			if s >= 0 {
				arms[j].add(c, c.own && s < c.t)
				exposed = true
			}
		}
		if !exposed {
			arms[len(arms)-1].add(c, c.own)
		}
	}
	return d, arms
}

func sortedUnique(v []int) []int {
	slices.Sort(v)
	return slices.Compact(v)
}
