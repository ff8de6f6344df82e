package datasets

import (
	"slices"
	"testing"
	"time"

	"github.com/verzuim/absence/analytics/poortwachter"
)

// The milestone records name a case of the employee, fall between its first
// sick day and the extract date, and cover every recordable step, the
// evaluations of the action plan included.
func TestMilestoneRecords(t *testing.T) {
	extract := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	seen := map[string]int{}
	err := Generate(Config{Employees: 2000, Seed: 11, ExtractDate: extract}, func(e *Employee) error {
		for _, m := range e.Milestones {
			seen[m.Name]++
			if !slices.ContainsFunc(e.Cases, func(c Case) bool { return c.FirstSickDay.Equal(m.FirstSickDay) }) {
				t.Errorf("%s: %s names no case of the employee (%s)", e.ID, m.Name, m.FirstSickDay.Format(time.DateOnly))
			}
			if m.Done.Before(m.FirstSickDay) || m.Done.After(extract) {
				t.Errorf("%s: %s done %s, outside the case and the extract date", e.ID, m.Name, m.Done.Format(time.DateOnly))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range poortwachter.Recorded() {
		if name != poortwachter.WIAApplication && seen[name] == 0 {
			t.Errorf("no %s recorded: %v", name, seen)
		}
	}
	if seen[poortwachter.SickReport] < 10*seen[poortwachter.Week42Report] {
		t.Errorf("sick reports %d against %d 42-week reports: tracks of a week are far more common", seen[poortwachter.SickReport], seen[poortwachter.Week42Report])
	}
}
