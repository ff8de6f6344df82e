package widgets

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/verzuim/absence/analytics"
)

func day(s string) analytics.Date {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return analytics.Date{Time: t}
}

// worklistTracks are open tracks on extract date 2026-06-01: n planned
// ones due 10 days apart from 2026-06-03 (so two fall in "deze week"), two
// overdue, one whose steps are all recorded, one without milestone data.
func worklistTracks(n int) analytics.TracksResult {
	res := analytics.TracksResult{Coverage: analytics.Coverage{ExtractDate: day("2026-06-01")}}
	for i := range n {
		res.Open = append(res.Open, analytics.Track{EmployeeID: fmt.Sprintf("e%04d", i), Department: "Zorg", Team: fmt.Sprintf("Team %d", i%3),
			Milestones: []analytics.MilestoneStatus{
				{Milestone: "problem_analysis", Due: day("2026-01-01"), Status: analytics.StatusOnTime},
				{Milestone: "action_plan", Due: analytics.Date{Time: day("2026-06-03").AddDate(0, 0, 10*i)}, Status: analytics.StatusUpcoming},
			}})
	}
	res.Open = append(res.Open,
		analytics.Track{EmployeeID: "late", Department: "ICT", Team: "Servicedesk", Milestones: []analytics.MilestoneStatus{
			{Milestone: "problem_analysis", Due: day("2026-05-01"), Status: analytics.StatusMissing},
			{Milestone: "action_plan", Due: day("2026-06-02"), Status: analytics.StatusUpcoming},
		}},
		analytics.Track{EmployeeID: "later", Department: "ICT", Team: "Ontwikkeling", Milestones: []analytics.MilestoneStatus{
			{Milestone: "sick_report", Due: day("2026-03-01"), Status: analytics.StatusMissing},
			{Milestone: "problem_analysis", Due: day("2026-04-01"), Status: analytics.StatusMissing},
		}},
		analytics.Track{EmployeeID: "done", Department: "ICT", Team: "Servicedesk", Milestones: []analytics.MilestoneStatus{
			{Milestone: "sick_report", Due: day("2026-05-20"), Status: analytics.StatusOnTime},
		}},
		analytics.Track{EmployeeID: "nodata", Department: "ICT", Team: "Servicedesk", Milestones: []analytics.MilestoneStatus{
			{Milestone: "sick_report", Due: day("2026-05-20"), Status: analytics.StatusUnknown},
		}})
	return res
}

// The worklist puts the overdue tracks on top (the longest overdue first,
// by their earliest missed step), then the nearest deadline; each item
// names its next step, the days left and a status.
func TestWorklistNearestDeadlineFirst(t *testing.T) {
	l := Select(worklistTracks(10), WorklistQuery{View: worklistAll})
	want := []struct {
		id, milestone, status string
		days                  int
	}{
		{"later", "sick_report", workLate, -92},
		{"late", "problem_analysis", workLate, -31},
		{"e0000", "action_plan", workThisWeek, 2},
		{"e0001", "action_plan", workPlanned, 12},
	}
	for i, w := range want {
		got := l.Items[i]
		if got.EmployeeID != w.id || got.Milestone != w.milestone || got.Status != w.status || got.DaysLeft != w.days {
			t.Errorf("item %d: %s %s %s %d days; want %s %s %s %d", i, got.EmployeeID, got.Milestone, got.Status, got.DaysLeft, w.id, w.milestone, w.status, w.days)
		}
	}
	last := l.Items[len(l.Items)-2:]
	if last[0].EmployeeID != "done" || last[0].Status != workDone || last[0].Due != nil || last[1].Status != workUnknown {
		t.Errorf("tracks without a coming step: %+v; want done and unknown last, without a due date", last)
	}
	if l.Total != 14 || l.Late != 2 || l.Counts[worklistWeek] != 3 || l.Counts[worklist4W] != 5 || l.Counts[worklistAll] != 14 {
		t.Errorf("total %d, late %d, counts %v", l.Total, l.Late, l.Counts)
	}
}

// The views "deze week" and "komende 4 weken" hold the overdue tracks and
// those due within 7 and 28 days; the search finds department or team;
// the list comes a page at a time, and whole for a download (page 0).
func TestWorklistViewsSearchAndPaging(t *testing.T) {
	res := worklistTracks(2*WorklistPage + 10)
	ids := func(l Worklist) (out []string) {
		for _, w := range l.Items {
			out = append(out, w.EmployeeID)
		}
		return out
	}
	for _, c := range []struct {
		query string
		want  []string
		total int
	}{
		{"view=week", []string{"later", "late", "e0000"}, 3},
		{"view=4weeks", []string{"later", "late", "e0000", "e0001", "e0002"}, 5},
		{"view=week&q=servicedesk", []string{"late"}, 1},
		{"view=4weeks&q=team+2", []string{"e0002"}, 1},
		{"q=ONTWIKKELING", []string{"later"}, 1},
		{"view=nonsense&q=ict", []string{"later", "late", "done", "nodata"}, 4},
	} {
		q, _ := url.ParseQuery(c.query)
		l := Select(res, WorklistQueryOf(q))
		if fmt.Sprint(ids(l)) != fmt.Sprint(c.want) || l.Total != c.total {
			t.Errorf("%s: %v (%d); want %v (%d)", c.query, ids(l), l.Total, c.want, c.total)
		}
	}
	all := len(res.Open)
	for _, c := range []struct{ page, first, n int }{{1, 0, WorklistPage}, {3, 2 * WorklistPage, all - 2*WorklistPage}, {99, 2 * WorklistPage, all - 2*WorklistPage}} {
		l := Select(res, WorklistQuery{View: worklistAll, Page: c.page})
		whole := Select(res, WorklistQuery{View: worklistAll})
		if l.Pages != 3 || len(l.Items) != c.n || l.Items[0] != whole.Items[c.first] {
			t.Errorf("page %d: %d of %d pages, %d items starting %s; want %d starting %s", c.page, l.Page, l.Pages, len(l.Items), l.Items[0].EmployeeID, c.n, whole.Items[c.first].EmployeeID)
		}
	}
}
