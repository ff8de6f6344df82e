package analytics

import (
	"math"
	"slices"
)

// The Kaplan–Meier estimator: a curve with its Greenwood interval from the
// tallies of one stratum, its median as R finds it, and reading it at a day.

// KMPoint is one row of a Kaplan–Meier curve: a time at which at least one
// case ended or was censored.
type KMPoint struct {
	T       int      `json:"t"`       // days
	Surv    float64  `json:"surv"`    // estimated share still absent after T days
	Lower   *float64 `json:"lower"`   // 95% interval (null where undefined: surv = 0)
	Upper   *float64 `json:"upper"`   //
	StdErr  *float64 `json:"std_err"` // Greenwood standard error of surv
	NRisk   int64    `json:"n_risk"`  // cases observed for at least T days
	NEvent  int64    `json:"n_event"` // cases that ended after exactly T days
	NCensor int64    `json:"n_censor"`
}

// Bounds is a 95% interval whose ends can be undefined (null), as the upper
// limit of a median often is.
type Bounds struct {
	Low  *float64 `json:"low"`
	High *float64 `json:"high"`
}

// Curve is the Kaplan–Meier estimate of one group. A suppressed curve keeps
// its key and has no figures.
type Curve struct {
	Key        string    `json:"group"`
	Parent     string    `json:"parent,omitempty"` // the department of a team
	Suppressed bool      `json:"suppressed"`
	Cases      *int64    `json:"cases"`
	Employees  *int64    `json:"employees"`
	Events     *int64    `json:"events"`   // recoveries observed
	Censored   *int64    `json:"censored"` // open at the extract date
	Median     *float64  `json:"median"`   // days; null when the curve never reaches 0.5
	MedianCI   *Bounds   `json:"median_ci95"`
	Points     []KMPoint `json:"curve"`
}

// curve turns a stratum into its Kaplan–Meier curve, or a bare key when
// suppressed.
func (s *stratum) curve(key, parent string, suppressed bool) Curve {
	c := Curve{Key: key, Parent: parent, Suppressed: suppressed}
	if suppressed {
		return c
	}
	var ev, cens int64
	for _, x := range s.tallies {
		ev, cens = ev+x.d, cens+x.c
	}
	c.Cases, c.Employees, c.Events, c.Censored = ptr(s.cases), ptr(s.emp), ptr(ev), ptr(cens)
	c.Points = kaplanMeier(s.tallies)
	c.Median, c.MedianCI = kmMedian(c.Points)
	return c
}

// kaplanMeier is the product-limit estimate over tallies in time order:
// S(t) = Π (1 − d/n) over the times up to t, with n the cases whose time is
// at least t (a case censored at t is at risk at t). The 95% interval is
// R survival's default (conf.type = "log"): Greenwood's
// se(log S) = √Σ d/(n(n−d)), interval S·exp(±1.96·se) capped at 1, undefined
// once S = 0.
func kaplanMeier(ts []tally) []KMPoint {
	var n int64
	for _, x := range ts {
		n += x.d + x.c
	}
	s, v := 1.0, 0.0
	out := make([]KMPoint, 0, len(ts))
	for _, x := range ts {
		p := KMPoint{T: x.t, NRisk: n, NEvent: x.d, NCensor: x.c}
		if x.d > 0 {
			s *= 1 - float64(x.d)/float64(n)
			if x.d < n {
				v += float64(x.d) / (float64(n) * float64(n-x.d))
			} else {
				v = math.Inf(1)
			}
		}
		p.Surv = s
		if s > 0 && !math.IsInf(v, 1) {
			se := math.Sqrt(v)
			p.StdErr = ptr(s * se)
			p.Lower = ptr(s * math.Exp(-z975*se))
			p.Upper = ptr(min(1, s*math.Exp(z975*se)))
		}
		n -= x.d + x.c
		out = append(out, p)
	}
	return out
}

// kmMedian is the median and its 95% interval the way R's quantile.survfit
// finds them: the first time the curve is at or below 0.5 (the midpoint of a
// stretch where it is exactly 0.5), and the same for the lower and upper
// limits, which give the low and high ends.
func kmMedian(pts []KMPoint) (*float64, *Bounds) {
	if len(pts) == 0 {
		return nil, nil
	}
	x := make([]float64, len(pts)+1)
	y, lo, hi := make([]float64, len(pts)+1), make([]float64, len(pts)+1), make([]float64, len(pts)+1)
	for i, p := range pts {
		x[i+1] = float64(p.T)
		y[i+1] = 1 - p.Surv
		lo[i+1], hi[i+1] = math.NaN(), math.NaN()
		if p.Lower != nil {
			lo[i+1] = 1 - *p.Lower
		}
		if p.Upper != nil {
			hi[i+1] = 1 - *p.Upper
		}
	}
	// firstx: a curve starts at time 0 (R: min(0, times)).
	return findq(x, y, 0.5), &Bounds{Low: findq(x, lo, 0.5), High: findq(x, hi, 0.5)}
}

// findq finds where the step function y(x) (a distribution function: 0 at
// x[0], non-decreasing; NaN = undefined) reaches p, as R's survival package
// does: duplicate levels are dropped; the answer is the first x where
// y ≥ p; when y equals p within a tolerance, the midpoint between that x and
// the next jump (or the last time, at the end of the curve).
func findq(x, y []float64, p float64) *float64 {
	tol := math.Sqrt(2.220446049250313e-16)
	xmax := x[len(x)-1]
	top := math.Inf(-1)
	for _, v := range y {
		if !math.IsNaN(v) {
			top = max(top, v)
		}
	}
	if top < p {
		return nil
	}
	var xs, ys []float64
	seenNaN := false
	for i, v := range y {
		if math.IsNaN(v) {
			if seenNaN {
				continue
			}
			seenNaN = true
		} else if slices.Contains(ys, v) {
			continue
		}
		xs, ys = append(xs, x[i]), append(ys, v)
	}
	first := func(shift float64) int {
		for i, v := range ys {
			if !math.IsNaN(v) && v+shift >= p {
				return i
			}
		}
		return -1
	}
	i1, i2 := first(tol), first(-tol)
	n := len(ys) - 1
	if !math.IsNaN(ys[n]) && math.Abs(p-ys[n]) < tol && i1 >= 0 {
		return ptr((xs[i1] + xmax) / 2)
	}
	if i1 < 0 || i2 < 0 {
		return nil
	}
	return ptr((xs[i1] + xs[i2]) / 2)
}

// survAt evaluates a curve at t days: the estimate, its interval and the
// number at risk at t (cases observed for at least t days). ok is false when
// the curve says nothing about t: no case was observed that long and the
// curve has not reached 0.
func survAt(pts []KMPoint, t int) (s float64, lo, hi *float64, nRisk int64, ok bool) {
	if len(pts) == 0 {
		return 0, nil, nil, 0, false
	}
	if last := pts[len(pts)-1]; t > last.T && last.Surv > 0 {
		return 0, nil, nil, 0, false
	}
	s, lo, hi = 1, ptr(1.0), ptr(1.0)
	for _, p := range pts {
		if p.T >= t && nRisk == 0 {
			nRisk = p.NRisk
		}
		if p.T > t {
			break
		}
		s, lo, hi = p.Surv, p.Lower, p.Upper
	}
	return s, lo, hi, nRisk, true
}
