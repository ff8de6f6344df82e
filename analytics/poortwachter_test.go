package analytics

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/verzuim/absence/analytics/poortwachter"
)

// The Poortwachter fixture (datasets/fixtures/survival/poortwachter_*.csv),
// extract date 2024-06-30 (a Sunday), open sickness cases of every age:
//
//	P01 since 30 Jun (sick day 1)     P02 since 2 Jun (day 29)
//	P03 since 1 May (day 61)          P04 since 1 Apr (day 91)
//	P05 since 1 Jan (day 182)
//	P06 sick 1 Jan–31 Mar (91 days), well 1–10 Apr, sick since 11 Apr (day 172)
//
// Sick day n of a continuous track falls on first sick day + n − 1; P06's
// second case starts at sick day 92.
func poortwachterStore(t *testing.T, milestones bool) *testStore {
	t.Helper()
	files := []string{"poortwachter_employments.csv", "poortwachter_absence.csv"}
	if milestones {
		files = append(files, "poortwachter_milestones.csv")
	}
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = absFixture(t, survivalFixtures+f)
	}
	return openStore(t, "2024-06-30", paths...)
}

func poortwachterTracks(t *testing.T, s *testStore) TracksResult {
	t.Helper()
	res, err := Tracks(t.Context(), s.DB, Filter{From: date("2024-01-01"), To: date("2024-06-30")}, TrackOptions{}, Options{MinEmployees: 5, MinCases: 5})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// deadlineRows renders deadlines as "employee milestone due", sorted.
func deadlineRows(s *testStore, ds []Deadline) []string {
	name := map[string]string{}
	for _, e := range []string{"P01", "P02", "P03", "P04", "P05", "P06"} {
		name[s.Pseudonym(e)] = e
	}
	var out []string
	for _, d := range ds {
		out = append(out, name[d.EmployeeID]+" "+d.Milestone+" "+day(d.Due.Time))
	}
	slices.Sort(out)
	return out
}

// Finding 8: a deadline is listed only once the case is old enough for it
// to matter (the lead of each milestone in the rules table): the
// problem analysis (due on sick day 42) from sick day 28, the action plan
// (day 56) from day 42. A one-day-old case lists only its sick report to
// the occupational-health service, due within the first week (sick day 7).
func TestDeadlinesListedOnlyOnceTheCaseIsOldEnough(t *testing.T) {
	s := poortwachterStore(t, false)
	got := deadlineRows(s, poortwachterTracks(t, s).Deadlines)
	for _, want := range []string{"P01 sick_report 2024-07-06", "P02 problem_analysis 2024-07-13"} {
		if !slices.Contains(got, want) {
			t.Errorf("deadlines lack %q: %v", want, got)
		}
	}
	for _, not := range []string{"P01 problem_analysis", "P02 action_plan"} {
		for _, g := range got {
			if strings.HasPrefix(g, not) {
				t.Errorf("deadline listed too early: %q", g)
			}
		}
	}
}

// Finding 8, with milestone dates (poortwachter_milestones.csv): the week-1
// sick report to the occupational-health service and the evaluations of
// the action plan, at least every six weeks, have due dates and statuses.
// An evaluation is due 42 sick days after the plan (its recorded date,
// else its due date) and then 42 sick days after each previous one
// (recorded, else due); each recorded evaluation answers the next one due.
func TestPoortwachterSickReportAndEvaluations(t *testing.T) {
	s := poortwachterStore(t, true)
	res := poortwachterTracks(t, s)
	type ms struct {
		Milestone  string
		Occurrence int
		Due, Done  string
		Status     string
	}
	rows := func(emp string) []ms {
		for _, tr := range res.Open {
			if tr.EmployeeID != s.Pseudonym(emp) {
				continue
			}
			var out []ms
			for _, m := range tr.Milestones {
				r := ms{m.Milestone, m.Occurrence, day(m.Due.Time), "", m.Status}
				if m.Done != nil {
					r.Done = day(m.Done.Time)
				}
				out = append(out, r)
				if m.Milestone == poortwachter.ActionPlanEvaluation && m.Status == StatusUpcoming {
					break // the statutory steps after it are in tracks_test.go
				}
			}
			return out
		}
		t.Fatalf("no open track for %s", emp)
		return nil
	}
	// P05, continuous since 1 Jan: sick report due on sick day 7 (7 Jan),
	// done 5 Jan; problem analysis due day 42 (11 Feb), done 20 Feb; plan
	// due day 56 (25 Feb), done that day. Evaluations: 25 Feb is sick day
	// 56, +42 = day 98 = 7 Apr (done 5 Apr: on time); 5 Apr is day 96, +42 =
	// day 138 = 17 May (done 25 May: late); 25 May is day 146, +42 = day 188
	// = 6 Jul (upcoming).
	want := []ms{
		{poortwachter.SickReport, 0, "2024-01-07", "2024-01-05", StatusOnTime},
		{poortwachter.ProblemAnalysis, 0, "2024-02-11", "2024-02-20", StatusLate},
		{poortwachter.ActionPlan, 0, "2024-02-25", "2024-02-25", StatusOnTime},
		{poortwachter.ActionPlanEvaluation, 1, "2024-04-07", "2024-04-05", StatusOnTime},
		{poortwachter.ActionPlanEvaluation, 2, "2024-05-17", "2024-05-25", StatusLate},
		{poortwachter.ActionPlanEvaluation, 3, "2024-07-06", "", StatusUpcoming},
	}
	if d := cmp.Diff(want, rows("P05")); d != "" {
		t.Errorf("P05 (-want +got):\n%s", d)
	}
	// P06: sick 1 Jan–31 Mar (sick days 1–91), well 1–10 Apr, sick from
	// 11 Apr (day 92 on). Nothing recorded: the plan's due date, day 56
	// (25 Feb), anchors the evaluations on days 98, 140 and 182: 17 Apr,
	// 29 May and 10 Jul, the gap of ten days moving each.
	want = []ms{
		{poortwachter.SickReport, 0, "2024-01-07", "", StatusMissing},
		{poortwachter.ProblemAnalysis, 0, "2024-02-11", "", StatusMissing},
		{poortwachter.ActionPlan, 0, "2024-02-25", "", StatusMissing},
		{poortwachter.ActionPlanEvaluation, 1, "2024-04-17", "", StatusMissing},
		{poortwachter.ActionPlanEvaluation, 2, "2024-05-29", "", StatusMissing},
		{poortwachter.ActionPlanEvaluation, 3, "2024-07-10", "", StatusUpcoming},
	}
	if d := cmp.Diff(want, rows("P06")); d != "" {
		t.Errorf("P06 (-want +got):\n%s", d)
	}

	// Deadlines to 11 Aug, once the track is within the step's lead: P04's
	// first evaluation (plan done 20 May = sick day 50, +42 = day 92 =
	// 1 Jul), P01's sick report, P05's third evaluation, P06's third and
	// P02's problem analysis. Not: P01's problem analysis (P01 is on sick
	// day 1, listed from day 28), P02's plan (day 29, listed from day 42),
	// P03's first evaluation (plan done 20 Jun = day 51, due day 93 = 1 Aug;
	// P03 is on day 61, listed from day 79).
	wantDeadlines := []string{
		"P01 sick_report 2024-07-06",
		"P02 problem_analysis 2024-07-13",
		"P04 action_plan_evaluation 2024-07-01",
		"P05 action_plan_evaluation 2024-07-06",
		"P06 action_plan_evaluation 2024-07-10",
	}
	if d := cmp.Diff(wantDeadlines, deadlineRows(s, res.Deadlines)); d != "" {
		t.Errorf("deadlines (-want +got):\n%s", d)
	}
	// Overdue: P02 sick report (8 Jun), P03 and P04 problem analysis, and
	// P06's sick report, analysis, plan and first two evaluations.
	wantOverdue := []string{
		"P02 sick_report 2024-06-08",
		"P03 problem_analysis 2024-06-11",
		"P04 problem_analysis 2024-05-12",
		"P06 action_plan 2024-02-25",
		"P06 action_plan_evaluation 2024-04-17",
		"P06 action_plan_evaluation 2024-05-29",
		"P06 problem_analysis 2024-02-11",
		"P06 sick_report 2024-01-07",
	}
	if d := cmp.Diff(wantOverdue, deadlineRows(s, res.Overdue)); d != "" {
		t.Errorf("overdue (-want +got):\n%s", d)
	}

	// Compliance of the first half of 2024 (5 employees, 5 tracks):
	//   sick_report: P02 8 Jun missing, P03 7 May late (10 May), P04 7 Apr
	//     on time, P05 on time, P06 missing
	//   problem_analysis: P03, P04, P06 missing; P05 late (P02's is due 13 Jul)
	//   action_plan: P03 (25 Jun, done 20 Jun), P04 (26 May, done 20 May),
	//     P05 on time; P06 missing
	//   action_plan_evaluation: P05 on time and late, P06 twice missing
	type row struct {
		Milestone                         string
		Due, OnTime, Early, Late, Missing int64
	}
	var got []row
	for _, c := range res.Compliance[:4] {
		got = append(got, row{c.Milestone, *c.Due, *c.OnTime, *c.Early, *c.Late, *c.Missing})
	}
	wantCompliance := []row{
		{poortwachter.SickReport, 5, 2, 0, 1, 2},
		{poortwachter.ProblemAnalysis, 4, 0, 0, 1, 3},
		{poortwachter.ActionPlan, 4, 3, 0, 0, 1},
		{poortwachter.ActionPlanEvaluation, 4, 1, 0, 1, 2},
	}
	if d := cmp.Diff(wantCompliance, got); d != "" {
		t.Errorf("compliance (-want +got):\n%s", d)
	}
}
