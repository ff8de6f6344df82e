package datasets

import (
	"time"

	"github.com/verzuim/absence/analytics/poortwachter"
)

// Milestone is the recorded date of one Poortwachter step of a track (the
// native-milestones export); FirstSickDay names the track's first case.
type Milestone struct {
	FirstSickDay time.Time
	Name         string
	Done         time.Time
}

// milestoneSalt separates the random stream of the milestone records from
// the one of the cases, so the cases stay byte-identical to before.
const milestoneSalt = 0x6d696c6573746f6e

// Diligence of a track's case management: the chance that a step is
// recorded on time and that it is recorded late (else it is missing).
var diligence = []struct{ share, onTime, late float64 }{
	{0.65, 0.92, 0.06}, // a casemanager who keeps the file
	{0.35, 0.60, 0.25}, // one who is often behind
}

// milestones records, for each track of e's sickness that reaches its
// sick-report deadline, the Poortwachter steps due by the extract date:
// most on time, some late, some missing, chained by the same rules as the
// analytics (package poortwachter). The generator never lets a sickness
// period adjoin pregnancy leave, so tracks chain on the four-week gap alone.
func (p *person) milestones(e *Employee, i int) {
	p.msrc.Seed(splitmix(p.g.cfg.Seed^milestoneSalt), splitmix(uint64(i)+milestoneSalt))
	r := p.mr
	extract := p.g.extract.time()
	for _, tl := range tracks(e.Cases, extract) {
		if tl.SickDay(extract) < 7 {
			continue
		}
		u := r.Float64()
		d := diligence[len(diligence)-1]
		for _, x := range diligence {
			if u < x.share {
				d = x
				break
			}
			u -= x.share
		}
		done := map[string][]time.Time{}
		decided := map[[2]any]bool{}
		for {
			var next *poortwachter.Due
			sched := tl.Schedule(done, extract)
			for k := range sched {
				s := &sched[k]
				if recordable(s.Milestone) && !s.Date.After(extract) && !decided[[2]any{s.Milestone, s.Occurrence}] {
					next = s
					break
				}
			}
			if next == nil {
				break
			}
			decided[[2]any{next.Milestone, next.Occurrence}] = true
			var at time.Time
			switch v := r.Float64(); {
			case v < d.onTime:
				at = next.Date.AddDate(0, 0, -r.IntN(10))
				if !next.WindowFrom.IsZero() && at.Before(next.WindowFrom) {
					at = next.WindowFrom
				}
			case v < d.onTime+d.late:
				at = next.Date.AddDate(0, 0, 1+r.IntN(21))
			default:
				continue // missing
			}
			if at.Before(tl[0].From) {
				at = tl[0].From
			}
			if at.After(extract) {
				continue // not recorded yet
			}
			done[next.Milestone] = append(done[next.Milestone], at)
			e.Milestones = append(e.Milestones, Milestone{FirstSickDay: tl[0].From, Name: next.Milestone, Done: at})
		}
	}
}

func recordable(name string) bool {
	for _, m := range poortwachter.Milestones {
		if m.Name == name {
			return m.Recorded
		}
	}
	return false
}

// tracks chains the cases of each kind of incapacity (sickness and
// pregnancy-related sickness apart) while fewer than
// poortwachter.SamentellingGapDays lie between them.
func tracks(cases []Case, extract time.Time) []poortwachter.Timeline {
	var out []poortwachter.Timeline
	last := map[string]int{} // kind → index in out
	for _, c := range cases {
		if c.Type != TypeSickness && c.Type != TypeSicknessPregnancy {
			continue
		}
		p := poortwachter.Period{From: c.FirstSickDay, To: c.RecoveryDate, Open: c.RecoveryDate.IsZero()}
		if p.Open {
			p.To = extract.AddDate(0, 0, 1)
		}
		if k, ok := last[c.Type]; ok {
			prev := out[k][len(out[k])-1]
			if p.From.Sub(prev.To).Hours()/24 < poortwachter.SamentellingGapDays {
				out[k] = append(out[k], p)
				continue
			}
		}
		last[c.Type] = len(out)
		out = append(out, poortwachter.Timeline{p})
	}
	return out
}
