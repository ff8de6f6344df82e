package poortwachter

import (
	"testing"
	"time"
)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// Sick days skip the days between the periods: sick 1 Jan–31 Mar 2024
// (sick days 1–91), well 1–10 Apr, sick again from 11 Apr (day 92 on).
func TestTimelineCountsSickDays(t *testing.T) {
	open := Timeline{{From: day("2024-01-01"), To: day("2024-04-01")}, {From: day("2024-04-11"), To: day("2024-07-01"), Open: true}}
	for _, c := range []struct {
		n    int
		date string
	}{{1, "2024-01-01"}, {91, "2024-03-31"}, {92, "2024-04-11"}, {182, "2024-07-10"}, {728, "2026-01-07"}} {
		if d, ok := open.Date(c.n); !ok || d.Format(time.DateOnly) != c.date {
			t.Errorf("sick day %d: %s %v, want %s", c.n, d.Format(time.DateOnly), ok, c.date)
		}
		if n := open.SickDay(day(c.date)); n != c.n {
			t.Errorf("sick day of %s: %d, want %d", c.date, n, c.n)
		}
	}
	if n := open.SickDay(day("2024-04-05")); n != 91 {
		t.Errorf("a day between the periods: %d sick days, want 91", n)
	}
	closed := Timeline{{From: day("2024-01-01"), To: day("2024-04-01")}}
	if _, ok := closed.Date(92); ok {
		t.Error("a closed track reaches sick day 92")
	}
}
