package widgets

import (
	"fmt"
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

// The page lists the open tracks most urgent first — a missed step first
// (the longest overdue on top), then the nearest coming deadline — and at
// most ShownTracks of them: at 100k employees the full list was a 4.5 MB
// page that clients under load could not read within a minute (issue 9).
func TestTracksMostUrgentFirstAndCapped(t *testing.T) {
	var open []analytics.Track
	for i := range ShownTracks + 50 {
		open = append(open, analytics.Track{EmployeeID: fmt.Sprintf("e%04d", i), Milestones: []analytics.MilestoneStatus{
			{Milestone: "problem_analysis", Due: day("2026-01-01"), Status: analytics.StatusOnTime},
			{Milestone: "action_plan", Due: analytics.Date{Time: day("2026-07-01").AddDate(0, 0, i%300)}, Status: analytics.StatusUpcoming},
		}})
	}
	late := analytics.Track{EmployeeID: "late", Milestones: []analytics.MilestoneStatus{
		{Milestone: "problem_analysis", Due: day("2026-05-01"), Status: analytics.StatusMissing},
	}}
	later := analytics.Track{EmployeeID: "later", Milestones: []analytics.MilestoneStatus{
		{Milestone: "problem_analysis", Due: day("2026-03-01"), Status: analytics.StatusMissing},
	}}
	open = append(open, late, later)
	w := &PoortwachterTracks{res: analytics.TracksResult{Open: open}}
	data := w.Render(Deps{}, View{}).Data.(TracksData)
	if len(data.Tracks) != ShownTracks || data.Hidden != len(open)-ShownTracks {
		t.Fatalf("%d tracks shown, %d hidden; want %d and %d", len(data.Tracks), data.Hidden, ShownTracks, len(open)-ShownTracks)
	}
	if data.Tracks[0].EmployeeID != "later" || data.Tracks[1].EmployeeID != "late" {
		t.Errorf("first %s, %s; want the missed steps first, longest overdue on top", data.Tracks[0].EmployeeID, data.Tracks[1].EmployeeID)
	}
	for i := 3; i < len(data.Tracks); i++ {
		if a, b := data.Tracks[i-1].next(), data.Tracks[i].next(); b.Before(a) {
			t.Fatalf("track %d is due %s before track %d's %s", i, b.Format(time.DateOnly), i-1, a.Format(time.DateOnly))
		}
	}
}
