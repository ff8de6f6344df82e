package analytics

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// The landmark estimates (ipw_landmark, cox_landmark): the cases still
// absent at landmark day L, with the group's intervention started before L
// (treated) or no intervention of any type before L (control; cases with
// only other interventions before L are in neither arm), followed from L:
// the treated to the end of the case, the controls until the case ends or
// the day they get an intervention after all (censored then, so the arm
// stays one without help).

// landmarkEstimate computes one landmark method for the group.
func (g adjGroup) landmarkEstimate(cases []adjCase, method string, l int, th thresholds, hidden bool, boots int) AdjustedEstimate {
	e := g.estimate(method)
	e.LandmarkDay = ptr(l)
	set, treated := g.landmarkSet(cases, l)
	var ta, ca armCount
	for i, c := range set {
		if treated[i] {
			ta.add(c, c.own)
		} else {
			ca.add(c, c.own && c.helpedFrom() < 0)
		}
	}
	if r := checkArms(th, hidden, ta, ca); r != "" {
		return suppress(e, r)
	}
	names, x := covariates(set, l)
	ts, own, ended, helped := make([]int, len(set)), make([]bool, len(set)), make([]bool, len(set)), make([]bool, len(set))
	for i, c := range set {
		ts[i], own[i], ended[i] = c.t-l, c.own, c.ended
		if h := c.helpedFrom(); !treated[i] && h >= 0 {
			ts[i], own[i], ended[i], helped[i] = h-l, false, false, true // a control is followed until it gets help
		}
	}
	var w []float64
	var cw [][]piece
	if method == MethodIPWLandmark {
		var err error
		if w, err = stabilisedWeights(treated, x); err != nil {
			return suppress(e, ReasonNotEstimable)
		}
		if cw, err = censoringWeights(ts, helped, treated, x); err != nil {
			return suppress(e, ReasonNotEstimable)
		}
	}
	var d CoxData
	for i, c := range set {
		row := []float64{b2f(treated[i])}
		if method == MethodCoxLandmark {
			row = append(row, x[i]...)
		}
		pcs := []piece{{0, float64(ts[i]), 1}}
		if cw != nil && cw[i] != nil {
			pcs = cw[i]
		}
		for k, p := range pcs {
			d.Start, d.Stop = append(d.Start, p.from), append(d.Stop, p.to)
			d.Event = append(d.Event, own[i] && k == len(pcs)-1)
			d.X, d.Cluster = append(d.X, row), append(d.Cluster, c.cluster)
			if w != nil {
				d.Weight = append(d.Weight, w[i]*p.w)
			}
		}
	}
	fit, err := FitCox(d, CoxOptions{Robust: true})
	if err != nil {
		return suppress(e, fitReason(err))
	}
	e.setHR(fit, 0)
	e.NTreated, e.NControl, e.EventsTreated, e.EventsControl = ptr(ta.cases), ptr(ca.cases), ptr(ta.events), ptr(ca.events)
	e.Balance = balance(names, x, treated, w)
	arms := [2]armData{}
	for i, c := range set {
		k := 1
		if treated[i] {
			k = 0
		}
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		arms[k].add(ts[i], own[i], ended[i] && !own[i], wi, c.cluster)
	}
	for k := range arms {
		arms[k].sort()
	}
	tT, cT := arms[0].cif(nil)
	tC, cC := arms[1].cif(nil)
	for _, days := range ReturnToWorkDays {
		e.BackAtOwnEmployer = append(e.BackAtOwnEmployer, ArmShares{Days: days,
			Treated: arms[0].shareAt(tT, cT, days), Control: arms[1].shareAt(tC, cC, days)})
	}
	e.MedianTreated, e.MedianControl = cifMedian(tT, cT), cifMedian(tC, cC)
	if e.MedianTreated != nil && e.MedianControl != nil {
		e.MedianDifference = ptr(*e.MedianControl - *e.MedianTreated)
		e.MedianDifferenceCI = bootstrapMedianDifference(arms, set, boots)
	}
	return e
}

// landmarkSet is the cases still absent at l in either arm, and whether
// each is treated.
func (g adjGroup) landmarkSet(cases []adjCase, l int) (set []*adjCase, treated []bool) {
	for i := range cases {
		c := &cases[i]
		if !c.atRisk(l) || !g.includes(c) {
			continue
		}
		mine, other := false, false
		for _, iv := range c.ivs {
			if iv.day < l {
				mine = mine || g.matches(iv)
				other = other || !g.matches(iv)
			}
		}
		if other && !mine {
			continue
		}
		set, treated = append(set, c), append(treated, mine)
	}
	return set, treated
}

// stabilisedWeights are P(arm) / P(arm | covariates), the propensity from a
// logistic model, truncated at their 1st and 99th percentiles.
func stabilisedWeights(treated []bool, x [][]float64) ([]float64, error) {
	beta, err := FitLogistic(x, treated, nil)
	if err != nil {
		return nil, err
	}
	pT := 0.0
	for _, t := range treated {
		pT += b2f(t) / float64(len(treated))
	}
	w := make([]float64, len(treated))
	for i := range w {
		eta := beta[0]
		for j, v := range x[i] {
			eta += beta[j+1] * v
		}
		ps := 1 / (1 + math.Exp(-eta))
		if treated[i] {
			w[i] = pT / ps
		} else {
			w[i] = (1 - pT) / (1 - ps)
		}
	}
	sorted := slices.Sorted(slices.Values(w))
	lo, hi := quantile7(sorted, 0.01), quantile7(sorted, 0.99)
	for i := range w {
		w[i] = min(max(w[i], lo), hi)
	}
	return w, nil
}

// quantile7 is R's default quantile (type 7) of sorted values.
func quantile7(sorted []float64, p float64) float64 {
	h := p * float64(len(sorted)-1)
	i := int(h)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (h-float64(i))*(sorted[i+1]-sorted[i])
}

// balance is the standardised mean difference of every covariate between
// the arms, (mean treated − mean control) / √((var treated + var control)/2)
// with the unweighted variances, before and (with w) after weighting.
func balance(names []string, x [][]float64, treated []bool, w []float64) []Balance {
	out := make([]Balance, 0, len(names))
	for j, name := range names {
		var m, v [2]float64 // unweighted per arm: mean, variance
		var sw, swx [2]float64
		var n [2]float64
		for i := range x {
			k := 1
			if treated[i] {
				k = 0
			}
			n[k]++
			m[k] += x[i][j]
			wi := 1.0
			if w != nil {
				wi = w[i]
			}
			sw[k] += wi
			swx[k] += wi * x[i][j]
		}
		m[0], m[1] = m[0]/n[0], m[1]/n[1]
		for i := range x {
			k := 1
			if treated[i] {
				k = 0
			}
			v[k] += (x[i][j] - m[k]) * (x[i][j] - m[k]) / max(n[k]-1, 1)
		}
		sd := math.Sqrt((v[0] + v[1]) / 2)
		if sd == 0 {
			continue
		}
		b := Balance{Covariate: name, Before: (m[0] - m[1]) / sd}
		if w != nil {
			b.After = ptr((swx[0]/sw[0] - swx[1]/sw[1]) / sd)
		}
		out = append(out, b)
	}
	return out
}

// armData is one arm's cases from the landmark, sorted by time.
type armData struct {
	t          []int
	own, other []bool
	w          []float64
	cluster    []int
}

func (a *armData) add(t int, own, other bool, w float64, cluster int) {
	a.t, a.own, a.other, a.w, a.cluster = append(a.t, t), append(a.own, own), append(a.other, other), append(a.w, w), append(a.cluster, cluster)
}

func (a *armData) sort() {
	idx := make([]int, len(a.t))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return a.t[idx[i]] < a.t[idx[j]] })
	var b armData
	for _, i := range idx {
		b.add(a.t[i], a.own[i], a.other[i], a.w[i], a.cluster[i])
	}
	*a = b
}

// cif is the (weighted) Aalen–Johansen cumulative incidence of the return
// to the own employer, other endings competing: at each time with a
// return, CIF += S(t−)·d_own/n and S ×= 1 − d_all/n, with n the weight of
// the cases with time ≥ t. mult multiplies the weights per cluster (a
// bootstrap resample); nil: once each.
func (a *armData) cif(mult []float64) (ts []int, cif []float64) {
	nrisk := 0.0
	wt := func(i int) float64 {
		if mult == nil {
			return a.w[i]
		}
		return a.w[i] * mult[a.cluster[i]]
	}
	for i := range a.t {
		nrisk += wt(i)
	}
	s, c := 1.0, 0.0
	for i := 0; i < len(a.t); {
		t := a.t[i]
		var dOwn, dAll, out float64
		for ; i < len(a.t) && a.t[i] == t; i++ {
			wi := wt(i)
			out += wi
			if a.own[i] {
				dOwn += wi
			}
			if a.own[i] || a.other[i] {
				dAll += wi
			}
		}
		if dAll > 0 && nrisk > 0 {
			c += s * dOwn / nrisk
			s *= 1 - dAll/nrisk
			if dOwn > 0 {
				ts, cif = append(ts, t), append(cif, c)
			}
		}
		nrisk -= out
	}
	return ts, cif
}

// shareAt is the CIF at days in %, null when no case of the arm was
// followed that long.
func (a *armData) shareAt(ts []int, cif []float64, days int) *float64 {
	if len(a.t) == 0 || a.t[len(a.t)-1] < days {
		return nil
	}
	v := 0.0
	for k, t := range ts {
		if t <= days {
			v = cif[k]
		}
	}
	return ptr(100 * v)
}

// cifMedian is the first day by which half the arm is back at the own
// employer, null when the CIF never reaches one half.
func cifMedian(ts []int, cif []float64) *float64 {
	for k, c := range cif {
		if c >= 0.5 {
			return ptr(float64(ts[k]))
		}
	}
	return nil
}

// bootstrapMedianDifference is the 95% percentile interval of the
// difference in median (control − treated) over resamples of the
// employees, with the weights as estimated once (the propensity model is
// not refitted per resample). Null when more than 5% of the resamples have
// an undefined median. The resamples are seeded, so a report repeats.
func bootstrapMedianDifference(arms [2]armData, set []*adjCase, boots int) *Bounds {
	var clusters []int
	seen := map[int]bool{}
	maxC := 0
	for _, c := range set {
		if !seen[c.cluster] {
			seen[c.cluster] = true
			clusters = append(clusters, c.cluster)
			maxC = max(maxC, c.cluster)
		}
	}
	rng := rand.New(rand.NewPCG(13, uint64(len(set))))
	mult := make([]float64, maxC+1)
	var diffs []float64
	undefined := 0
	for range boots {
		for _, k := range clusters {
			mult[k] = 0
		}
		for range clusters {
			mult[clusters[rng.IntN(len(clusters))]]++
		}
		mt, mc := cifMedian(arms[0].cif(mult)), cifMedian(arms[1].cif(mult))
		if mt == nil || mc == nil {
			undefined++
			continue
		}
		diffs = append(diffs, *mc-*mt)
	}
	if float64(undefined) > 0.05*float64(boots) || len(diffs) == 0 {
		return nil
	}
	slices.Sort(diffs)
	return &Bounds{Low: ptr(quantile7(diffs, 0.025)), High: ptr(quantile7(diffs, 0.975))}
}
