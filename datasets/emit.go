package datasets

import (
	"math"
	"time"
)

// The rows of each file layout, per employee, in the vocabulary of its vendor.

var (
	afasGender  = map[string]string{"M": "Man", "F": "Vrouw", "X": "Onbekend"}
	vismaGender = map[string]string{"M": "M", "F": "V", "X": "X"}
)

func emitEmployments(w *Writer, e *Employee) {
	vendor := w.lay.format
	for _, emp := range e.Employments {
		w.str(e.ID)
		w.sep()
		switch vendor {
		case FormatAFAS:
			w.str(e.Name)
			w.sep()
			w.str(e.BSN)
			w.sep()
		case FormatVisma:
			w.str(emp.Department)
			w.sep()
			w.str(emp.Team)
			w.sep()
			w.str(emp.Location)
			w.sep()
		}
		w.date(emp.Start)
		w.sep()
		w.date(emp.End)
		w.sep()
		if vendor != FormatVisma {
			w.str(emp.Department)
			w.sep()
			w.str(emp.Team)
			w.sep()
			w.str(emp.Location)
			w.sep()
		}
		w.num(emp.ContractHours)
		w.sep()
		switch vendor {
		case FormatVisma:
			w.num(math.Round(emp.ContractHours/emp.FulltimeHours*1e4) / 1e4)
		default:
			w.num(emp.FulltimeHours)
		}
		w.sep()
		switch vendor {
		case FormatAFAS:
			w.date(e.BirthDate)
			w.sep()
			w.str(afasGender[e.Gender])
		case FormatVisma:
			w.int(e.BirthDate.Year())
			w.sep()
			w.str(vismaGender[e.Gender])
		default:
			w.int(e.BirthDate.Year())
			w.sep()
			w.str(e.Gender)
		}
		w.endRow()
	}
}

// emitPeriods writes one row per segment; end dates are the last sick day
// (inclusive) and the end reason sits on the last row of a closed case.
func emitPeriods(w *Writer, e *Employee) {
	visma := w.lay.format == FormatVisma
	typ, reason := identity, identity
	if visma {
		typ, reason = vismaType, vismaReason
	}
	for n := range e.Cases {
		c := &e.Cases[n]
		for k, s := range c.Segments {
			last := k == len(c.Segments)-1
			w.str(e.ID)
			w.sep()
			w.str(e.ID)
			w.buf = append(w.buf, '-')
			w.int(n + 1)
			w.sep()
			w.date(s.From)
			w.sep()
			switch {
			case !last:
				w.date(c.Segments[k+1].From.AddDate(0, 0, -1))
			case !c.RecoveryDate.IsZero():
				w.date(c.RecoveryDate.AddDate(0, 0, -1))
			}
			w.sep()
			w.num(s.AbsencePct)
			w.sep()
			w.str(typ[c.Type])
			w.sep()
			if last && c.EndReason != "" {
				w.str(reason[c.EndReason])
			}
			w.sep()
			w.str(vangnetFlag(c, visma))
			w.endRow()
		}
	}
}

// emitEvents writes verloopregels: the sick report, each partial recovery and
// the recovery (on the first day back). AFAS gives the percentage present.
func emitEvents(w *Writer, e *Employee) {
	afas := w.lay.format == FormatAFAS
	evSick, evPartial, evRecovered := "sick", "partial", "recovered"
	typ, reason := identity, identity
	if afas {
		evSick, evPartial, evRecovered = "Ziekmelding", "Gedeeltelijk herstel", "Hersteldmelding"
		typ, reason = afasType, afasReason
	}
	for n := range e.Cases {
		c := &e.Cases[n]
		t := typ[c.Type]
		if afas && c.WorkAccident && c.Type == TypeSickness {
			t = afasAccident
		}
		row := func(date time.Time, ev string, pct float64, why string) {
			w.str(e.ID)
			w.sep()
			w.date(c.FirstSickDay)
			w.sep()
			w.date(date)
			w.sep()
			w.str(ev)
			w.sep()
			if pct >= 0 {
				if afas {
					pct = 100 - pct
				}
				w.num(pct)
			}
			w.sep()
			w.str(t)
			w.sep()
			w.str(why)
			if !afas { // AFAS says vangnet through the type
				w.sep()
				w.str(vangnetFlag(c, false))
			}
			w.endRow()
		}
		for k, s := range c.Segments {
			ev := evPartial
			if k == 0 {
				ev = evSick
			}
			row(s.From, ev, s.AbsencePct, "")
		}
		if !c.RecoveryDate.IsZero() {
			row(c.RecoveryDate, evRecovered, -1, reason[c.EndReason])
		}
	}
}

// vangnetFlag is the export's vangnet column: the Ziektewet pays for
// pregnancy-related sickness. Native files leave it empty otherwise (not
// recorded), Visma writes "nee".
func vangnetFlag(c *Case, visma bool) string {
	switch {
	case c.Type == TypeSicknessPregnancy && visma:
		return "ja"
	case c.Type == TypeSicknessPregnancy:
		return "true"
	case visma:
		return "nee"
	}
	return ""
}

func emitInterventions(w *Writer, e *Employee) {
	for i := range e.Interventions {
		iv := &e.Interventions[i]
		w.str(e.ID)
		w.sep()
		w.str(iv.Type)
		w.sep()
		w.str(iv.Provider)
		w.sep()
		w.date(iv.Start)
		w.sep()
		w.date(iv.End)
		w.sep()
		w.int(iv.Sessions)
		w.sep()
		w.str(iv.Outcome)
		w.sep()
		w.money(iv.Cost)
		w.sep()
		w.str(iv.Payer)
		w.endRow()
	}
}

func emitMilestones(w *Writer, e *Employee) {
	for _, m := range e.Milestones {
		w.str(e.ID)
		w.sep()
		w.date(m.FirstSickDay)
		w.sep()
		w.str(m.Name)
		w.sep()
		w.date(m.Done)
		w.endRow()
	}
}

// identity maps the canonical vocabulary onto itself (native layouts).
var identity = func() map[string]string {
	m := map[string]string{}
	for _, v := range []string{TypeSickness, TypeSicknessPregnancy, TypePregnancyLeave, TypeOther,
		ReasonFullReturn, ReasonAdaptedOwnWork, ReasonOtherWork, ReasonSecondTrack, ReasonWIA, ReasonEmploymentEnded, ReasonOther} {
		m[v] = v
	}
	return m
}()
