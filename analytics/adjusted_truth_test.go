//go:build knowntruth

package analytics

import (
	"math"
	"os"
	"strconv"
	"testing"
)

// The known-truth check over many seeds:
//
//	ABSENCE_TRUTH_SEEDS=20 ABSENCE_TRUTH_EMPLOYEES=3000 go test -tags knowntruth -run TestKnownTruthSeeds -v -timeout 1h ./analytics/
//
// It reports per method how often the 95% interval holds the method's own
// truth (truthOf: the conditional hazard ratio for the Cox models, the
// marginal one for ipw_landmark and the unadjusted comparison), how often
// the point estimate is within 15% of it, and the geometric mean of
// estimate / truth. It fails when an adjusted method covers its truth in
// fewer than 85% of the seeds (17 of 20; a 95% interval should cover about
// 19) or is within 15% in fewer than 80%, or when the unadjusted
// comparison covers its truth in half the seeds or more.
func TestKnownTruthSeeds(t *testing.T) {
	seeds, employees := envInt("ABSENCE_TRUTH_SEEDS", 20), envInt("ABSENCE_TRUTH_EMPLOYEES", 3000)
	trueHR := float64(envInt("ABSENCE_TRUTH_HR100", 150)) / 100
	covered, close, logRatio := map[string]int{}, map[string]int{}, map[string]float64{}
	for seed := 1; seed <= seeds; seed++ {
		for _, e := range knownTruth(t, employees, uint64(seed), trueHR) {
			if e.Suppressed {
				t.Errorf("seed %d: %s suppressed: %s", seed, e.Method, e.Reason)
				continue
			}
			hr, lo, hi := *e.HazardRatio, *e.Lower, *e.Upper
			if lo <= e.truth && e.truth <= hi {
				covered[e.Method]++
			}
			if math.Abs(hr/e.truth-1) <= 0.15 {
				close[e.Method]++
			}
			logRatio[e.Method] += math.Log(hr/e.truth) / float64(seeds)
			t.Logf("seed %2d %-20s HR %.3f (%.3f–%.3f) truth %.3f n %d/%d", seed, e.Method, hr, lo, hi, e.truth, *e.NTreated, *e.NControl)
		}
	}
	t.Logf("%d seeds × %d employees, conditional HR %.2f", seeds, employees, trueHR)
	t.Logf("| method | truth | interval holds it | within 15%% | geometric mean estimate / truth |")
	t.Logf("|---|---|---|---|---|")
	for _, m := range []string{methodUnadjusted, MethodIPWLandmark, MethodCoxLandmark, MethodCoxTimeVarying} {
		kind := "conditional"
		if truthOf(m, 1, 2) == 2 {
			kind = "marginal"
		}
		t.Logf("| `%s` | %s | %d/%d | %d/%d | %.3f |", m, kind, covered[m], seeds, close[m], seeds, math.Exp(logRatio[m]))
		if m == methodUnadjusted {
			if 2*covered[m] >= seeds {
				t.Errorf("the unadjusted comparison covers its truth in %d of %d seeds: the confounding is too weak to tell", covered[m], seeds)
			}
			continue
		}
		if float64(covered[m]) < 0.85*float64(seeds) {
			t.Errorf("%s: coverage %d of %d", m, covered[m], seeds)
		}
		if float64(close[m]) < 0.8*float64(seeds) {
			t.Errorf("%s: within 15%% of its truth in %d of %d seeds", m, close[m], seeds)
		}
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}
