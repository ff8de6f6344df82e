package analytics

import (
	"context"
	"math"
	"strings"
	"testing"
)

// The frequent fixture (datasets/fixtures/survival/frequent_*.csv; the
// cases are described at TestFrequentToLongReportJSON in cmd/absence),
// reference date 1-1-2024: days to the first long case, false = censored.
func TestFrequentToLong(t *testing.T) {
	q := survivalStore(t, "2025-06-30", "frequent_employments.csv", "frequent_absence.csv")
	at := date("2024-01-01")
	res, err := FrequentToLong(context.Background(), q, Filter{}, at, Options{MinEmployees: 5})
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]struct {
		ts  []int
		evs []bool
	}{
		GroupFrequent: {[]int{60, 182, 151, 504, 380}, []bool{true, true, false, false, true}},
		GroupOther:    {[]int{274, 504, 504, 504, 504, 504}, []bool{true, false, false, false, false, false}},
	}
	if day(res.WindowFrom.Time) != "2023-01-02" || day(res.FollowUpTo.Time) != "2025-05-19" || len(res.CumulativeIncidence) != 6 {
		t.Fatalf("result %+v", res)
	}
	for _, e := range res.CumulativeIncidence {
		g := groups[e.Group]
		pts := plainKM(g.ts, g.evs)
		wantT := map[int]int{12: 366, 24: 731, 48: 1461}[e.Months]
		if e.T != wantT || e.Suppressed || *e.N != int64(len(g.ts)) {
			t.Errorf("%s %d months: t %d (want %d), %+v", e.Group, e.Months, e.T, wantT, e)
		}
		if e.T > 504 {
			if e.Estimate != nil {
				t.Errorf("%s %d months: %v beyond the follow-up", e.Group, e.Months, *e.Estimate)
			}
			continue
		}
		var want plainPoint
		for _, p := range pts {
			if p.t <= e.T {
				want = p
			}
		}
		if e.Estimate == nil || math.Abs(*e.Estimate-(1-want.surv)) > 1e-12 || math.Abs(*e.Lower-(1-want.upper)) > 1e-12 || math.Abs(*e.Upper-(1-want.lower)) > 1e-12 {
			t.Errorf("%s %d months: %v [%v, %v], want %v [%v, %v]", e.Group, e.Months, fmtp(e.Estimate), fmtp(e.Lower), fmtp(e.Upper), 1-want.surv, 1-want.upper, 1-want.lower)
		}
	}
	if res.LogRank == nil || res.LogRank.DF != 1 {
		t.Errorf("log-rank %+v", res.LogRank)
	}
	// Default thresholds: five and six employees are too few.
	res, err = FrequentToLong(context.Background(), q, Filter{}, at, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.CumulativeIncidence {
		if !e.Suppressed || e.Estimate != nil || e.N != nil {
			t.Errorf("%s shown: %+v", e.Group, e)
		}
	}
	// A reference date too close to the extract date.
	if _, err := FrequentToLong(context.Background(), q, Filter{}, date("2025-06-01"), Options{}); err == nil || !strings.Contains(err.Error(), "42 days before the extract date 2025-06-30") {
		t.Errorf("error %v", err)
	}
}
