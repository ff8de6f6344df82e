package analytics

import (
	"math"
	"slices"
)

// Competing risks: a sickness case ends in one of several ways (back at the
// own employer, placed elsewhere, WIA, …), and the share that ended in one
// way by day t is not 1 − a Kaplan–Meier curve of that way alone (that
// treats the other ways as if the case could still end this way later).
// The Aalen–Johansen estimator, the multi-state form of Kaplan–Meier, gives
// the probability of each state at t: still absent, or ended in way k.
//
// With ties handled as R's survival package does (a case censored at t is
// at risk at t), for event times tᵢ with nᵢ at risk and dₖᵢ cases ending in
// way k (dᵢ = Σₖ dₖᵢ):
//
//	S(t)  = Π over tᵢ ≤ t of (1 − dᵢ/nᵢ)                  (still absent)
//	Fₖ(t) = Σ over tᵢ ≤ t of S(tᵢ₋₁) · dₖᵢ/nᵢ              (ended in way k)
//
// which is what R's survfit(Surv(time, factor(status)) ~ 1) returns as
// pstate. The variance is R's too: the infinitesimal jackknife, the sum
// over cases of the squared derivative of the estimate with respect to the
// case's weight. Cases with the same time and way have the same derivative
// and the derivatives of the cases at risk at tᵢ sum to zero, so the
// covariance of (S, F₁, …, Fₖ) follows by a recursion over the event times:
//
//	Cᵢ = Mᵢ Cᵢ₋₁ Mᵢᵀ + S(tᵢ₋₁)²/nᵢ² · Bᵢ
//
// where Mᵢ is the step's linear map (S ← S(1 − dᵢ/nᵢ), Fₖ ← Fₖ + S·dₖᵢ/nᵢ)
// and Bᵢ the sums of squares of (dN − dΛ) over the risk set:
// B_SS = dᵢ − dᵢ²/nᵢ, B_SFₖ = −(dₖᵢ − dᵢdₖᵢ/nᵢ), B_FₖFₗ = δₖₗdₖᵢ − dₖᵢdₗᵢ/nᵢ.

// ctally counts, at time t, the cases that ended in each way (d, indexed
// like the ways of the estimate) and the cases censored (c).
type ctally struct {
	t int
	d []int64
	c int64
}

// ajPoint is the estimate after t days: p[0] still absent, p[1+k] ended in
// way k, with their standard errors; nRisk cases were observed for at
// least t days.
type ajPoint struct {
	t     int
	nRisk int64
	p, se []float64
}

// aalenJohansen runs the estimator over tallies in time order for k ways
// of ending.
func aalenJohansen(ts []ctally, k int) []ajPoint {
	var n int64
	for _, x := range ts {
		n += x.c
		for _, d := range x.d {
			n += d
		}
	}
	m := k + 1
	p := make([]float64, m)
	p[0] = 1
	cov := square(m)
	mc := square(m)
	h := make([]float64, k)
	out := make([]ajPoint, 0, len(ts))
	for _, x := range ts {
		var d int64
		for _, v := range x.d {
			d += v
		}
		pt := ajPoint{t: x.t, nRisk: n}
		if d > 0 {
			nf, df := float64(n), float64(d)
			s, hs := p[0], df/nf
			for j := range k {
				h[j] = float64(x.d[j]) / nf
			}
			// M·C: row 0 is (1 − hs)·C[0]; row 1+j is h_j·C[0] + C[1+j].
			for c := range m {
				mc[0][c] = (1 - hs) * cov[0][c]
				for j := range k {
					mc[1+j][c] = h[j]*cov[0][c] + cov[1+j][c]
				}
			}
			// (M·C)·Mᵀ, plus the step's own variance.
			f := s * s / (nf * nf)
			for a := range m {
				cov[a][0] = mc[a][0] * (1 - hs)
				for j := range k {
					cov[a][1+j] = mc[a][0]*h[j] + mc[a][1+j]
				}
			}
			cov[0][0] += f * (df - df*df/nf)
			for j := range k {
				dj := float64(x.d[j])
				cov[0][1+j] -= f * (dj - df*dj/nf)
				cov[1+j][0] -= f * (dj - df*dj/nf)
				for l := range k {
					dl := float64(x.d[l])
					b := -dj * dl / nf
					if l == j {
						b += dj
					}
					cov[1+j][1+l] += f * b
				}
			}
			for j := range k {
				p[1+j] += s * h[j]
			}
			if d == n {
				p[0] = 0
			} else {
				p[0] = s * (1 - hs)
			}
		}
		pt.p = slices.Clone(p)
		pt.se = make([]float64, m)
		for a := range m {
			pt.se[a] = math.Sqrt(max(cov[a][a], 0))
		}
		out = append(out, pt)
		n -= d + x.c
	}
	return out
}

func square(m int) [][]float64 {
	out := make([][]float64, m)
	for i := range out {
		out[i] = make([]float64, m)
	}
	return out
}

// ajAt evaluates the estimate at t days: the last point at or before t
// (before the first, everyone is still absent), and the number at risk at
// t (cases observed for at least t days). ok is false when the estimate
// says nothing about t: no case was observed that long and some are still
// absent.
func ajAt(pts []ajPoint, t, k int) (p, se []float64, nRisk int64, ok bool) {
	if len(pts) == 0 {
		return nil, nil, 0, false
	}
	if last := pts[len(pts)-1]; t > last.t && last.p[0] > 0 {
		return nil, nil, 0, false
	}
	p, se = make([]float64, k+1), make([]float64, k+1)
	p[0] = 1
	for _, pt := range pts {
		if pt.t >= t && nRisk == 0 {
			nRisk = pt.nRisk
		}
		if pt.t > t {
			break
		}
		p, se = pt.p, pt.se
	}
	return p, se, nRisk, true
}

// logInterval is R survival's default 95% interval for a state probability
// (conf.type = "log" on the standard error of p): p·exp(±1.96·se/p), the
// upper end capped at 1; undefined (nil) where p = 0.
func logInterval(p, se float64) (lo, hi *float64) {
	if p <= 0 {
		return nil, nil
	}
	w := z975 * se / p
	return ptr(p * math.Exp(-w)), ptr(min(1, p*math.Exp(w)))
}
