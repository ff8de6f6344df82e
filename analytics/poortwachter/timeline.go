package poortwachter

import (
	"slices"
	"time"
)

// Period is one period of incapacity of a track: from its first sick day up
// to its recovery date (To, exclusive). An open period runs on past To.
type Period struct {
	From, To time.Time
	Open     bool
}

// Timeline is a track's periods in order. It maps the track's sick days to
// dates and back: the days between periods are not sick days.
type Timeline []Period

func days(from, to time.Time) int { return int(to.Sub(from).Hours()/24 + 0.5) }

// Date is the date of sick day n (1 = the first sick day); ok is false when
// the track ended before it.
func (tl Timeline) Date(n int) (time.Time, bool) {
	before := 0
	for i, p := range tl {
		if n <= before+days(p.From, p.To) || (p.Open && i == len(tl)-1) {
			return p.From.AddDate(0, 0, n-before-1), n >= 1
		}
		before += days(p.From, p.To)
	}
	return time.Time{}, false
}

// SickDay is the number of sick days of the track up to and including d.
func (tl Timeline) SickDay(d time.Time) int {
	n := 0
	for i, p := range tl {
		if d.Before(p.From) {
			break
		}
		if !d.Before(p.To) && !(p.Open && i == len(tl)-1) {
			n += days(p.From, p.To)
			continue
		}
		n += days(p.From, d) + 1
	}
	return n
}

// Due is one milestone of a track with its due date.
type Due struct {
	Milestone  string
	Occurrence int       // 1, 2, … for a recurring step; 0 otherwise
	WindowFrom time.Time // zero without a window
	Date       time.Time
	SickDay    int       // the track's sick day of the due date
	Done       time.Time // zero when none was recorded
}

// Schedule gives the track's milestones in timeline order from the rules in
// Milestones, with done the recorded dates per milestone (on or before the
// extract date ex): each due date is a sick day of the track (the day after
// it, on a working day, where a rule says so); a step due after another is
// due AfterDays sick days after the other's recorded date (its due date when
// not recorded, for a recurring step); done is the earliest recorded date,
// each recorded evaluation answering the next one due. A step is due only in
// a track that reaches its sick day; a recurring step is listed up to the
// first one due after ex and not done.
func (tl Timeline) Schedule(done map[string][]time.Time, ex time.Time) []Due {
	var out []Due
	at := map[string]time.Time{} // each step's recorded date, else its due date
	for _, rule := range Milestones {
		recs := slices.Clone(done[rule.Name])
		slices.SortFunc(recs, func(a, b time.Time) int { return a.Compare(b) })
		if rule.Recurring {
			anchor, ok := at[rule.After]
			for k := 1; ok; k++ {
				n := tl.SickDay(anchor) + rule.AfterDays
				date, reached := tl.Date(n)
				if !reached || n > WageContinuationDays {
					break
				}
				d := Due{Milestone: rule.Name, Occurrence: k, Date: date, SickDay: n}
				// The first one recorded after the previous answers this one
				// and starts the next interval; a missing one, its due date.
				if i := slices.IndexFunc(recs, anchor.Before); i >= 0 {
					d.Done, anchor = recs[i], recs[i]
				} else {
					anchor = date
				}
				out = append(out, d)
				if d.Done.IsZero() && date.After(ex) {
					break // the next one is due only after this one is done
				}
			}
			continue
		}
		date, reached := tl.Date(rule.DueBy)
		if !reached {
			continue
		}
		d := Due{Milestone: rule.Name, SickDay: rule.DueBy}
		if rule.DayAfter {
			date = date.AddDate(0, 0, 1)
		}
		if rule.WorkingDay {
			switch date.Weekday() {
			case time.Saturday:
				date = date.AddDate(0, 0, 2)
			case time.Sunday:
				date = date.AddDate(0, 0, 1)
			}
		}
		if prior := done[rule.After]; rule.After != "" && len(prior) > 0 {
			n := tl.SickDay(slices.MinFunc(prior, func(a, b time.Time) int { return a.Compare(b) })) + rule.AfterDays
			if e, ok := tl.Date(n); ok && e.Before(date) {
				date, d.SickDay = e, n
			}
		}
		d.Date = date
		if rule.WindowFrom > 0 {
			d.WindowFrom, _ = tl.Date(rule.WindowFrom)
		}
		at[rule.Name] = date
		if len(recs) > 0 {
			d.Done = recs[0]
			at[rule.Name] = recs[0]
		}
		out = append(out, d)
	}
	return out
}
