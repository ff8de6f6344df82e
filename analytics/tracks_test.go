package analytics

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/verzuim/absence/ingest"
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
//	M01, M02 open since 1-6-2022 and 2-5-2022, with milestone dates
//	D01 open since 1-6-2023
const tracksExtract = "2023-06-30"

func tracksStore(t testing.TB, milestones bool) *ingest.Store {
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

func runTracks(t *testing.T, s *ingest.Store, opt Options) TracksResult {
	t.Helper()
	res, err := Tracks(context.Background(), s.DB, Filter{From: date("2023-01-01"), To: date("2023-06-30")}, TrackOptions{}, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func openTrack(t *testing.T, s *ingest.Store, res TracksResult, emp string) Track {
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

func milestoneRows(tr Track) []dueWant {
	var out []dueWant
	for _, m := range tr.Milestones {
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
		{MilestoneProblemAnalysis, "", "2022-02-13", "2022-02-01", StatusOnTime},
		{MilestoneActionPlan, "", "2022-02-27", "", StatusMissing},
		{MilestoneWeek42Report, "", "2022-11-14", "", StatusMissing},
		{MilestoneFirstYearEvaluation, "2022-12-05", "2023-01-22", "2023-01-20", StatusOnTime},
		{MilestoneSecondTrackStart, "", "2023-03-03", "2023-03-01", StatusOnTime},
		{MilestoneWIAApplication, "2023-10-16", "2023-11-05", "", StatusUpcoming},
		{MilestoneWeek104End, "", "2024-01-22", "", StatusUpcoming},
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
		{MilestoneProblemAnalysis, "", "2023-02-12", "", StatusMissing},
		{MilestoneActionPlan, "", "2023-02-26", "", StatusMissing},
		{MilestoneWeek42Report, "", "2023-11-20", "", StatusUpcoming},
		{MilestoneFirstYearEvaluation, "2023-12-10", "2024-01-27", "", StatusUpcoming},
		{MilestoneSecondTrackStart, "", "2024-03-09", "", StatusUpcoming},
		{MilestoneWIAApplication, "2024-10-20", "2024-11-09", "", StatusUpcoming},
		{MilestoneWeek104End, "", "2025-01-26", "", StatusUpcoming},
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
	// R05: the pregnancy leave joins the sickness before and after it, and
	// its 112 days move the end like a gap: 1-9-2022 + 728 + 112.
	r05 := openTrack(t, s, res, "R05")
	if r05.Cases != 2 || r05.GapDays != 112 || r05.SickDays != 191 || day(r05.Week104End.Time) != "2024-12-19" {
		t.Errorf("R05 track: %+v", r05)
	}
	if w := milestoneRows(r05)[2]; w.Due != "2023-10-12" {
		t.Errorf("R05 42-week report due %s, want 2023-10-12", w.Due)
	}
	// M01: the evaluation came before its window (early); the second track
	// is then due six weeks after it, 13-5-2023, and was not recorded.
	want = []dueWant{
		{MilestoneProblemAnalysis, "", "2022-07-12", "2022-07-10", StatusOnTime},
		{MilestoneActionPlan, "", "2022-07-26", "2022-08-15", StatusLate},
		{MilestoneWeek42Report, "", "2023-03-22", "", StatusMissing},
		{MilestoneFirstYearEvaluation, "2023-04-12", "2023-05-30", "2023-04-01", StatusEarly},
		{MilestoneSecondTrackStart, "", "2023-05-13", "", StatusMissing},
		{MilestoneWIAApplication, "2024-02-21", "2024-03-12", "", StatusUpcoming},
		{MilestoneWeek104End, "", "2024-05-29", "", StatusUpcoming},
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

	// Deadlines in the 6 weeks after the extract date: only D01's first two.
	got := []dueWant{}
	for _, d := range res.Deadlines {
		got = append(got, dueWant{Milestone: d.Milestone, Due: day(d.Due.Time), Status: d.EmployeeID})
		if d.DaysLeft != int(d.Due.Sub(date(tracksExtract)).Hours()/24) {
			t.Errorf("days left %d for %s", d.DaysLeft, day(d.Due.Time))
		}
	}
	want = []dueWant{
		{Milestone: MilestoneProblemAnalysis, Due: "2023-07-12", Status: s.Pseudonym("D01")},
		{Milestone: MilestoneActionPlan, Due: "2023-07-26", Status: s.Pseudonym("D01")},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("deadlines (-want +got):\n%s", d)
	}
	// Overdue: past due and not recorded, open tracks only: R01 2, R02 5,
	// R03 2, R04 2, R05 2, M01 2, M02 2 (problem analysis and plan).
	if len(res.Overdue) != 17 {
		t.Errorf("%d overdue, want 17", len(res.Overdue))
	}
}

func TestMilestoneCompliance(t *testing.T) {
	s := tracksStore(t, true)
	// Milestones due in the first half of 2023 (see TestTrackChainingAndDueDates):
	//   problem_analysis: R03 first track 12-2, R03 second 9-5, R04 12-2: all missing
	//   action_plan: the same three, missing
	//   week42_report: M01 22-3 missing, M02 20-2 on time
	//   first_year_evaluation: R01 on time, R02 missing, M01 early, M02 on time
	//   second_track_start: R01 on time, R02 missing, M01 missing, M02 late
	// from 6 employees and 7 tracks.
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
		{MilestoneProblemAnalysis, 3, 0, 0, 0, 3},
		{MilestoneActionPlan, 3, 0, 0, 0, 3},
		{MilestoneWeek42Report, 2, 1, 0, 0, 1},
		{MilestoneFirstYearEvaluation, 4, 2, 1, 0, 1},
		{MilestoneSecondTrackStart, 4, 1, 0, 1, 2},
		{MilestoneWIAApplication, 0, 0, 0, 0, 0},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("compliance (-want +got):\n%s", d)
	}
	// Six employees are fewer than the default ten: hidden.
	res = runTracks(t, s, Options{})
	if !res.ComplianceSuppressed || res.Compliance[0].Due != nil {
		t.Errorf("compliance of 6 employees shown: %+v", res.Compliance[0])
	}
	// Open tracks and deadlines are case management, not statistics: shown.
	if len(res.Open) != 8 || len(res.Deadlines) != 2 {
		t.Errorf("%d open tracks, %d deadlines", len(res.Open), len(res.Deadlines))
	}
}

func TestTracksWithoutMilestoneData(t *testing.T) {
	s := tracksStore(t, false)
	res := runTracks(t, s, Options{MinEmployees: 5, MinCases: 5})
	if res.MilestoneData || res.Compliance != nil || len(res.Overdue) != 0 {
		t.Errorf("without milestone data: data %v, compliance %v, %d overdue", res.MilestoneData, res.Compliance, len(res.Overdue))
	}
	for _, m := range openTrack(t, s, res, "M01").Milestones {
		if want := StatusUnknown; m.Due.Before(date(tracksExtract)) && m.Milestone != MilestoneWeek104End && m.Status != want {
			t.Errorf("%s due %s: status %s, want %s", m.Milestone, day(m.Due.Time), m.Status, want)
		}
	}
	// Without M01's early evaluation on record, its second track is due on
	// sick day 406, 11-7-2023: now one of the deadlines.
	var got []string
	for _, d := range res.Deadlines {
		got = append(got, day(d.Due.Time)+" "+d.Milestone)
	}
	want := []string{"2023-07-11 second_track_start", "2023-07-12 problem_analysis", "2023-07-26 action_plan"}
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
