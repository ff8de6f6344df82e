package analytics

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/verzuim/absence/analytics/poortwachter"
)

// The tracks fixture (datasets/fixtures/survival/tracks_*.csv), extract date
// 30 June 2023. Expected dates were counted sick day by sick day, by hand
// and checked with a separate script:
//
//	R01 the statutory example: sick 3-1-2022 … 3-7-2022 (back 4-7), sick again from 25-7-2022
//	R02 sick from 3-1-2022, never back
//	R03 sick 2-1-2023 … 28-2-2023, again from 29-3-2023: 28 days between, two tracks
//	R04 the same but again from 28-3-2023: 27 days, one track
//	R05 sick (pregnancy) 1-9-2022 … 30-11-2022, pregnancy leave 1-12-2022 … 22-3-2023, sick from 23-3-2023
//	    (two tracks: pregnancy-related sickness never joins other sickness)
//	M01, M02 open since 1-6-2022 and 2-5-2022, with milestone dates
//	D01 open since 1-6-2023
const tracksExtract = "2023-06-30"

func tracksStore(t testing.TB, milestones bool) *testStore {
	t.Helper()
	files := []string{"tracks_employments.csv", "tracks_absence.csv"}
	if milestones {
		files = append(files, "tracks_milestones.csv")
	}
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = absFixture(t, survivalFixtures+f)
	}
	return openStore(t, tracksExtract, paths...)
}

func runTracks(t *testing.T, s *testStore, opt Options) TracksResult {
	t.Helper()
	res, err := Tracks(context.Background(), s.DB, Filter{From: date("2023-01-01"), To: date("2023-06-30")}, TrackOptions{}, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func openTrack(t *testing.T, s *testStore, res TracksResult, emp string) Track {
	t.Helper()
	for _, tr := range res.Open {
		if tr.EmployeeID == s.Pseudonym(emp) {
			return tr
		}
	}
	t.Fatalf("no open track for %s", emp)
	return Track{}
}

func TestSamentellingExample(t *testing.T) {
	s := tracksStore(t, false)
	res := runTracks(t, s, Options{})
	// Art. 7:629 lid 10 BW, the worked example: without the relapse the
	// 104 weeks would end on 1-1-2024 (R02, one continuous case from the
	// same day); the 21 days well (4–24 July) move it to 22-1-2024.
	r01, r02 := openTrack(t, s, res, "R01"), openTrack(t, s, res, "R02")
	if got := day(r02.Week104End.Time); got != "2024-01-01" {
		t.Errorf("continuous case: 104-week end %s, want 2024-01-01", got)
	}
	if got := day(r01.Week104End.Time); got != "2024-01-22" {
		t.Errorf("samentelling: 104-week end %s, want 2024-01-22", got)
	}
	if day(r01.FirstSickDay.Time) != "2022-01-03" || day(r01.CurrentCase.Time) != "2022-07-25" || r01.Cases != 2 || r01.GapDays != 21 ||
		r01.SickDays != 182+341 || r01.Week != 75 {
		t.Errorf("R01 track: %+v", r01)
	}
}

type dueWant struct {
	Milestone, WindowFrom, Due, Done, Status string
}

// milestoneRows renders a track's milestones, leaving out the sick report
// and the evaluations of the action plan (poortwachter_test.go covers
// those), so these tests read as the statutory steps.
func milestoneRows(tr Track) []dueWant {
	var out []dueWant
	for _, m := range tr.Milestones {
		if m.Milestone == poortwachter.SickReport || m.Milestone == poortwachter.ActionPlanEvaluation {
			continue
		}
		w := dueWant{Milestone: m.Milestone, Due: day(m.Due.Time), Status: m.Status}
		if m.WindowFrom != nil {
			w.WindowFrom = day(m.WindowFrom.Time)
		}
		if m.Done != nil {
			w.Done = day(m.Done.Time)
		}
		out = append(out, w)
	}
	return out
}

func TestTrackChainingAndDueDates(t *testing.T) {
	s := tracksStore(t, true)
	res := runTracks(t, s, Options{})
	var open []string
	for _, tr := range res.Open {
		open = append(open, tr.EmployeeID)
	}
	if len(res.Open) != 8 {
		t.Errorf("%d open tracks, want 8 (R01 R02 R03-second R04 R05 M01 M02 D01)", len(res.Open))
	}

	// R01: sick days 1–182 in the first case, 183… from 25-7-2022; every
	// date after the gap moves by its 21 days. The 42-week report is due the
	// day after sick day 294 (Sunday 13-11-2022): Monday 14-11-2022.
	// Recorded: problem analysis (on the first case), first-year evaluation
	// (on the second case: any case of the track names it) and second track,
	// due six weeks after the evaluation of 20-1-2023 as that is earlier
	// than sick day 406 (5-3-2023).
	want := []dueWant{
		{poortwachter.ProblemAnalysis, "", "2022-02-13", "2022-02-01", StatusOnTime},
		{poortwachter.ActionPlan, "", "2022-02-27", "", StatusMissing},
		{poortwachter.Week42Report, "", "2022-11-14", "", StatusMissing},
		{poortwachter.FirstYearEvaluation, "2022-12-05", "2023-01-22", "2023-01-20", StatusOnTime},
		{poortwachter.SecondTrackStart, "", "2023-03-03", "2023-03-01", StatusOnTime},
		{poortwachter.WIAApplication, "2023-10-16", "2023-11-05", "", StatusUpcoming},
		{poortwachter.Week104End, "", "2024-01-22", "", StatusUpcoming},
	}
	if d := cmp.Diff(want, milestoneRows(openTrack(t, s, res, "R01"))); d != "" {
		t.Errorf("R01 milestones (-want +got):\n%s", d)
	}
	// R04: gap of 27 days, one track. Problem analysis and plan fall in the
	// first case; the 42-week report after sick day 294 = 58 in the first
	// case + 236 from 28-3-2023 = Saturday 18-11-2023, so the day after is a
	// Sunday and the report is due Monday 20-11-2023.
	r04 := openTrack(t, s, res, "R04")
	want = []dueWant{
		{poortwachter.ProblemAnalysis, "", "2023-02-12", "", StatusMissing},
		{poortwachter.ActionPlan, "", "2023-02-26", "", StatusMissing},
		{poortwachter.Week42Report, "", "2023-11-20", "", StatusUpcoming},
		{poortwachter.FirstYearEvaluation, "2023-12-10", "2024-01-27", "", StatusUpcoming},
		{poortwachter.SecondTrackStart, "", "2024-03-09", "", StatusUpcoming},
		{poortwachter.WIAApplication, "2024-10-20", "2024-11-09", "", StatusUpcoming},
		{poortwachter.Week104End, "", "2025-01-26", "", StatusUpcoming},
	}
	if d := cmp.Diff(want, milestoneRows(r04)); d != "" {
		t.Errorf("R04 milestones (-want +got):\n%s", d)
	}
	if r04.Cases != 2 || r04.GapDays != 27 || day(r04.FirstSickDay.Time) != "2023-01-02" || r04.SickDays != 153 {
		t.Errorf("R04 track: %+v", r04)
	}
	// R03: 28 days between the cases: the open track starts on 29-3-2023.
	r03 := openTrack(t, s, res, "R03")
	if r03.Cases != 1 || day(r03.FirstSickDay.Time) != "2023-03-29" || r03.GapDays != 0 || day(r03.Week104End.Time) != "2025-03-26" {
		t.Errorf("R03 track: %+v", r03)
	}
	// R05: the pregnancy-related sickness before the leave is a track of its
	// own (samentelling_test.go); the sickness after it starts a new one:
	// 100 sick days to 30 June, end 23-3-2023 + 728. Its 42-week report is
	// due the day after sick day 294 (10-1-2024), a Thursday.
	r05 := openTrack(t, s, res, "R05")
	if r05.Kind != "sickness" || r05.Cases != 1 || r05.GapDays != 0 || r05.SickDays != 100 || day(r05.Week104End.Time) != "2025-03-20" {
		t.Errorf("R05 track: %+v", r05)
	}
	if w := milestoneRows(r05)[2]; w.Milestone != poortwachter.Week42Report || w.Due != "2024-01-11" {
		t.Errorf("R05 42-week report %+v, want due 2024-01-11", w)
	}
	// M01: the evaluation came before its window (early); the second track
	// is then due six weeks after it, 13-5-2023, and was not recorded.
	want = []dueWant{
		{poortwachter.ProblemAnalysis, "", "2022-07-12", "2022-07-10", StatusOnTime},
		{poortwachter.ActionPlan, "", "2022-07-26", "2022-08-15", StatusLate},
		{poortwachter.Week42Report, "", "2023-03-22", "", StatusMissing},
		{poortwachter.FirstYearEvaluation, "2023-04-12", "2023-05-30", "2023-04-01", StatusEarly},
		{poortwachter.SecondTrackStart, "", "2023-05-13", "", StatusMissing},
		{poortwachter.WIAApplication, "2024-02-21", "2024-03-12", "", StatusUpcoming},
		{poortwachter.Week104End, "", "2024-05-29", "", StatusUpcoming},
	}
	if d := cmp.Diff(want, milestoneRows(openTrack(t, s, res, "M01"))); d != "" {
		t.Errorf("M01 milestones (-want +got):\n%s", d)
	}
	// M02: two evaluation dates, the earliest counts (20-4-2023, on time);
	// second track due 1-6-2023 (six weeks after it), started 15-6: late.
	m02 := milestoneRows(openTrack(t, s, res, "M02"))
	if m02[2].Status != StatusOnTime || m02[3].Done != "2023-04-20" || m02[3].Status != StatusOnTime ||
		m02[4].Due != "2023-06-01" || m02[4].Status != StatusLate {
		t.Errorf("M02 milestones: %+v", m02)
	}

	// Deadlines in the 6 weeks after the extract date (to 11 Aug), each once
	// the track is within its lead: R03's first evaluation (its plan was due
	// 23-5, sick day 56; +42 = 4-7), M02's twelfth (9-7) and D01's problem
	// analysis (D01 is on sick day 30, past 28). D01's plan (26-7, sick day
	// 56) is listed from sick day 42 on.
	name := map[string]string{}
	for _, e := range []string{"R01", "R02", "R03", "R04", "R05", "M01", "M02", "D01"} {
		name[s.Pseudonym(e)] = e
	}
	got := []dueWant{}
	for _, d := range res.Deadlines {
		got = append(got, dueWant{Milestone: d.Milestone, Due: day(d.Due.Time), Status: name[d.EmployeeID]})
		if d.DaysLeft != int(d.Due.Sub(date(tracksExtract)).Hours()/24) {
			t.Errorf("days left %d for %s", d.DaysLeft, day(d.Due.Time))
		}
	}
	want = []dueWant{
		{Milestone: poortwachter.ActionPlanEvaluation, Due: "2023-07-04", Status: "R03"},
		{Milestone: poortwachter.ActionPlanEvaluation, Due: "2023-07-09", Status: "M02"},
		{Milestone: poortwachter.ProblemAnalysis, Due: "2023-07-12", Status: "D01"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("deadlines (-want +got):\n%s", d)
	}
	// Overdue: past due and not recorded, open tracks only: of the
	// statutory steps R01 2, R02 5, R03 2, R04 2, R05 2, M01 2, M02 2
	// (problem analysis and plan); and every open track's sick report.
	overdue := map[string]int{}
	for _, d := range res.Overdue {
		overdue[d.Milestone]++
	}
	if n := len(res.Overdue) - overdue[poortwachter.SickReport] - overdue[poortwachter.ActionPlanEvaluation]; n != 17 || overdue[poortwachter.SickReport] != 8 {
		t.Errorf("overdue: %v, want 17 statutory steps and 8 sick reports", overdue)
	}
}

func TestMilestoneCompliance(t *testing.T) {
	s := tracksStore(t, true)
	// Milestones due in the first half of 2023 (see TestTrackChainingAndDueDates):
	//   sick_report: R03 first track 8-1, R03 second 4-4, R04 8-1, R05 29-3, D01 7-6: all missing
	//   problem_analysis: R03 first track 12-2, R03 second 9-5, R04 12-2, R05 3-5: all missing
	//   action_plan: the same four, missing
	//   action_plan_evaluation: R01 5, R02 4, R04 2, R05 1, M01 4, M02 4 (every 42
	//     sick days after the plan's due date): all missing
	//   week42_report: M01 22-3 missing, M02 20-2 on time
	//   first_year_evaluation: R01 on time, R02 missing, M01 early, M02 on time
	//   second_track_start: R01 on time, R02 missing, M01 missing, M02 late
	// from 7 employees and 8 tracks.
	res := runTracks(t, s, Options{MinEmployees: 5, MinCases: 5})
	if !res.MilestoneData || res.ComplianceSuppressed {
		t.Fatalf("milestone data %v, suppressed %v", res.MilestoneData, res.ComplianceSuppressed)
	}
	type row struct {
		Milestone                         string
		Due, OnTime, Early, Late, Missing int64
	}
	var got []row
	for _, c := range res.Compliance {
		got = append(got, row{c.Milestone, *c.Due, *c.OnTime, *c.Early, *c.Late, *c.Missing})
	}
	want := []row{
		{poortwachter.SickReport, 5, 0, 0, 0, 5},
		{poortwachter.ProblemAnalysis, 4, 0, 0, 0, 4},
		{poortwachter.ActionPlan, 4, 0, 0, 0, 4},
		{poortwachter.ActionPlanEvaluation, 20, 0, 0, 0, 20},
		{poortwachter.Week42Report, 2, 1, 0, 0, 1},
		{poortwachter.FirstYearEvaluation, 4, 2, 1, 0, 1},
		{poortwachter.SecondTrackStart, 4, 1, 0, 1, 2},
		{poortwachter.WIAApplication, 0, 0, 0, 0, 0},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("compliance (-want +got):\n%s", d)
	}
	// Seven employees are fewer than the default ten: hidden.
	res = runTracks(t, s, Options{})
	if !res.ComplianceSuppressed || res.Compliance[0].Due != nil {
		t.Errorf("compliance of 6 employees shown: %+v", res.Compliance[0])
	}
	// Open tracks and deadlines are case management, not statistics: shown.
	if len(res.Open) != 8 || len(res.Deadlines) != 3 {
		t.Errorf("%d open tracks, %d deadlines", len(res.Open), len(res.Deadlines))
	}
}

func TestTracksWithoutMilestoneData(t *testing.T) {
	s := tracksStore(t, false)
	res := runTracks(t, s, Options{MinEmployees: 5, MinCases: 5})
	if res.MilestoneData || len(res.Compliance) != 0 || len(res.Overdue) != 0 {
		t.Errorf("without milestone data: data %v, compliance %v, %d overdue", res.MilestoneData, res.Compliance, len(res.Overdue))
	}
	for _, m := range openTrack(t, s, res, "M01").Milestones {
		if want := StatusUnknown; m.Due.Before(date(tracksExtract)) && m.Milestone != poortwachter.Week104End && m.Status != want {
			t.Errorf("%s due %s: status %s, want %s", m.Milestone, day(m.Due.Time), m.Status, want)
		}
	}
	// Without M01's early evaluation on record, its second track is due on
	// sick day 406, 11-7-2023: now one of the deadlines. The evaluations of
	// the plan fall on the same days as with data (no plan was recorded).
	var got []string
	for _, d := range res.Deadlines {
		got = append(got, day(d.Due.Time)+" "+d.Milestone)
	}
	want := []string{"2023-07-04 action_plan_evaluation", "2023-07-09 action_plan_evaluation", "2023-07-11 second_track_start", "2023-07-12 problem_analysis"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("deadlines (-want +got):\n%s", d)
	}
}

func TestTracksPopulationFilter(t *testing.T) {
	s := tracksStore(t, false)
	res, err := Tracks(context.Background(), s.DB, Filter{From: date("2023-01-01"), To: date("2023-06-30"),
		Units: []Unit{{Department: "elsewhere"}}}, TrackOptions{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Open) != 0 || len(res.Deadlines) != 0 {
		t.Errorf("a department without anyone has %d open tracks", len(res.Open))
	}
}

// A worklist names where the employee works: the department and team of
// the employment on the track's first sick day (issue 14, item 1).
func TestTrackDepartmentAndTeam(t *testing.T) {
	s := tracksStore(t, false)
	r01 := openTrack(t, s, runTracks(t, s, Options{}), "R01")
	if r01.Department != "poortwachter" || r01.Team != NotRecorded {
		t.Errorf("R01 in department %q, team %q; want poortwachter, %q", r01.Department, r01.Team, NotRecorded)
	}
}
