package analytics

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// The Cox proportional-hazards model, fitted as R's survival::coxph does:
// counting-process (start, stop] rows so a covariate can change over time,
// Efron (R's default) or Breslow ties, case weights, strata with a baseline
// hazard each, and the robust sandwich variance (clusters: one row each or
// the given cluster ids). The log partial likelihood is concave; it is
// maximised by Newton–Raphson from β = 0, halving the step when the
// likelihood falls, until it changes by less than 1e-9 relatively, as
// coxph.control's defaults. The information matrix is inverted by its
// Cholesky factor (gonum).

// CoxTies is how tied event times are handled.
type CoxTies int

const (
	Efron   CoxTies = iota // R's default
	Breslow                //
)

// CoxData is the input of a Cox fit, one row per interval (Start, Stop]
// during which the row's covariates X hold; Event says whether the row ends
// with the event. Weight, Strata and Cluster may be nil (weight 1, one
// stratum, every row its own cluster).
type CoxData struct {
	Start, Stop []float64
	Event       []bool
	X           [][]float64 // rows × covariates
	Weight      []float64
	Strata      []int
	Cluster     []int
}

// CoxOptions tune a fit. Robust asks for the sandwich variance (always used
// for the interval of a weighted fit).
type CoxOptions struct {
	Ties    CoxTies
	Robust  bool
	MaxIter int       // default 20, as coxph
	Init    []float64 // starting coefficients (coxph's init), e.g. a similar model's fit; nil: zeros
}

// CoxFit is a fitted model. SE is the model-based standard error, RobustSE
// the sandwich one (nil unless robust); StdErr() is what intervals use.
type CoxFit struct {
	Coef      []float64
	SE        []float64
	RobustSE  []float64
	Var       *mat.SymDense // model-based, or the sandwich when robust
	LogLik0   float64       // at the starting coefficients: β = 0 unless Init
	LogLik    float64
	Events    int // rows with an event
	Iter      int
	Converged bool
}

// Errors a caller shows as a suppression reason.
var (
	ErrCoxNoEvents   = errors.New("cox: no events")
	ErrCoxSingular   = errors.New("cox: the information matrix is singular (a covariate without variation among the cases at risk)")
	ErrCoxNoConverge = errors.New("cox: no convergence")
)

// StdErr is the robust standard error when there is one, else the model's.
func (f CoxFit) StdErr() []float64 {
	if f.RobustSE != nil {
		return f.RobustSE
	}
	return f.SE
}

// HazardRatio is exp(β_j) with its 95% Wald interval.
func (f CoxFit) HazardRatio(j int) (hr, lo, hi float64) {
	se := f.StdErr()[j]
	return math.Exp(f.Coef[j]), math.Exp(f.Coef[j] - z95*se), math.Exp(f.Coef[j] + z95*se)
}

const z95 = 1.959963984540054

// FitCox fits the model. A fit without events, with a singular information
// matrix or without convergence returns an error.
func FitCox(d CoxData, opt CoxOptions) (CoxFit, error) {
	n := len(d.Stop)
	if n == 0 || len(d.X) != n {
		return CoxFit{}, fmt.Errorf("cox: %d rows, %d covariate rows", n, len(d.X))
	}
	p := len(d.X[0])
	if opt.MaxIter == 0 {
		opt.MaxIter = 20
	}
	c := newCoxCore(d, p)
	if c.events == 0 {
		return CoxFit{}, ErrCoxNoEvents
	}
	beta := make([]float64, p)
	if opt.Init != nil {
		if len(opt.Init) != p {
			return CoxFit{}, fmt.Errorf("cox: %d starting coefficients for %d covariates", len(opt.Init), p)
		}
		copy(beta, opt.Init)
	}
	ll, u, info := c.pass(beta, opt.Ties, nil)
	fit := CoxFit{LogLik0: ll, Events: c.events}
	var chol mat.Cholesky
	if !chol.Factorize(info) {
		return CoxFit{}, ErrCoxSingular
	}
	for fit.Iter = 1; fit.Iter <= opt.MaxIter; fit.Iter++ {
		step := mat.NewVecDense(p, nil)
		if err := chol.SolveVecTo(step, mat.NewVecDense(p, u)); err != nil {
			return CoxFit{}, ErrCoxSingular
		}
		next := make([]float64, p)
		for j := range next {
			next[j] = beta[j] + step.AtVec(j)
		}
		nll, nu, ninfo := c.pass(next, opt.Ties, nil)
		// Near the maximum, rounding can make a full step look a hair worse:
		// the convergence test then holds whether or not the step was halved.
		converged := math.Abs(1-ll/nll) <= 1e-9
		for half := 0; !converged && (math.IsNaN(nll) || nll < ll) && half < 30; half++ { // step halving
			for j := range next {
				next[j] = (next[j] + beta[j]) / 2
			}
			nll, nu, ninfo = c.pass(next, opt.Ties, nil)
		}
		beta, ll, u, info = next, nll, nu, ninfo
		if !chol.Factorize(info) {
			return CoxFit{}, ErrCoxSingular
		}
		if converged {
			fit.Converged = true
			break
		}
	}
	if !fit.Converged {
		return CoxFit{}, ErrCoxNoConverge
	}
	fit.Coef, fit.LogLik = beta, ll
	var v mat.SymDense
	if err := chol.InverseTo(&v); err != nil {
		return CoxFit{}, ErrCoxSingular
	}
	fit.Var = &v
	fit.SE = sqrtDiag(&v)
	if opt.Robust || d.Weight != nil {
		resid := make([][]float64, n)
		c.pass(beta, opt.Ties, resid)
		fit.Var = sandwich(&v, resid, d.Weight, d.Cluster)
		fit.RobustSE = sqrtDiag(fit.Var)
	}
	return fit, nil
}

func sqrtDiag(v *mat.SymDense) []float64 {
	out := make([]float64, v.SymmetricDim())
	for j := range out {
		out[j] = math.Sqrt(v.At(j, j))
	}
	return out
}

// coxCore holds the rows centred and ordered for the risk-set sweep.
type coxCore struct {
	d       CoxData
	p       int
	x       [][]float64 // covariates, centred unless 0/1
	nz      [][]int     // per row the columns where x ≠ 0, ascending
	w       []float64
	strata  [][]int // per stratum: row indices by stop, descending
	byStart [][]int // per stratum: row indices by start, descending
	events  int
}

func newCoxCore(d CoxData, p int) *coxCore {
	n := len(d.Stop)
	c := &coxCore{d: d, p: p, x: make([][]float64, n), nz: make([][]int, n), w: make([]float64, n)}
	// Centring keeps exp(x·β) in range; 0/1 columns need none, and left
	// as they are they stay sparse: the risk-set sums skip their zeros.
	mean := make([]float64, p)
	for j := range p {
		binary := true
		for i := range n {
			mean[j] += d.X[i][j] / float64(n)
			binary = binary && (d.X[i][j] == 0 || d.X[i][j] == 1)
		}
		if binary {
			mean[j] = 0
		}
	}
	group := map[int][]int{}
	var keys []int
	for i := range n {
		c.x[i] = make([]float64, p)
		for j := range p {
			c.x[i][j] = d.X[i][j] - mean[j]
			if c.x[i][j] != 0 {
				c.nz[i] = append(c.nz[i], j)
			}
		}
		c.w[i] = 1
		if d.Weight != nil {
			c.w[i] = d.Weight[i]
		}
		if d.Event[i] {
			c.events++
		}
		s := 0
		if d.Strata != nil {
			s = d.Strata[i]
		}
		if _, ok := group[s]; !ok {
			keys = append(keys, s)
		}
		group[s] = append(group[s], i)
	}
	slices.Sort(keys)
	for _, k := range keys {
		rows := group[k]
		byStop := slices.Clone(rows)
		sort.SliceStable(byStop, func(a, b int) bool { return d.Stop[byStop[a]] > d.Stop[byStop[b]] })
		byStart := slices.Clone(rows)
		sort.SliceStable(byStart, func(a, b int) bool { return d.Start[byStart[a]] > d.Start[byStart[b]] })
		c.strata = append(c.strata, byStop)
		c.byStart = append(c.byStart, byStart)
	}
	return c
}

// eventTime is what the score residuals need of one event time: the summed
// hazard increments and hazard-weighted means over the Efron steps, and the
// same weighted by the step's fraction k/d (for the rows that die there).
type eventTime struct {
	t           float64
	h0, dh0     float64
	h1, dh1, xm []float64 // xm: the mean over the steps of the risk-set mean
}

// pass computes the log partial likelihood, score and information at beta
// in one sweep per stratum from the last time back, adding rows as their
// stop is reached and removing them once the time is at or before their
// start. With resid non-nil it fills the score residual of every row
// instead (and the returned values are still valid).
func (c *coxCore) pass(beta []float64, ties CoxTies, resid [][]float64) (float64, []float64, *mat.SymDense) {
	p, d := c.p, c.d
	n := len(d.Stop)
	risk := make([]float64, n)
	eta := make([]float64, n)
	for i := range n {
		for j := range p {
			eta[i] += c.x[i][j] * beta[j]
		}
		risk[i] = math.Exp(eta[i])
	}
	ll := 0.0
	u := make([]float64, p)
	// s2, d2 and imat hold the upper triangle of p × p matrices, row-major:
	// plain slices, as this loop is where a fit spends its time.
	imat := make([]float64, p*p)
	s1, d1, a := make([]float64, p), make([]float64, p), make([]float64, p)
	s2, d2 := make([]float64, p*p), make([]float64, p*p)
	for si, byStop := range c.strata {
		byStart := c.byStart[si]
		s0 := 0.0
		clear(s1)
		clear(s2)
		var times []eventTime
		next, gone := 0, 0
		for next < len(byStop) {
			t := d.Stop[byStop[next]]
			// rows ending at t enter the risk set; their events are the deaths at t.
			var dead []int
			for ; next < len(byStop) && d.Stop[byStop[next]] == t; next++ {
				i := byStop[next]
				wr := c.w[i] * risk[i]
				s0 += wr
				addOuter(s1, s2, c.x[i], c.nz[i], wr)
				if d.Event[i] {
					dead = append(dead, i)
				}
			}
			for ; gone < len(byStart) && d.Start[byStart[gone]] >= t; gone++ {
				i := byStart[gone]
				wr := c.w[i] * risk[i]
				s0 -= wr
				addOuter(s1, s2, c.x[i], c.nz[i], -wr)
			}
			if len(dead) == 0 {
				continue
			}
			// the deaths' own sums (Efron)
			dsum, wsum := 0.0, 0.0
			clear(d1)
			clear(d2)
			for _, i := range dead {
				wr := c.w[i] * risk[i]
				dsum += wr
				wsum += c.w[i]
				addOuter(d1, d2, c.x[i], c.nz[i], wr)
				ll += c.w[i] * eta[i]
				for j := range p {
					u[j] += c.w[i] * c.x[i][j]
				}
			}
			nd := float64(len(dead))
			steps, meanwt := 1, wsum
			if ties == Efron && len(dead) > 1 {
				steps, meanwt = len(dead), wsum/nd
			}
			var et eventTime
			if resid != nil {
				et = eventTime{t: t, h1: make([]float64, p), dh1: make([]float64, p), xm: make([]float64, p)}
			}
			// Over the Efron steps k (fraction f = k/d of the deaths left out,
			// denominator den = s0 − f·dsum) the risk-set mean is
			// a = s1/den − f·d1/den, so the sums over the steps need only
			// Σ 1/den, Σ f/den and their squares and cross product, and the
			// p × p work is done once per event time.
			var sA, sB, sAA, sAB, sBB float64
			for k := range steps {
				frac := 0.0
				if steps > 1 {
					frac = float64(k) / nd
				}
				den := s0 - frac*dsum
				ll -= meanwt * math.Log(den)
				sA += 1 / den
				sB += frac / den
				sAA += 1 / (den * den)
				sAB += frac / (den * den)
				sBB += frac * frac / (den * den)
				if resid == nil {
					continue
				}
				h := meanwt / den
				et.h0 += h
				et.dh0 += frac * h
				for j := range p {
					a[j] = (s1[j] - frac*d1[j]) / den
					et.h1[j] += h * a[j]
					et.dh1[j] += frac * h * a[j]
					et.xm[j] += a[j] / float64(steps)
				}
			}
			for j := range p {
				u[j] -= meanwt * (s1[j]*sA - d1[j]*sB)
				row := j * p
				for l := j; l < p; l++ {
					aa := s1[j]*s1[l]*sAA - (s1[j]*d1[l]+d1[j]*s1[l])*sAB + d1[j]*d1[l]*sBB
					imat[row+l] += meanwt * (s2[row+l]*sA - d2[row+l]*sB - aa)
				}
			}
			if resid != nil {
				times = append(times, et)
			}
		}
		if resid != nil {
			c.residuals(byStop, times, risk, resid)
		}
	}
	info := mat.NewSymDense(p, nil)
	for j := range p {
		for l := j; l < p; l++ {
			info.SetSym(j, l, imat[j*p+l])
		}
	}
	return ll, u, info
}

// addOuter adds wr·x to s1 and wr·x xᵀ to the upper triangle of s2,
// visiting only the columns nz where x is not 0.
func addOuter(s1, s2, x []float64, nz []int, wr float64) {
	p := len(x)
	for a, j := range nz {
		v := wr * x[j]
		s1[j] += v
		row := s2[j*p : (j+1)*p]
		for _, l := range nz[a:] {
			row[l] += v * x[l]
		}
	}
}
