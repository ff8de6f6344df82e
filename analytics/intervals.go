package analytics

import "math"

// 95% intervals. SQL delivers the sufficient statistics per group; these
// functions only do the arithmetic on them.

const z975 = 1.959963984540054 // standard normal 97.5% quantile

// zmfInterval is the exact (Garwood) Poisson interval for the notification
// frequency: k new cases over an exposure of employedDays/365 person-years.
// Lower = Gamma(α/2; k, 1) / T, upper = Gamma(1−α/2; k+1, 1) / T, which is
// the usual χ²(2k)/2 and χ²(2k+2)/2 form.
func zmfInterval(k, employedDays int64) *Interval {
	if employedDays <= 0 {
		return nil
	}
	t := float64(employedDays) / 365
	lo := 0.0
	if k > 0 {
		lo = gammaQuantile(0.025, float64(k)) / t
	}
	hi := gammaQuantile(0.975, float64(k+1)) / t
	return &Interval{Low: lo, High: hi}
}

// zvpInterval treats each employee as a cluster of days and uses the
// linearised (delta-method) variance of the ratio estimator R = Σy/Σx,
// where y is the employee's sick FTE days and x the employee's FTE days:
//
//	Var(R) ≈ n/(n−1) · Σ(y − R·x)² / (Σx)²
//
// with Σ(y − R·x)² = Σy² − 2R·Σxy + R²·Σx². R is a share (0 ≤ y ≤ x), so the
// interval is built on the logit scale, where it cannot leave 0–100%:
// logit(R) ± 1.96·SE/(R(1 − R)), transformed back (the "logit" interval of
// survey estimation). A Wald interval R ± 1.96·SE ran below zero for small
// groups and had to be clipped. It needs at least two employees and
// 0 < R < 1; otherwise it is undefined.
func zvpInterval(sy, sx, syy, sxx, sxy float64, n int64) *Interval {
	if n < 2 || sx <= 0 {
		return nil
	}
	r := sy / sx
	if r <= 0 || r >= 1 {
		return nil
	}
	ss := max(syy-2*r*sxy+r*r*sxx, 0)
	se := math.Sqrt(float64(n)/float64(n-1)*ss) / sx
	logit, half := math.Log(r/(1-r)), z975*se/(r*(1-r))
	return &Interval{Low: 100 * expit(logit-half), High: 100 * expit(logit+half)}
}

func expit(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// gammaQuantile returns x with P(a, x) = p for the regularised lower
// incomplete gamma function P (the Gamma(a, 1) distribution function).
func gammaQuantile(p, a float64) float64 {
	lo, hi := 0.0, math.Max(1, a)
	for gammaP(a, hi) < p {
		lo, hi = hi, hi*2
	}
	for range 200 {
		mid := (lo + hi) / 2
		if mid == lo || mid == hi {
			break
		}
		if gammaP(a, mid) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// incompleteGamma returns the regularised incomplete gamma functions P(a, x)
// and Q(a, x) = 1 − P: by the series for P when x < a + 1, else by Lentz's
// continued fraction for Q, each computed where it is small so that tails
// (small p-values, extreme quantiles) keep their precision (Numerical
// Recipes §6.2).
func incompleteGamma(a, x float64) (p, q float64) {
	if x <= 0 {
		return 0, 1
	}
	lg, _ := math.Lgamma(a)
	front := math.Exp(-x + a*math.Log(x) - lg)
	if x < a+1 {
		sum, term := 1/a, 1/a
		for n := 1; n < 10000; n++ {
			term *= x / (a + float64(n))
			sum += term
			if math.Abs(term) < math.Abs(sum)*1e-17 {
				break
			}
		}
		p = sum * front
		return p, max(0, 1-p)
	}
	const tiny = 1e-300
	b := x + 1 - a
	c := 1 / tiny
	d := 1 / b
	h := d
	for i := 1; i < 10000; i++ {
		an := -float64(i) * (float64(i) - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-16 {
			break
		}
	}
	q = front * h
	return max(0, 1-q), q
}

// gammaP is the regularised lower incomplete gamma function P(a, x).
func gammaP(a, x float64) float64 { p, _ := incompleteGamma(a, x); return p }

// gammaQ is the regularised upper incomplete gamma function Q(a, x).
func gammaQ(a, x float64) float64 { _, q := incompleteGamma(a, x); return q }
