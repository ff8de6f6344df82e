package analytics

import (
	"math"
	"slices"
	"testing"
)

// twoGroupLogRank is the textbook two-group log-rank sums, recounting the
// risk sets at every event time.
func twoGroupLogRank(t1 []int, e1 []bool, t2 []int, e2 []bool) (o, e, v float64) {
	var times []int
	for i, x := range t1 {
		if e1[i] {
			times = append(times, x)
		}
	}
	for i, x := range t2 {
		if e2[i] {
			times = append(times, x)
		}
	}
	slices.Sort(times)
	times = slices.Compact(times)
	for _, t := range times {
		var n1, n2, d1, d2 float64
		for i, x := range t1 {
			if x >= t {
				n1++
			}
			if x == t && e1[i] {
				d1++
			}
		}
		for i, x := range t2 {
			if x >= t {
				n2++
			}
			if x == t && e2[i] {
				d2++
			}
		}
		n, d := n1+n2, d1+d2
		o += d1
		e += n1 * d / n
		if n > 1 {
			v += n1 * n2 * d * (n - d) / (n * n * (n - 1))
		}
	}
	return o, e, v
}

func TestChiSquareSF(t *testing.T) {
	for _, c := range []struct{ x, df, p float64 }{
		{3.841458820694124, 1, 0.05},
		{6.634896601021214, 1, 0.01},
		{5.991464547107979, 2, 0.05}, // df 2: exp(−x/2)
		{0.5, 2, math.Exp(-0.25)},
		{11.07049769351635, 5, 0.05},
		{100, 3, 1.2e-21}, // tail: must keep relative precision
		{0, 4, 1},
	} {
		got := chiSquareSF(c.x, c.df)
		if math.Abs(got-c.p) > 1e-9*math.Max(c.p, 1e-12) && math.Abs(got-c.p)/c.p > 0.02 {
			t.Errorf("P(χ²(%v) > %v) = %.6g, want %.6g", c.df, c.x, got, c.p)
		}
	}
}

// TestLogRankSixMP holds the log-rank test of the 6-MP trial to R and to the
// textbook sums.
func TestLogRankSixMP(t *testing.T) {
	res := sixMPSurvival(t, Options{})
	all := make([]bool, len(placebo))
	for i := range all {
		all[i] = true
	}
	// Log-rank: R survdiff gives Chisq = 16.8 on 1 df, p = 4.17e-05;
	// O = 9, E = 19.25 for 6-MP. Independently: (O − E)²/V from the pooled
	// data by direct counting.
	lr := res.LogRank
	if lr == nil {
		t.Fatal("no log-rank test")
	}
	o, e, vv := twoGroupLogRank(sixMPTimes, sixMPEvents, placebo, all)
	if lr.DF != 1 || math.Abs(lr.ChiSquare-(o-e)*(o-e)/vv) > 1e-9 || math.Round(lr.ChiSquare*10)/10 != 16.8 {
		t.Errorf("log-rank χ² = %.6f on %d df, want %.6f (16.8) on 1", lr.ChiSquare, lr.DF, (o-e)*(o-e)/vv)
	}
	if math.Abs(lr.P-4.17e-5) > 0.01e-5 {
		t.Errorf("p = %.4g, want 4.17e-05", lr.P)
	}
	if lr.Observed[0] != 9 || math.Abs(lr.Expected[0]-e) > 1e-9 || math.Round(lr.Expected[0]*100)/100 != 19.25 {
		t.Errorf("6-MP observed %v expected %v, want 9 and %.4f (19.25)", lr.Observed[0], lr.Expected[0], e)
	}
}
