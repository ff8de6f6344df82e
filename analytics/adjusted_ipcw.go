package analytics

import (
	"errors"
	"math"
	"slices"
	"sort"
)

// Inverse probability of censoring weights for ipw_landmark. A control that
// gets an intervention after L is censored on that day, and who gets one
// depends on the prognosis (the harder cases get help): without correction
// the controls left in the risk set are the milder ones, and the hazard
// ratio is drawn towards 1. A Cox model of the hazard of starting an
// intervention after L among the controls, on the covariates at L, gives
// each control the probability K(t | x) of still being without help at t;
// its weight is K(t) / K(t | x), K(t) the same probability without
// covariates (stabilised), cut off at the 1st and 99th percentile. The
// weight changes over time, so a control's follow-up is split into pieces
// (at most ipcwSplits cuts, at quantiles of the days help started), each
// weighted as at its start. (Robins & Finkelstein, Biometrics 2000; Hernán,
// Brumback & Robins, J Am Stat Assoc 2001.)

// ipcwSplits bounds the pieces of a control's follow-up.
const ipcwSplits = 20

// piece is a stretch (from, to] of a case's time from L with its weight.
type piece struct {
	from, to, w float64
}

// censoringWeights gives every control (treated[i] false) its pieces up to
// t[i], the days from L, with the stabilised censoring weights; helped[i]
// says the control was censored at t[i] because help started. Treated cases
// get nil. Without any helped control, or any covariate that varies among
// the controls, every weight is 1.
func censoringWeights(t []int, helped, treated []bool, x [][]float64) ([][]piece, error) {
	var d CoxData
	var idx []int
	for i := range t {
		if !treated[i] {
			idx = append(idx, i)
			// from just before L: help on day L itself censors too
			d.Start, d.Stop, d.Event = append(d.Start, -1), append(d.Stop, float64(t[i])), append(d.Event, helped[i])
		}
	}
	d.X = controlDesign(x, idx)
	out := make([][]piece, len(t))
	unweighted := func() [][]piece {
		for _, i := range idx {
			out[i] = []piece{{0, float64(t[i]), 1}}
		}
		return out
	}
	if len(d.X[0]) == 0 {
		return unweighted(), nil
	}
	fit, err := FitCox(d, CoxOptions{Ties: Breslow})
	if errors.Is(err, ErrCoxNoEvents) {
		return unweighted(), nil
	}
	if err != nil {
		return nil, err
	}
	times, cum := breslow(d, fit.Coef)
	_, cum0 := breslow(d, nil)                      // at the same times
	cumAt := func(c []float64, a float64) float64 { // jumps at times ≤ a
		k := sort.SearchFloat64s(times, math.Nextafter(a, math.Inf(1)))
		if k == 0 {
			return 0
		}
		return c[k-1]
	}
	cuts := censoringCuts(d)
	var all []float64
	for k, i := range idx {
		risk, end, from := math.Exp(dot(fit.Coef, d.X[k])), float64(t[i]), 0.0
		add := func(to float64) {
			w := math.Exp(cumAt(cum, from)*risk - cumAt(cum0, from)) // K(from) / K(from | x)
			out[i] = append(out[i], piece{from, to, w})
			all = append(all, w)
			from = to
		}
		for _, c := range cuts {
			if c >= end {
				break
			}
			add(c)
		}
		add(end)
	}
	slices.Sort(all)
	lo, hi := quantile7(all, 0.01), quantile7(all, 0.99)
	for _, i := range idx {
		for k := range out[i] {
			out[i][k].w = min(max(out[i][k].w, lo), hi)
		}
	}
	return out, nil
}

// controlDesign is the covariates of the controls idx, without the columns
// that do not vary among them or that others determine (a department whose
// cases at L were all treated): the censoring model would be singular.
func controlDesign(x [][]float64, idx []int) [][]float64 {
	var names []string
	var cols [][]float64
	for j := range x[idx[0]] {
		col := make([]float64, len(idx))
		for k, i := range idx {
			col[k] = x[i][j]
		}
		names, cols = append(names, ""), append(cols, col)
	}
	_, cols = independent(names, cols)
	out := make([][]float64, len(idx))
	for k := range idx {
		out[k] = make([]float64, len(cols))
		for j, col := range cols {
			out[k][j] = col[k]
		}
	}
	return out
}

// censoringCuts are the days (from L) at which the controls' follow-up is
// split: the days help started, thinned to ipcwSplits quantiles, above 0.
func censoringCuts(d CoxData) []float64 {
	var days []float64
	for i, e := range d.Event {
		if e && d.Stop[i] > 0 {
			days = append(days, d.Stop[i])
		}
	}
	slices.Sort(days)
	days = slices.Compact(days)
	if len(days) <= ipcwSplits {
		return days
	}
	var cuts []float64
	for k := 1; k <= ipcwSplits; k++ {
		cuts = append(cuts, days[int(math.Ceil(float64(k)*float64(len(days))/ipcwSplits))-1])
	}
	return slices.Compact(cuts)
}

// breslow is the cumulative baseline hazard of a Cox model (Breslow's
// estimator) at its event times: the sum over event times s ≤ t of
// events(s) / Σ exp(x·beta) over the rows at risk at s (stop ≥ s; all rows
// start before the first). beta nil: the Nelson–Aalen estimator.
func breslow(d CoxData, beta []float64) (times, cum []float64) {
	order := make([]int, len(d.Stop))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return d.Stop[order[a]] > d.Stop[order[b]] })
	risk := 0.0
	var jumps []float64
	for k := 0; k < len(order); {
		s, events := d.Stop[order[k]], 0.0
		for ; k < len(order) && d.Stop[order[k]] == s; k++ {
			i := order[k]
			risk += math.Exp(dot(beta, d.X[i]))
			events += b2f(d.Event[i])
		}
		if events > 0 {
			times, jumps = append(times, s), append(jumps, events/risk)
		}
	}
	slices.Reverse(times)
	slices.Reverse(jumps)
	c := 0.0
	for _, j := range jumps {
		c += j
		cum = append(cum, c)
	}
	return times, cum
}

// dot is Σ beta_j x_j; 0 for nil beta.
func dot(beta, x []float64) float64 {
	s := 0.0
	for j, b := range beta {
		s += b * x[j]
	}
	return s
}
