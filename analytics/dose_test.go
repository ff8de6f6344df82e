package analytics

import (
	"testing"
)

// The dose fixture (datasets/fixtures/cost/dose_*.csv): ten full-time
// employees sick from 2024-02-01, each with psychological coaching started
// 2024-03-01. D01–D05: 10 sessions, completed, back at the own employer
// 10, 20, 30, 40 and 50 days after the start. D06–D10: 3 sessions, stopped;
// D06 back after 100 days, D07 and D08 to WIA after 150 and 160, D09 back
// after 200, D10 still absent on the extract date 2025-06-30.
//
// By hand (Aalen–Johansen, WIA competing): the completed group is all back
// by day 50, half by day 30. The stopped group: day 100 one of five back
// (F = 0.2, S = 0.8), days 150 and 160 two to WIA (S = 0.4): at day 182
// 20% back; day 200 one of the two left (F = 0.4): never half, no median.
func doseStore(t *testing.T) *testStore {
	return openStore(t, "2025-06-30", absFixture(t, costFixtures+"dose_employments.csv"), absFixture(t, costFixtures+"dose_absence.csv"),
		absFixture(t, costFixtures+"dose_interventions.csv"))
}

var doseYear = Filter{From: date("2024-01-01"), To: date("2024-12-31")}

func TestDose(t *testing.T) {
	s := doseStore(t)
	res, err := Dose(t.Context(), s.DB, doseYear, Options{MinEmployees: 5, MinCases: 5})
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		by, band string
		n        int64
		back     float64
		median   *float64
	}
	wants := []want{
		{DoseBySessions, "1-4", 5, 20, nil},
		{DoseBySessions, "8-12", 5, 100, new(30.0)},
		{DoseByCompletion, "completed", 5, 100, new(30.0)},
		{DoseByCompletion, "stopped", 5, 20, nil},
	}
	var got []DoseGroup
	for _, g := range res.Groups {
		if g.InterventionType == PsychologicalCoaching {
			got = append(got, g)
		}
	}
	if len(got) != len(wants) || len(res.Groups) != len(wants) {
		t.Fatalf("groups %+v, want the four of psychological coaching", res.Groups)
	}
	for i, w := range wants {
		g := got[i]
		if g.By != w.by || g.Band != w.band || g.Suppressed {
			t.Errorf("group %d: %s %s suppressed %v, want %s %s", i, g.By, g.Band, g.Suppressed, w.by, w.band)
			continue
		}
		checkI(t, w.band+" n", g.Interventions, w.n)
		checkF(t, w.band+" back at 182 days", g.BackAtOwnEmployer.Pct, w.back)
		if w.median == nil {
			checkNil(t, w.band+" median", g.MedianDaysToReturn)
		} else {
			checkF(t, w.band+" median", g.MedianDaysToReturn, *w.median)
		}
	}
	if len(res.Definitions) == 0 || res.Definitions[0].Key != "dose" {
		t.Errorf("definitions %v, want dose first", res.Definitions)
	}

	// With a threshold of 6 employees each band is too small: all hidden.
	res, err = Dose(t.Context(), s.DB, doseYear, Options{MinEmployees: 6, MinCases: 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range res.Groups {
		if !g.Suppressed || g.Interventions != nil || g.BackAtOwnEmployer.Pct != nil {
			t.Errorf("%s %s shown with 5 employees and a threshold of 6: %+v", g.By, g.Band, g)
		}
	}
}
