package analytics

import (
	"context"
	"math"
	"testing"
)

func TestProgressionSixMP(t *testing.T) {
	q := survivalStore(t, "2024-12-31", "sixmp_employments.csv", "sixmp_absence.csv")
	f := Filter{From: date("2024-01-01"), To: date("2024-12-31"), Units: []Unit{{Department: "6-MP"}}}
	res, err := Progression(context.Background(), q, f, ProgressionOptions{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tot := res.Total
	if tot.Suppressed || *tot.Cases != 21 {
		t.Fatalf("total: %+v", tot)
	}
	// Still absent after 7 days = S(7) = 18/21 · 16/17 (17 observed that
	// long); the longest follow-up is 35 days, so 42 days and more say
	// nothing: null, not the last value of the curve.
	w := 100 * 18.0 / 21 * 16 / 17
	sa := tot.StillAbsent
	if sa[0].Days != 7 || sa[0].Pct == nil || math.Abs(*sa[0].Pct-w) > 1e-9 || *sa[0].NRisk != 17 {
		t.Errorf("7 days: %+v, want %.6f%% of 17", sa[0], w)
	}
	for _, s := range sa[1:] {
		if s.Pct != nil || s.CI != nil {
			t.Errorf("%d days: %v, want null (beyond the follow-up)", s.Days, *s.Pct)
		}
	}
	// Grid: week 5 (35 days) is the last estimable one.
	if tot.Grid[4] == nil || tot.Grid[5] != nil {
		t.Errorf("grid weeks 5–6: %v %v", fmtp(tot.Grid[4]), fmtp(tot.Grid[5]))
	}
	// The cases start in many months, each with a handful: every monthly
	// cohort is below the thresholds.
	if len(res.Cohorts) < 2 {
		t.Fatalf("%d cohorts", len(res.Cohorts))
	}
	for _, c := range res.Cohorts {
		if !c.Suppressed || c.Cases != nil || c.Grid[0] != nil {
			t.Errorf("cohort %s shown: %+v", c.Cohort, c)
		}
	}
}

func TestCohortGrid(t *testing.T) {
	q := survivalStore(t, "2024-12-31", "ties_employments.csv", "ties_absence.csv")
	f := Filter{From: date("2024-01-01"), To: date("2024-12-31")}
	res, err := Progression(context.Background(), q, f, ProgressionOptions{Cohort: Quarterly, GridWeeks: 4}, Options{MinEmployees: 5, MinCases: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Cohorts) != 2 || res.Cohorts[0].Cohort != "2024-Q1" || res.Cohorts[1].Cohort != "2024-Q4" {
		t.Fatalf("cohorts: %+v", res.Cohorts)
	}
	grid := func(r ProgressionRow) []float64 {
		var out []float64
		for _, g := range r.Grid {
			if g == nil {
				out = append(out, -1)
			} else {
				out = append(out, math.Round(*g*1e6)/1e6)
			}
		}
		return out
	}
	// Q1: 3, 8, 10, 15, 20 days, all recovered: after 1 week 4/5, after 2
	// weeks 2/5, after 3 weeks none; the curve ends at 0, so later weeks
	// are 0, not unknown.
	if got, want := grid(res.Cohorts[0]), []float64{80, 40, 0, 0}; !equalFloats(got, want) {
		t.Errorf("Q1 grid %v, want %v", got, want)
	}
	// Q4: 3, 3, 3+, 5, 5+, 8, 8+, 10+, 12: S(7) = 7/9 · 5/6, then 0 at 12.
	if got, want := grid(res.Cohorts[1]), []float64{math.Round(100*7.0/9*5/6*1e6) / 1e6, 0, 0, 0}; !equalFloats(got, want) {
		t.Errorf("Q4 grid %v, want %v", got, want)
	}
	// All cases: S(7) = S(5) = 11/14 · 9/10.
	if p := res.Total.StillAbsent[0].Pct; p == nil || math.Abs(*p-100*11.0/14*9/10) > 1e-9 {
		t.Errorf("total after 7 days: %v", fmtp(p))
	}
	// Default thresholds: Q1 has 5 employees (< 10), and hiding it alone
	// would let Q4 = total − Q1 be worked out: both hidden, the total shown.
	res, err = Progression(context.Background(), q, f, ProgressionOptions{Cohort: Quarterly}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Cohorts[0].Suppressed || !res.Cohorts[1].Suppressed || res.Total.Suppressed {
		t.Errorf("suppressed: Q1 %v, Q4 %v, total %v", res.Cohorts[0].Suppressed, res.Cohorts[1].Suppressed, res.Total.Suppressed)
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-6 {
			return false
		}
	}
	return true
}
