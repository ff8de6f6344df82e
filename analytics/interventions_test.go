package analytics

import (
	"context"
	"math"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The link fixture (datasets/fixtures/survival/link_*.csv), extract date
// 31-12-2024: I01 is sick 10–31 January 2024 (back 1 February) and 1 March
// – 30 April (back 1 May); I02 is sick from 1 November, still open; I03 is
// on pregnancy leave from 1 June; I05's contract ended on 30 June.
func TestInterventionLinking(t *testing.T) {
	s := openStore(t, "2024-12-31", absFixture(t, survivalFixtures+"link_employments.csv"),
		absFixture(t, survivalFixtures+"link_absence.csv"), absFixture(t, survivalFixtures+"link_interventions.csv"))
	links, err := interventionLinks(context.Background(), s.DB, Filter{From: date("2024-01-01"), To: date("2024-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{s.Pseudonym("I01"): "I01", s.Pseudonym("I02"): "I02", s.Pseudonym("I03"): "I03", s.Pseudonym("I05"): "I05"}
	got := map[string]string{}
	for _, l := range links {
		case_ := "none"
		if !l.FirstSickDay.IsZero() {
			case_ = day(l.FirstSickDay.Time)
		}
		got[names[l.EmployeeID]+" "+day(l.Start.Time)+" "+l.Type] = case_
	}
	want := map[string]string{
		"I01 2024-01-05 intervention_talk":      "none",       // before the first case
		"I01 2024-01-10 intervention_talk":      "2024-01-10", // on its first sick day
		"I01 2024-01-31 psychological_coaching": "2024-01-10", // on its last sick day
		"I01 2024-02-01 return_talk":            "2024-01-10", // on the recovery date: the talk of the first day back (finding 3)
		"I01 2024-02-15 mediation":              "none",       // between the cases
		"I01 2024-03-01 labour_expert":          "2024-03-01", // the second case
		"I01 2024-05-02 intervention_talk":      "none",       // after the second case
		"I02 2024-12-01 intervention_talk":      "2024-11-01", // an open case
		"I03 2024-07-01 intervention_talk":      "none",       // pregnancy leave is not sickness
		"I05 2024-08-01 intervention_talk":      "none",       // no contract
	} // and the talk of 1-12-2023 lies outside the period
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("links (-want +got):\n%s", d)
	}
	res, err := Interventions(context.Background(), s.DB, Filter{From: date("2024-01-01"), To: date("2024-12-31")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Interventions != 10 || res.Unlinked != 5 {
		t.Errorf("%d interventions, %d unlinked; want 10 and 5", res.Interventions, res.Unlinked)
	}
	if d := cmp.Diff([]UnlinkedCount{{"no_case", 3}, {"no_contract", 1}, {"not_sickness", 1}}, res.UnlinkedReasons); d != "" {
		t.Errorf("unlinked reasons (-want +got):\n%s", d)
	}
	// With a population filter an intervention without a contract belongs
	// to no department.
	res, err = Interventions(context.Background(), s.DB, Filter{From: date("2024-01-01"), To: date("2024-12-31"), Units: []Unit{{Department: "link"}}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Interventions != 9 || res.Unlinked != 4 {
		t.Errorf("filtered: %d interventions, %d unlinked; want 9 and 4", res.Interventions, res.Unlinked)
	}
	// Two employees: every group is below the thresholds.
	for _, g := range res.Groups {
		if !g.Suppressed || g.Interventions != nil || g.Recovery.Points != nil || g.Outcomes != nil {
			t.Errorf("group %s/%s shown: %+v", g.Type, g.Provider, g)
		}
	}
}

// The landmark fixture (see TestLandmarkSelection) has six linked
// intervention talks from six employees, started 10, 10, 20, 50, 42 and 41
// days after the first sick day, whose cases recovered 20, 32, 23, 50, 38
// and 9 days after the start, all fully back; a seventh talk lies before
// its case.
func TestInterventionFigures(t *testing.T) {
	q := landmarkStore(t)
	res, err := Interventions(context.Background(), q, Filter{From: date("2024-01-01"), To: date("2024-12-31")}, Options{MinEmployees: 5, MinCases: 5})
	if err != nil {
		t.Fatal(err)
	}
	if res.Interventions != 8 || res.Unlinked != 1 || res.Suppressed {
		t.Fatalf("%d interventions, %d unlinked, suppressed %v", res.Interventions, res.Unlinked, res.Suppressed)
	}
	var talk, prov *InterventionGroup
	for i, g := range res.Groups {
		switch {
		case g.Type == InterventionTalk && g.Provider == "":
			talk = &res.Groups[i]
		case g.Type == InterventionTalk:
			prov = &res.Groups[i]
		case g.Type == PsychologicalCoaching && !g.Suppressed:
			t.Errorf("one psychological coaching shown")
		}
	}
	if talk == nil || prov == nil || talk.Suppressed {
		t.Fatalf("talk groups: %+v %+v", talk, prov)
	}
	checkI(t, "interventions", talk.Interventions, 6)
	checkI(t, "cases", talk.Cases, 6)
	checkF(t, "median days to start", talk.DaysToStartMedian, (20+41)/2.0)
	checkF(t, "mean days to start", talk.DaysToStartMean, (10+10+20+50+42+41)/6.0)
	if d := cmp.Diff([]OutcomeCount{{"full_return", 6, 100}}, talk.Outcomes); d != "" {
		t.Errorf("outcomes (-want +got):\n%s", d)
	}
	// Recovery after the start: 9, 20, 23, 32, 38, 50 days, no censoring.
	// S is exactly 1/2 from 23 to 32, so the median is their midpoint (R).
	checkF(t, "median from start", talk.Recovery.Median, 27.5)
	comparePoints(t, "recovery from start", talk.Recovery.Points,
		plainKM([]int{20, 32, 23, 50, 38, 9}, []bool{true, true, true, true, true, true}))
	// Everyone back at the own employer within 91 days.
	if r := talk.ReturnToWork[0]; r.Days != 91 || r.Pct == nil || *r.Pct != 100 {
		t.Errorf("return to work at 91 days: %+v", r)
	}
	// The single provider has the type's figures.
	if prov.Suppressed || *prov.Interventions != 6 || prov.Provider != "ArboPlus Nederland" {
		t.Errorf("provider: %+v", prov)
	}
}

// relapseObsQuery follows every closed sickness case as relapse does.
func relapseObsQuery(f Filter) Query {
	obs, p := relapseObsSQL(f, "rc", "g")
	return withQuery(`rc AS (SELECT 'all' AS g, employee_key AS emp, first_sick_day AS fsd, recovery_date AS rec
		FROM absence_cases WHERE recovery_date IS NOT NULL AND absence_type = 'sickness'), `+obs, p, `SELECT k.pseudonym, t, ev FROM obs JOIN employees k ON k.employee_key = obs.emp ORDER BY t`)
}

func TestRelapseObservation(t *testing.T) {
	// The tracks fixture: R03 and R04 are back on 1-3-2023 and sick again
	// 28 and 27 days later; R01 back 4-7-2022, sick again after 21 days.
	s := tracksStore(t, false)
	f := Filter{From: date("2022-01-01"), To: date("2023-06-30"), ExtractDate: date(tracksExtract)}
	rows, err := relapseObsQuery(f).run(t.Context(), s.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var emp string
		var tt int
		var ev bool
		if err := rows.Scan(&emp, &tt, &ev); err != nil {
			t.Fatal(err)
		}
		for _, e := range []string{"R01", "R03", "R04"} {
			if s.Pseudonym(e) == emp {
				emp = e
			}
		}
		got = append(got, emp+" "+strconv.Itoa(tt)+" "+map[bool]string{true: "relapse", false: "censored"}[ev])
	}
	want := []string{"R01 21 relapse", "R04 27 relapse", "R03 28 relapse"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("relapse rows (-want +got):\n%s", d)
	}
	// A new case on the extract date itself is a relapse (link fixture: I04
	// back on 11-10-2024, sick again on 31-12-2024, the extract date); I01's
	// second case follows its first after 29 days and nothing follows the
	// second (censored at the extract date, 244 days later).
	l := openStore(t, "2024-12-31", absFixture(t, survivalFixtures+"link_employments.csv"), absFixture(t, survivalFixtures+"link_absence.csv"))
	f = Filter{From: date("2024-01-01"), To: date("2024-12-31"), ExtractDate: date("2024-12-31")}
	var got2 []string
	rows2, err := relapseObsQuery(f).run(t.Context(), l.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer rows2.Close()
	for rows2.Next() {
		var emp string
		var tt int
		var ev bool
		if err := rows2.Scan(&emp, &tt, &ev); err != nil {
			t.Fatal(err)
		}
		got2 = append(got2, map[string]string{l.Pseudonym("I01"): "I01", l.Pseudonym("I04"): "I04"}[emp]+" "+strconv.Itoa(tt)+" "+map[bool]string{true: "relapse", false: "censored"}[ev])
	}
	if d := cmp.Diff([]string{"I01 29 relapse", "I04 81 relapse", "I01 244 censored"}, got2); d != "" {
		t.Errorf("relapse rows, link fixture (-want +got):\n%s", d)
	}
}

// Finding 1 (issue 10): "back at 91/182/365 days" counted every closed case,
// WIA, placement elsewhere and end of employment included. The outcomes
// fixture (datasets/fixtures/survival/outcomes_*.csv, department Kort) has
// an intervention_talk on day 3 of each of eight cases; from the start,
// their cases end after 8 days (back at work; employment ended the day
// before the recovery date, no reason recorded), 18 (open), 28 (adapted own
// work; second track), 28 (open), 48 (no reason, a new contract on the
// recovery date: back) and 58 days (other). By hand (Aalen–Johansen):
// S(8) = 6/8, own employer 1/8; at 28 the risk set is 5: S = 3/4·3/5 =
// 0.45, own employer 1/8 + 3/4·1/5 = 0.275; at 48 (2 at risk) own employer
// 0.275 + 0.45/2 = 0.5; at 58 the last case ends in "other". So 50% came
// back to their own employer; every case was closed by day 91.
func TestReturnToWorkCountsOnlyTheOwnEmployer(t *testing.T) {
	q := survivalStore(t, "2024-12-31", "outcomes_employments.csv", "outcomes_absence.csv", "outcomes_interventions.csv")
	res, err := Interventions(context.Background(), q, Filter{From: date("2024-01-01"), To: date("2024-12-31")}, Options{MinEmployees: 5, MinCases: 5})
	if err != nil {
		t.Fatal(err)
	}
	var talk *InterventionGroup
	for i, g := range res.Groups {
		if g.Type == InterventionTalk && g.Provider == "" {
			talk = &res.Groups[i]
		}
	}
	if talk == nil || talk.Suppressed {
		t.Fatalf("no intervention_talk group: %+v", res.Groups)
	}
	for _, r := range talk.ReturnToWork {
		if r.Pct == nil || math.Abs(*r.Pct-50) > 1e-9 {
			t.Errorf("back at the own employer within %d days of the start: %v%%, want 50%% (the others ended elsewhere or are still open)", r.Days, fmtp(r.Pct))
		}
	}
}
