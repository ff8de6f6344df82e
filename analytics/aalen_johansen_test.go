package analytics

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// obsK is one case for the plain computations: its time and how it ended
// (0 = censored, k = way k, 1-based).
type obsK struct{ t, k int }

// tallyK tallies cases for aalenJohansen.
func tallyK(obs []obsK, k int) []ctally {
	var out []ctally
	sorted := slices.Clone(obs)
	slices.SortFunc(sorted, func(a, b obsK) int { return a.t - b.t })
	for _, o := range sorted {
		if len(out) == 0 || out[len(out)-1].t != o.t {
			out = append(out, ctally{t: o.t, d: make([]int64, k)})
		}
		x := &out[len(out)-1]
		if o.k == 0 {
			x.c++
		} else {
			x.d[o.k-1]++
		}
	}
	return out
}

// plainAJ is the Aalen–Johansen estimate in its matrix-product form, the
// way R's survfit builds it for a multi-state model: at each distinct time,
// the row vector of state probabilities is multiplied by the transition
// matrix I + ΔA, whose row "still absent" moves dₖ/n to state k. Risk sets
// are recounted from scratch from weighted cases; it shares no code with
// the package.
func plainAJ(obs []obsK, w []float64, k int) (times []int, p [][]float64) {
	var ts []int
	for _, o := range obs {
		ts = append(ts, o.t)
	}
	slices.Sort(ts)
	ts = slices.Compact(ts)
	state := make([]float64, k+1)
	state[0] = 1
	for _, t := range ts {
		n := 0.0
		d := make([]float64, k+1)
		for i, o := range obs {
			if o.t >= t {
				n += w[i]
			}
			if o.t == t && o.k > 0 {
				d[o.k] += w[i]
			}
		}
		tr := make([][]float64, k+1)
		for a := range tr {
			tr[a] = make([]float64, k+1)
			tr[a][a] = 1
		}
		for j := 1; j <= k; j++ {
			tr[0][j] = d[j] / n
			tr[0][0] -= d[j] / n
		}
		next := make([]float64, k+1)
		for a := range next {
			for b := range next {
				next[b] += state[a] * tr[a][b]
			}
		}
		state = next
		times, p = append(times, t), append(p, slices.Clone(state))
	}
	return times, p
}

func ones(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1
	}
	return w
}

// Ties of events and censorings, two ways of ending: the recursion equals
// the matrix product (R's survfit) to 1e-12, and its standard errors equal
// the infinitesimal jackknife computed by brute force: the derivative of
// the estimate with respect to each case's weight, by central differences,
// squared and summed.
func TestAalenJohansenEqualsMatrixProductAndJackknife(t *testing.T) {
	obs := []obsK{{1, 1}, {1, 1}, {1, 0}, {2, 2}, {3, 1}, {3, 2}, {3, 0}, {3, 0}, {5, 1}, {6, 2}, {6, 0}, {8, 1}, {8, 1}, {9, 0}, {10, 2}}
	const k = 2
	pts := aalenJohansen(tallyK(obs, k), k)
	times, want := plainAJ(obs, ones(len(obs)), k)
	if len(pts) != len(times) {
		t.Fatalf("%d points, want %d", len(pts), len(times))
	}
	const eps = 1e-6
	for i, pt := range pts {
		if pt.t != times[i] {
			t.Fatalf("point %d at t=%d, want %d", i, pt.t, times[i])
		}
		sum := 0.0
		for s := range k + 1 {
			sum += pt.p[s]
			if math.Abs(pt.p[s]-want[i][s]) > 1e-12 {
				t.Errorf("t=%d state %d: %.15g, matrix product %.15g", pt.t, s, pt.p[s], want[i][s])
			}
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Errorf("t=%d: states add up to %v", pt.t, sum)
		}
		// The jackknife by brute force.
		v := make([]float64, k+1)
		for j := range obs {
			up, down := ones(len(obs)), ones(len(obs))
			up[j], down[j] = 1+eps, 1-eps
			_, pu := plainAJ(obs, up, k)
			_, pd := plainAJ(obs, down, k)
			for s := range k + 1 {
				g := (pu[i][s] - pd[i][s]) / (2 * eps)
				v[s] += g * g
			}
		}
		for s := range k + 1 {
			if math.Abs(pt.se[s]-math.Sqrt(v[s])) > 1e-7 {
				t.Errorf("t=%d state %d: se %.10g, brute-force jackknife %.10g", pt.t, s, pt.se[s], math.Sqrt(v[s]))
			}
		}
	}
	// The first time: 15 at risk, two end in way 1 (one censored): the
	// jackknife variance of F₁ = 2/15 is Σ (dNᵢ − 2/15)²/15² over the 15
	// = (2·(13/15)² + 13·(2/15)²)/225.
	if want := math.Sqrt((2*math.Pow(13.0/15, 2) + 13*math.Pow(2.0/15, 2)) / 225); math.Abs(pts[0].se[1]-want) > 1e-15 {
		t.Errorf("se of F₁(1) = %v, by hand %v", pts[0].se[1], want)
	}
}

// The department Kort of the outcomes fixture, worked out by hand (see
// TestReturnToWorkCountsOnlyTheOwnEmployer): times 10 (own employer), 10
// (employment ended), 20 (censored), 30 (own employer), 30 (second track),
// 30 (censored), 50 (own employer), 60 (other).
func TestAalenJohansenByHand(t *testing.T) {
	obs := []obsK{{10, 1}, {10, 4}, {20, 0}, {30, 1}, {30, 2}, {30, 0}, {50, 1}, {60, 5}}
	pts := aalenJohansen(tallyK(obs, 5), 5)
	// still absent, own employer, second track, WIA, employment ended, other
	want := map[int][]float64{
		10: {0.75, 0.125, 0, 0, 0.125, 0},
		20: {0.75, 0.125, 0, 0, 0.125, 0},
		30: {0.45, 0.275, 0.15, 0, 0.125, 0}, // 5 at risk: 3/4·1/5 each
		50: {0.225, 0.5, 0.15, 0, 0.125, 0},  // 2 at risk: 0.45/2
		60: {0, 0.5, 0.15, 0, 0.125, 0.225},  // the last one
	}
	nRisk := map[int]int64{10: 8, 20: 6, 30: 5, 50: 2, 60: 1}
	for _, pt := range pts {
		for s, w := range want[pt.t] {
			if math.Abs(pt.p[s]-w) > 1e-12 {
				t.Errorf("t=%d state %d: %v, by hand %v", pt.t, s, pt.p[s], w)
			}
		}
		if pt.nRisk != nRisk[pt.t] {
			t.Errorf("t=%d: %d at risk, want %d", pt.t, pt.nRisk, nRisk[pt.t])
		}
	}
	// Between times and beyond: the estimate holds; S reached 0, so it is
	// known for ever.
	for _, c := range []struct {
		t     int
		own   float64
		nRisk int64
	}{{7, 0, 8}, {14, 0.125, 6}, {42, 0.275, 2}, {91, 0.5, 0}, {730, 0.5, 0}} {
		p, _, n, ok := ajAt(pts, c.t, 5)
		if !ok || math.Abs(p[1]-c.own) > 1e-12 || n != c.nRisk {
			t.Errorf("at %d days: own employer %v (ok %v), %d at risk; want %v, %d", c.t, p, ok, n, c.own, c.nRisk)
		}
	}
	// With a case still open after the last time, later days are unknown.
	open := aalenJohansen(tallyK(append(obs[:7:7], obsK{60, 0}), 5), 5)
	if _, _, _, ok := ajAt(open, 61, 5); ok {
		t.Error("an estimate beyond the follow-up")
	}
}

// Constant cause-specific hazards λₖ give known cumulative incidences,
// Fₖ(t) = λₖ/λ · (1 − e^{−λt}) with λ = Σλₖ. Times are whole days
// (⌈T⌉), censoring is administrative on a random day c (observed through
// day c: an event on day ⌈T⌉ ≤ c is seen, as R counts a case censored at
// t at risk at t), so the estimator has nothing to be biased by; 20,000
// simulated cases must land within four of their own standard errors.
func TestAalenJohansenRecoversConstantHazards(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 2026))
	lambda := []float64{0.02, 0.01, 0.005}
	total := lambda[0] + lambda[1] + lambda[2]
	var obs []obsK
	for range 20000 {
		tt := r.ExpFloat64() / total
		way := 1
		for u := r.Float64() * total; u > lambda[way-1]; way++ {
			u -= lambda[way-1]
		}
		day, c := int(math.Ceil(tt)), 1+r.IntN(400)
		if day <= c {
			obs = append(obs, obsK{day, way})
		} else {
			obs = append(obs, obsK{c, 0})
		}
	}
	pts := aalenJohansen(tallyK(obs, 3), 3)
	for _, day := range []int{7, 30, 91, 182} {
		p, se, _, ok := ajAt(pts, day, 3)
		if !ok {
			t.Fatalf("no estimate at %d days", day)
		}
		truth := []float64{math.Exp(-total * float64(day))}
		for _, l := range lambda {
			truth = append(truth, l/total*(1-math.Exp(-total*float64(day))))
		}
		for s := range truth {
			if math.Abs(p[s]-truth[s]) > 4*se[s] || se[s] <= 0 || se[s] > 0.01 {
				t.Errorf("day %d state %d: %.4f ± %.4f, truth %.4f", day, s, p[s], se[s], truth[s])
			}
		}
	}
}

func TestLogInterval(t *testing.T) {
	if lo, hi := logInterval(0, 0.1); lo != nil || hi != nil {
		t.Errorf("p = 0: %v %v", lo, hi)
	}
	lo, hi := logInterval(0.5, 0.1)
	if math.Abs(*lo-0.5*math.Exp(-z975*0.2)) > 1e-15 || math.Abs(*hi-0.5*math.Exp(z975*0.2)) > 1e-15 {
		t.Errorf("p = 0.5, se 0.1: %v %v", *lo, *hi)
	}
	if _, hi := logInterval(0.95, 0.1); *hi != 1 {
		t.Errorf("upper end %v above 1", *hi)
	}
}

// The data of TestAalenJohansenEqualsMatrixProductAndJackknife run through R
// 4 with survival 3.5.3:
//
//	d <- data.frame(time = c(1,1,1,2,3,3,3,3,5,6,6,8,8,9,10),
//	                status = factor(c(1,1,0,2,1,2,0,0,1,2,0,1,1,0,2), 0:2))
//	f <- survfit(Surv(time, status) ~ 1, data = d)
//	cbind(f$time, f$n.risk[, 1], f$pstate, f$std.err, f$lower, f$upper)
//
// The estimates, their standard errors and the log-scale interval of each
// way of ending agree to 1e-12 (R printed 15 digits).
func TestAalenJohansenMatchesR(t *testing.T) {
	obs := []obsK{{1, 1}, {1, 1}, {1, 0}, {2, 2}, {3, 1}, {3, 2}, {3, 0}, {3, 0}, {5, 1}, {6, 2}, {6, 0}, {8, 1}, {8, 1}, {9, 0}, {10, 2}}
	r := []struct {
		t        int
		nRisk    int64
		p, se    [3]float64 // still absent, way 1, way 2
		lo1, hi1 float64
		lo2, hi2 float64 // NaN: R gives NA (the estimate is 0)
	}{
		{1, 15, [3]float64{0.866666666666667, 0.133333333333333, 0}, [3]float64{0.0877707451472511, 0.0877707451472511, 0}, 0.0366952020819920, 0.484471450465240, math.NaN(), math.NaN()},
		{2, 12, [3]float64{0.794444444444444, 0.133333333333333, 0.0722222222222222}, [3]float64{0.1060878392165173, 0.0877707451472511, 0.0695332765171460}, 0.0366952020819920, 0.484471450465240, 0.0109436164065850, 0.476629405575420},
		{3, 11, [3]float64{0.650000000000000, 0.205555555555556, 0.1444444444444444}, [3]float64{0.1267653124653761, 0.1060878392165173, 0.0943790623359196}, 0.0747517815400993, 0.565245209535068, 0.0401357405047209, 0.519840851781720},
		{5, 7, [3]float64{0.557142857142857, 0.298412698412698, 0.1444444444444444}, [3]float64{0.1385524918683004, 0.1278369885769298, 0.0943790623359196}, 0.1288757330472077, 0.690976776375182, 0.0401357405047209, 0.519840851781720},
		{6, 6, [3]float64{0.464285714285714, 0.298412698412698, 0.2373015873015873}, [3]float64{0.1432357511296830, 0.1278369885769298, 0.1211020575664625}, 0.1288757330472077, 0.690976776375182, 0.0872784812075361, 0.645199624887498},
		{8, 4, [3]float64{0.232142857142857, 0.530555555555555, 0.2373015873015873}, [3]float64{0.1363880369791770, 0.1544262232518026, 0.1211020575664625}, 0.2998995238552241, 0.938611685381510, 0.0872784812075361, 0.645199624887498},
		{9, 2, [3]float64{0.232142857142857, 0.530555555555555, 0.2373015873015873}, [3]float64{0.1363880369791770, 0.1544262232518026, 0.1211020575664625}, 0.2998995238552241, 0.938611685381510, 0.0872784812075361, 0.645199624887498},
		{10, 1, [3]float64{0, 0.530555555555555, 0.4694444444444444}, [3]float64{0, 0.1544262232518026, 0.1544262232518026}, 0.2998995238552241, 0.938611685381510, 0.2463638439652036, 0.894522844232286},
	}
	pts := aalenJohansen(tallyK(obs, 2), 2)
	if len(pts) != len(r) {
		t.Fatalf("%d times, R has %d", len(pts), len(r))
	}
	const tol = 1e-12
	near := func(what string, got *float64, want float64) {
		t.Helper()
		switch {
		case math.IsNaN(want):
			if got != nil {
				t.Errorf("%s = %v, R gives NA", what, *got)
			}
		case got == nil || math.Abs(*got-want) > tol:
			t.Errorf("%s = %v, R %.15g", what, got, want)
		}
	}
	for i, w := range r {
		pt := pts[i]
		if pt.t != w.t || pt.nRisk != w.nRisk {
			t.Fatalf("point %d: t=%d with %d at risk, R t=%d with %d", i, pt.t, pt.nRisk, w.t, w.nRisk)
		}
		for s := range 3 {
			near("p", &pt.p[s], w.p[s])
			near("se", &pt.se[s], w.se[s])
		}
		lo, hi := logInterval(pt.p[1], pt.se[1])
		near("lower of way 1", lo, w.lo1)
		near("upper of way 1", hi, w.hi1)
		lo, hi = logInterval(pt.p[2], pt.se[2])
		near("lower of way 2", lo, w.lo2)
		near("upper of way 2", hi, w.hi2)
	}
}
