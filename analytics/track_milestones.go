package analytics

// The milestones of one track: their status on the extract date and which
// are due soon or overdue (the rules themselves live in package poortwachter).

import (
	"time"

	"github.com/verzuim/absence/analytics/poortwachter"
)

// trackDeadlines are the milestones of an open track due after the extract
// date and up to horizon, not recorded, once the track is within the step's
// lead of it; and those overdue.
func trackDeadlines(t loadedTrack, ex, horizon time.Time) (due, overdue []Deadline) {
	for _, m := range t.Milestones {
		dl := Deadline{EmployeeID: t.EmployeeID, FirstSickDay: t.FirstSickDay, Milestone: m.Milestone, Occurrence: m.Occurrence,
			WindowFrom: m.WindowFrom, Due: m.Due, DaysLeft: int(m.Due.Sub(ex).Hours() / 24)}
		switch {
		case m.Done == nil && m.Due.After(ex) && !m.Due.After(horizon) && t.SickDays >= m.sickDay-leadOf(m.Milestone):
			due = append(due, dl)
		case m.Status == StatusMissing:
			overdue = append(overdue, dl)
		}
	}
	return due, overdue
}

// leadOf is how many sick days before a step's due date a track is shown
// in the deadlines (package poortwachter).
func leadOf(milestone string) int {
	for _, m := range poortwachter.Milestones {
		if m.Name == milestone {
			return m.Lead
		}
	}
	return 0
}

// milestoneStatus classifies a milestone on the extract date.
func milestoneStatus(m MilestoneStatus, ex time.Time, haveData bool) string {
	switch {
	case m.Done != nil && m.WindowFrom != nil && m.Done.Before(m.WindowFrom.Time):
		return StatusEarly
	case m.Done != nil && !m.Done.After(m.Due.Time):
		return StatusOnTime
	case m.Done != nil:
		return StatusLate
	case m.Due.After(ex):
		return StatusUpcoming
	case !haveData:
		return StatusUnknown
	}
	return StatusMissing
}

type loadedTrack struct {
	Track
	open bool
}

// milestones turns a track's schedule (package poortwachter) into its
// milestone statuses.
func milestones(tl poortwachter.Timeline, done map[string][]time.Time, ex time.Time) []MilestoneStatus {
	sched := tl.Schedule(done, ex)
	out := make([]MilestoneStatus, len(sched))
	for i, d := range sched {
		m := MilestoneStatus{Milestone: d.Milestone, Occurrence: d.Occurrence, Due: dateOf(d.Date), sickDay: d.SickDay}
		if !d.WindowFrom.IsZero() {
			m.WindowFrom = ptr(dateOf(d.WindowFrom))
		}
		if !d.Done.IsZero() {
			m.Done = ptr(dateOf(d.Done))
		}
		out[i] = m
	}
	return out
}
