package analytics

import (
	"math"
	"testing"
)

// Finding 10: the Wald interval of a small group ran below zero and was
// clipped: seven employees full-time through 2024 (366 days each), three
// of them sick 16, 48 and 54 days (datasets/fixtures/analytics/interval_*),
// gave ZVP 4.61 [0.00–9.49]. On the logit scale the interval stays inside
// 0–100% without clipping.
func TestZVPIntervalNeverLeavesZeroToHundred(t *testing.T) {
	s := openStore(t, "2025-01-31", "interval_employments.csv", "interval_absence.csv")
	g := rawGroups(t, s, Filter{From: date("2024-01-01"), To: date("2024-12-31")}, Options{})[TotalKey]
	x := 7 * 366.0
	r := (16 + 48 + 54) / x
	checkF(t, "zvp", g.ZVP, 100*r)
	if math.Round(100*100*r) != 461 {
		t.Fatalf("fixture drifted: ZVP %.4f", 100*r)
	}
	// Independently: Var(R) = n/(n−1) · Σ(y − R·x)² / (Σx)² over the seven
	// employees; se on the logit scale = se(R) / (R(1 − R)).
	var ss float64
	for _, y := range []float64{16, 48, 54, 0, 0, 0, 0} {
		ss += (y - r*366) * (y - r*366)
	}
	se := math.Sqrt(7.0/6*ss) / x
	if wald := 100 * (r - z975*se); wald >= 0 {
		t.Fatalf("the Wald interval no longer runs below zero (%.2f): not the reported case", wald)
	}
	logit := math.Log(r / (1 - r))
	half := z975 * se / (r * (1 - r))
	lo, hi := 1/(1+math.Exp(-(logit-half))), 1/(1+math.Exp(-(logit+half)))
	if g.ZVPInterval == nil {
		t.Fatal("no interval")
	}
	if g.ZVPInterval.Low <= 0 || g.ZVPInterval.High >= 100 {
		t.Errorf("interval %.2f–%.2f touches a bound", g.ZVPInterval.Low, g.ZVPInterval.High)
	}
	checkF(t, "low", &g.ZVPInterval.Low, 100*lo)
	checkF(t, "high", &g.ZVPInterval.High, 100*hi)
}
