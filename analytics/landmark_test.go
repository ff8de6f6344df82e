package analytics

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The landmark fixture (datasets/fixtures/survival/landmark_*.csv), extract
// date 31-12-2024, one case per employee (days = recovery date − first sick
// day; interventions by day since the first sick day):
//
//	A01 30 days, talk day 10        recovered before day 42: out
//	A02 42 days, talk day 10        back on day 42 itself: out
//	A03 43 days, talk day 20        talk before 42: intervention arm, 1 day after L
//	A04 100 days, talk day 50       talk after 42: none at 42; at 91 a late talk
//	A05 60 days, coaching day 30    another type before 42: not in the talk comparison
//	A06 80 days, talk day 42        talk on day 42: counts as none
//	A07 open, 41 days observed      not known to be absent at 42: out
//	A08 open, 42 days observed      at risk, censored at 0 days after L: none
//	A09 50 days, talk day 41        last day before L: intervention arm
//	A10 70 days, talk 5 days before the case: not linked, none
func landmarkStore(t testing.TB) Querier {
	t.Helper()
	return survivalStore(t, "2024-12-31", "landmark_employments.csv", "landmark_absence.csv", "landmark_interventions.csv")
}

func TestLandmarkSelection(t *testing.T) {
	s := openStore(t, "2024-12-31", absFixture(t, survivalFixtures+"landmark_employments.csv"),
		absFixture(t, survivalFixtures+"landmark_absence.csv"), absFixture(t, survivalFixtures+"landmark_interventions.csv"))
	f := Filter{From: date("2024-01-01"), To: date("2024-12-31"), ExtractDate: date("2024-12-31")}
	lopt := LandmarkOptions{Landmarks: []int{42, 91}, Types: []string{InterventionTalk, PsychologicalCoaching}, EarlyDays: 42}
	with, p := landmarkSQL(f, lopt)
	rows, err := withQuery(with, p, `SELECT lm, typ, arm, k.pseudonym, t, ev FROM obs JOIN employees k ON k.employee_key = obs.emp ORDER BY lm, typ, arm, t`).run(t.Context(), s.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	names := map[string]string{}
	for i := 1; i <= 10; i++ {
		e := fmt.Sprintf("A%02d", i)
		names[s.Pseudonym(e)] = e
	}
	var got []string
	for rows.Next() {
		var lm, typ, arm, emp string
		var tt int
		var ev bool
		if err := rows.Scan(&lm, &typ, &arm, &emp, &tt, &ev); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("L%s %s %s %s t=%d ev=%v", lm, typ, arm, names[emp], tt, ev))
	}
	want := []string{
		"L42  none A08 t=0 ev=false",
		"L42  none A10 t=28 ev=true",
		"L42  none A06 t=38 ev=true",
		"L42  none A04 t=58 ev=true",
		"L42 intervention_talk intervention A03 t=1 ev=true",
		"L42 intervention_talk intervention A09 t=8 ev=true",
		"L42 psychological_coaching intervention A05 t=18 ev=true",
		// At 91 only A04 is still absent; its talk (day 50) came before 91,
		// after the early limit of 42: late.
		"L91 intervention_talk intervention A04 t=9 ev=true",
		"L91 intervention_talk late A04 t=9 ev=true",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("landmark rows (-want +got):\n%s", d)
	}
}

func TestLandmarkSuppressesSmallArms(t *testing.T) {
	q := landmarkStore(t)
	res, err := Landmark(context.Background(), q, Filter{From: date("2024-01-01"), To: date("2024-12-31")},
		LandmarkOptions{Landmarks: []int{42}, Types: []string{InterventionTalk}}, Options{MinEmployees: 5, MinCases: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Comparisons) != 1 {
		t.Fatalf("%d comparisons, want 1 (no early/late at a landmark of 42)", len(res.Comparisons))
	}
	c := res.Comparisons[0]
	// Two cases with a talk, four without: both below five.
	for _, a := range c.Arms {
		if !a.Suppressed || a.Cases != nil || a.Median != nil || a.Curve != nil || len(a.Rates) != 4 || a.Rates[0].Pct != nil {
			t.Errorf("arm %s shown: %+v", a.Arm, a)
		}
	}
	if c.LogRank != nil || c.HazardRatio != nil || c.MedianDifference != nil {
		t.Errorf("statistics of suppressed arms: %+v %+v %v", c.LogRank, c.HazardRatio, fmtp(c.MedianDifference))
	}
}

func TestPetoHazardRatio(t *testing.T) {
	// Identical arms: HR 1. The 6-MP arm against placebo recovers (here:
	// relapses) more slowly: HR well below 1, and the interval is
	// exp((O−E)/V ± 1.96/√V) of the textbook two-group sums.
	all := make([]bool, len(placebo))
	for i := range all {
		all[i] = true
	}
	mp, pl := strat(sixMPTimes, sixMPEvents), strat(placebo, all)
	if hr := petoHazardRatio(mp, mp); hr == nil || hr.Estimate != 1 {
		t.Errorf("HR of identical arms %+v", hr)
	}
	o, e, v := twoGroupLogRank(sixMPTimes, sixMPEvents, placebo, all)
	hr := petoHazardRatio(mp, pl)
	want := HazardRatio{Estimate: math.Exp((o - e) / v), Low: math.Exp((o-e)/v - z975/math.Sqrt(v)), High: math.Exp((o-e)/v + z975/math.Sqrt(v))}
	if hr == nil || !near(hr.Estimate, want.Estimate) || !near(hr.Low, want.Low) || !near(hr.High, want.High) || hr.High >= 1 {
		t.Errorf("HR %+v, want %+v", hr, want)
	}
}

// strat builds a stratum from times and event flags.
func strat(times []int, events []bool) *stratum {
	s := &stratum{}
	for _, p := range plainKM(times, events) {
		s.tallies = append(s.tallies, tally{p.t, int64(p.nEvent), int64(p.nCen)})
	}
	return s
}
