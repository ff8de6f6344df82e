package datasets

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var (
	validTypes   = []string{TypeSickness, TypeSicknessPregnancy, TypePregnancyLeave, TypeOther}
	validReasons = []string{ReasonFullReturn, ReasonAdaptedOwnWork, ReasonOtherWork, ReasonSecondTrack, ReasonWIA, ReasonEmploymentEnded, ReasonOther}
	validIvTypes = interventionTypes[:]
	validOutcome = []string{"completed", "stopped", "ongoing"}
)

// checkEmployee returns every broken invariant of e; histStart is the first day
// of the generated window.
func checkEmployee(e *Employee, extract, histStart int) []string {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, e.ID+": "+fmt.Sprintf(format, args...)) }

	if !slices.Contains([]string{"M", "F", "X"}, e.Gender) {
		bad("gender %q", e.Gender)
	}
	if len(e.BSN) != 9 || elfproef(e.BSN) {
		bad("BSN %q must be 9 digits failing the elfproef", e.BSN)
	}
	if e.Name == "" || e.BirthDate.IsZero() {
		bad("missing name or birth date")
	}

	// Employment: sorted, no overlap, open only at the end, plausible terms.
	if len(e.Employments) == 0 {
		bad("no employment")
		return errs
	}
	for i, em := range e.Employments {
		start, end := dayOf(em.Start), empEnd(&em, extract)
		if start > end || start > extract {
			bad("employment %d runs %s–%s", i, em.Start.Format(time.DateOnly), em.End.Format(time.DateOnly))
		}
		if em.End.IsZero() && i != len(e.Employments)-1 {
			bad("open employment row %d is not the last", i)
		}
		if i > 0 && start <= empEnd(&e.Employments[i-1], extract) {
			bad("employment %d overlaps the previous one", i)
		}
		if age := em.Start.Sub(e.BirthDate).Hours() / 24 / 365.25; age < 16 || age > 67 {
			bad("age %.1f at employment start", age)
		}
		if em.Department == "" || em.Team == "" || em.Location == "" {
			bad("employment %d lacks department, team or location", i)
		}
		if em.FulltimeHours != 36 && em.FulltimeHours != 40 || em.ContractHours <= 0 || em.ContractHours > em.FulltimeHours {
			bad("hours %v of %v", em.ContractHours, em.FulltimeHours)
		}
		// The part-time factor must be exact at 4 decimals (Visma exports only the factor).
		f := math.Round(em.ContractHours/em.FulltimeHours*1e4) / 1e4
		if f*em.FulltimeHours != em.ContractHours {
			bad("part-time factor %v×%v does not give back %v hours", f, em.FulltimeHours, em.ContractHours)
		}
	}
	// employedThrough returns the last day of the contiguous employment that covers d, or -1.
	employedThrough := func(d int) int {
		for i := range e.Employments {
			if d >= dayOf(e.Employments[i].Start) && d <= empEnd(&e.Employments[i], extract) {
				last := empEnd(&e.Employments[i], extract)
				for j := i + 1; j < len(e.Employments) && dayOf(e.Employments[j].Start) == last+1; j++ {
					last = empEnd(&e.Employments[j], extract)
				}
				return last
			}
		}
		return -1
	}

	prevEnd := math.MinInt
	for k := range e.Cases {
		c := &e.Cases[k]
		first, end := dayOf(c.FirstSickDay), caseEnd(c, extract)
		open := c.RecoveryDate.IsZero()
		if !slices.Contains(validTypes, c.Type) {
			bad("case %d type %q", k, c.Type)
		}
		if open != (c.EndReason == "") || (!open && !slices.Contains(validReasons, c.EndReason)) {
			bad("case %d open=%v with end reason %q", k, open, c.EndReason)
		}
		if first > extract || end <= first || (!open && end > extract) {
			bad("case %d runs %d..%d, extract %d", k, first, end, extract)
		}
		if end <= histStart {
			bad("case %d closed before the window", k)
		}
		if first <= prevEnd {
			bad("case %d starts on %s, not after a day back at work", k, c.FirstSickDay.Format(time.DateOnly))
		}
		prevEnd = end
		if c.WorkAccident && c.Type != TypeSickness {
			bad("work accident on a %s case", c.Type)
		}
		last := employedThrough(first)
		switch {
		case last < 0:
			bad("case %d starts outside employment", k)
		case end-1 > last:
			bad("case %d runs past the employment end", k)
		case c.EndReason == ReasonEmploymentEnded && end != last+1:
			bad("case %d ends with employment_ended on %d, employment ends %d", k, end, last)
		}
		if len(c.Segments) == 0 || !c.Segments[0].From.Equal(c.FirstSickDay) {
			bad("case %d: first segment must start on the first sick day", k)
		}
		for j, s := range c.Segments {
			from := dayOf(s.From)
			if from >= end || from > extract {
				bad("case %d segment %d starts after the case", k, j)
			}
			if j > 0 && (from <= dayOf(c.Segments[j-1].From) || s.AbsencePct == c.Segments[j-1].AbsencePct) {
				bad("case %d segment %d does not follow with a new percentage", k, j)
			}
			if !(s.AbsencePct > 0 && s.AbsencePct <= 100) {
				bad("case %d segment %d pct %v", k, j, s.AbsencePct)
			}
		}
		if c.Type == TypePregnancyLeave {
			age := float64(first-dayOf(e.BirthDate)) / 365.25
			if e.Gender != "F" || age < 24 || age > 42 {
				bad("pregnancy leave for %s aged %.1f", e.Gender, age)
			}
			if d := end - first; c.EndReason == ReasonFullReturn && d != 112 && d != 140 {
				bad("pregnancy leave of %d days, want 16 (or 20) weeks", d)
			}
		}
	}

	for i, iv := range e.Interventions {
		start := dayOf(iv.Start)
		if i > 0 && iv.Start.Before(e.Interventions[i-1].Start) {
			bad("interventions not sorted")
		}
		if !slices.Contains(validIvTypes, iv.Type) || !slices.Contains(validOutcome, iv.Outcome) || iv.Provider == "" {
			bad("intervention %d: %q %q %q", i, iv.Type, iv.Outcome, iv.Provider)
		}
		if iv.End.IsZero() != (iv.Outcome == "ongoing") || (!iv.End.IsZero() && iv.End.Before(iv.Start)) {
			bad("intervention %d ends %v with outcome %s", i, iv.End, iv.Outcome)
		}
		if iv.Sessions < 1 || iv.Cost <= 0 || strconv.FormatFloat(iv.Cost, 'f', -1, 64) != strconv.FormatFloat(iv.Cost, 'f', 2, 64) && strconv.FormatFloat(iv.Cost, 'f', -1, 64) != strings.TrimRight(strings.TrimRight(strconv.FormatFloat(iv.Cost, 'f', 2, 64), "0"), ".") {
			bad("intervention %d: %d sessions, cost %v", i, iv.Sessions, iv.Cost)
		}
		if iv.Type == "psychological_coaching" && iv.Outcome != "stopped" && (iv.Sessions < 6 || iv.Sessions > 12) {
			bad("psychological coaching with %d sessions", iv.Sessions)
		}
		var c *Case
		for k := range e.Cases {
			if start >= dayOf(e.Cases[k].FirstSickDay) && start < caseEnd(&e.Cases[k], extract) {
				c = &e.Cases[k]
			}
		}
		switch {
		case c == nil:
			bad("intervention %d starts outside every case", i)
		case iv.Type == "second_track" && start-dayOf(c.FirstSickDay) < 300:
			bad("second_track on day %d of a case", start-dayOf(c.FirstSickDay))
		case iv.Type == "return_talk" && (c.RecoveryDate.IsZero() || caseEnd(c, extract)-start > 15):
			bad("return_talk not near a return to work")
		}
	}
	return errs
}

// elfproef reports whether s passes the BSN eleven test.
func elfproef(s string) bool {
	sum := 0
	for i := range 8 {
		sum += (9 - i) * int(s[i]-'0')
	}
	return (sum-int(s[8]-'0'))%11 == 0
}

func TestInvariants(t *testing.T) {
	for _, cfg := range []Config{
		{Employees: 30000, Seed: 7},
		{Employees: 2000, Seed: 3, ExtractDate: time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), Years: 5},
		{Employees: 500, Seed: 9, ExtractDate: time.Date(2025, 2, 28, 0, 0, 0, 0, time.UTC), Years: 1},
	} {
		c, _ := cfg.withDefaults()
		t.Run(fmt.Sprintf("n=%d,years=%d,extract=%s", c.Employees, c.Years, c.ExtractDate.Format(time.DateOnly)), func(t *testing.T) {
			es := org30000(t)
			if cfg.Employees != 30000 {
				es = collect(t, cfg)
			}
			extract := dayOf(c.ExtractDate)
			histStart := dayOf(c.ExtractDate.AddDate(-c.Years, 0, 1))
			if len(es) != cfg.Employees {
				t.Fatalf("%d employees, want %d", len(es), cfg.Employees)
			}
			var errs []string
			var open, closed, ended int
			for i, e := range es {
				if i > 0 && (e.ID <= es[i-1].ID || len(e.ID) != len(es[i-1].ID)) {
					t.Fatalf("IDs out of order: %s after %s", e.ID, es[i-1].ID)
				}
				if _, err := strconv.Atoi(e.ID); err != nil {
					t.Fatalf("ID %q is not a personnel number", e.ID)
				}
				errs = append(errs, checkEmployee(e, extract, histStart)...)
				for _, c := range e.Cases {
					switch {
					case c.RecoveryDate.IsZero():
						open++
					case c.EndReason == ReasonEmploymentEnded:
						ended++
						fallthrough
					default:
						closed++
					}
				}
			}
			for _, err := range errs[:min(len(errs), 20)] {
				t.Error(err)
			}
			if len(errs) > 20 {
				t.Errorf("... and %d more", len(errs)-20)
			}
			// The edge cases the invariants guard must actually occur.
			if open == 0 || closed == 0 || ended == 0 {
				t.Errorf("%d open, %d closed, %d employment_ended cases: want all kinds", open, closed, ended)
			}
		})
	}
}

// TestGenerateStopsOnError: an error from fn ends generation and comes back.
func TestGenerateStopsOnError(t *testing.T) {
	stop := fmt.Errorf("stop")
	calls := 0
	err := Generate(Config{Employees: 5000, Seed: 1}, func(*Employee) error {
		calls++
		if calls == 700 {
			return stop
		}
		return nil
	})
	if err != stop || calls != 700 {
		t.Fatalf("Generate returned %v after %d calls, want %v after 700", err, calls, stop)
	}
	if err := Generate(Config{Employees: -1}, func(*Employee) error { return nil }); err == nil {
		t.Error("negative Employees accepted")
	}
}
