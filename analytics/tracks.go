package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/verzuim/absence/analytics/poortwachter"
)

// Poortwachter tracks (wachttijdtrajecten): the legal layer on top of the
// statistical cases. Periods of incapacity of one employee are one track
// when they follow each other within four weeks, or when one adjoins
// pregnancy or maternity leave and the next starts within four weeks of
// the leave's end (samentelling, art. 7:629 lid 10 BW). Pregnancy-related
// sickness and organ donation, paid by the Ziektewet, form tracks of their
// own. Wage continuation ends after 104 weeks of sickness in the track, so
// every gap moves the end, and the milestones, by its length. ZMF, GZVD and
// every other statistic keep counting cases; tracks are only for the
// deadlines and milestone compliance here. The rules of law (days, steps,
// sources) are in package poortwachter.

// Milestone statuses.
const (
	StatusOnTime   = "on_time"  // done on or before the due date (inside the window, if any)
	StatusEarly    = "early"    // done before its window opened
	StatusLate     = "late"     // done after the due date
	StatusMissing  = "missing"  // due date passed, no date recorded
	StatusUpcoming = "upcoming" // due after the extract date, not done yet
	StatusUnknown  = "unknown"  // due date passed, but no milestone dates were imported at all
	StatusPassed   = "passed"   // week104_end on or before the extract date
)

// TrackOptions tune Tracks.
type TrackOptions struct {
	// DeadlineWeeks: list the deadlines due in the weeks after the extract
	// date. Default 6.
	DeadlineWeeks int
}

// MilestoneStatus is one milestone of one track.
type MilestoneStatus struct {
	Milestone string `json:"milestone"`
	// Occurrence numbers a recurring milestone (the evaluations of the
	// action plan: 1, 2, …); 0 for the others.
	Occurrence int    `json:"occurrence,omitempty"`
	WindowFrom *Date  `json:"window_from,omitempty"` // first day of the window (first-year evaluation, WIA application)
	Due        Date   `json:"due"`
	Done       *Date  `json:"done"` // from the milestone import
	Status     string `json:"status"`
	sickDay    int    // the track's sick day of the due date, for the deadline's lead
}

// Track is one open Poortwachter track. It is personal data (pseudonymised):
// for case management, not statistics.
type Track struct {
	EmployeeID string `json:"employee_id"`
	// Kind is the absence type of the track's periods: sickness,
	// sickness_pregnancy or organ_donation (these two never join sickness).
	Kind         string `json:"kind"`
	FirstSickDay Date   `json:"first_sick_day"` // of the track's first case
	CurrentCase  Date   `json:"current_case"`   // first sick day of the open case
	Cases        int    `json:"cases"`
	SickDays     int    `json:"sick_days"` // through the extract date
	GapDays      int    `json:"gap_days"`  // days between the cases (pregnancy leave included)
	Week         int    `json:"week"`      // sick week of the track on the extract date
	Week104End   Date   `json:"week104_end"`
	// Department and Team of the employment on the track's first sick day
	// (the employment that puts the track in the filter's population).
	Department string            `json:"department"`
	Team       string            `json:"team"`
	Milestones []MilestoneStatus `json:"milestones"`
}

// Deadline is one milestone of an open track due soon.
type Deadline struct {
	EmployeeID   string `json:"employee_id"`
	FirstSickDay Date   `json:"first_sick_day"` // of the track
	Milestone    string `json:"milestone"`
	Occurrence   int    `json:"occurrence,omitempty"`
	WindowFrom   *Date  `json:"window_from,omitempty"`
	Due          Date   `json:"due"`
	DaysLeft     int    `json:"days_left"` // due date − extract date
}

// Compliance counts, per milestone, the milestones due in the period (each
// evaluation of the action plan once), by status.
type Compliance struct {
	Milestone string `json:"milestone"`
	Due       *int64 `json:"due"`
	OnTime    *int64 `json:"on_time"`
	Early     *int64 `json:"early"`
	Late      *int64 `json:"late"`
	Missing   *int64 `json:"missing"`
}

// TracksResult holds the open tracks with their milestones, the deadlines
// of the coming weeks and, when milestone dates were imported, compliance.
type TracksResult struct {
	Coverage
	DeadlineWeeks int        `json:"deadline_weeks"`
	Open          []Track    `json:"open_tracks"`
	Deadlines     []Deadline `json:"deadlines"`
	Overdue       []Deadline `json:"overdue"` // open tracks' milestones past due and not recorded (needs milestone dates)
	MilestoneData bool       `json:"milestone_data"`
	// Compliance is empty without milestone data. Suppressed when the
	// tracks counted come from fewer than MinEmployees employees or number
	// fewer than MinCases.
	Compliance           []Compliance   `json:"compliance"`
	ComplianceSuppressed bool           `json:"compliance_suppressed"`
	Definitions          DefinitionList `json:"definitions"`
}

// Tracks chains the sickness cases into Poortwachter tracks and reports, for
// the tracks of the filter's population (the employment valid on the track's
// first sick day): every track open on the extract date with its milestone
// due dates and statuses, the deadlines due in the DeadlineWeeks weeks after
// the extract date that the track is old enough for (the lead of each step,
// package poortwachter), and the compliance of the milestones due in the
// period.
func Tracks(ctx context.Context, q Querier, f Filter, topt TrackOptions, opt Options) (TracksResult, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return TracksResult{}, err
	}
	if topt, err = topt.withDefaults(); err != nil {
		return TracksResult{}, err
	}
	f, cut, err := resolvePeriod(ctx, q, f)
	if err != nil {
		return TracksResult{}, err
	}
	var nMilestones int64
	if err := render("milestone_count", nil, params{}.employers(f)).row(ctx, q).Scan(&nMilestones); err != nil {
		return TracksResult{}, fmt.Errorf("analytics: tracks: %w", err)
	}
	haveData := nMilestones > 0
	tracks, err := loadTracks(ctx, q, f, haveData, false)
	if err != nil {
		return TracksResult{}, fmt.Errorf("analytics: tracks: %w", err)
	}
	res := TracksResult{Coverage: coverageOf(f, cut), DeadlineWeeks: topt.DeadlineWeeks, MilestoneData: haveData,
		Open: []Track{}, Deadlines: []Deadline{}, Overdue: []Deadline{}, Compliance: []Compliance{},
		Definitions: outcomeDefinitions(opt, "track", "track_milestones", "milestone_status", "outcome_suppressed")}
	ex, horizon := f.ExtractDate, topt.horizon(f.ExtractDate)
	tally := complianceTally{counts: map[string]*milestoneCount{}, emps: map[string]bool{}}
	for _, t := range tracks {
		for i := range t.Milestones {
			m := &t.Milestones[i]
			m.Status = milestoneStatus(*m, ex, haveData)
			if m.Milestone == poortwachter.Week104End && !m.Due.After(ex) {
				m.Status = StatusPassed
			}
		}
		tally.add(t, f)
		if !t.open {
			continue
		}
		res.Open = append(res.Open, t.Track)
		due, overdue := trackDeadlines(t, ex, horizon)
		res.Deadlines, res.Overdue = append(res.Deadlines, due...), append(res.Overdue, overdue...)
	}
	byDue := func(a, b Deadline) int {
		if c := a.Due.Compare(b.Due.Time); c != 0 {
			return c
		}
		return strings.Compare(a.EmployeeID, b.EmployeeID)
	}
	slices.SortStableFunc(res.Deadlines, byDue)
	slices.SortStableFunc(res.Overdue, byDue)
	if haveData {
		res.ComplianceSuppressed = thresholdsOf(opt).small(int64(len(tally.emps)), tally.tracks)
		for _, name := range poortwachter.Recorded() {
			c := Compliance{Milestone: name}
			if !res.ComplianceSuppressed {
				k := tally.counts[name]
				if k == nil {
					k = &milestoneCount{}
				}
				c.Due, c.OnTime, c.Early, c.Late, c.Missing = ptr(k.due), ptr(k.onTime), ptr(k.early), ptr(k.late), ptr(k.missing)
			}
			res.Compliance = append(res.Compliance, c)
		}
	}
	return res, nil
}

func (topt TrackOptions) withDefaults() (TrackOptions, error) {
	if topt.DeadlineWeeks == 0 {
		topt.DeadlineWeeks = 6
	}
	if topt.DeadlineWeeks < 0 || topt.DeadlineWeeks > 104 {
		return topt, fmt.Errorf("analytics: deadlines for %d weeks ahead; choose 1 to 104", topt.DeadlineWeeks)
	}
	return topt, nil
}

// horizon is the last due date of the deadlines listed on extract date ex.
func (topt TrackOptions) horizon(ex time.Time) time.Time {
	return ex.AddDate(0, 0, 7*topt.DeadlineWeeks)
}

type milestoneCount struct{ due, onTime, early, late, missing int64 }

// complianceTally counts the milestones due in the period by status, and
// the employees and tracks they come from.
type complianceTally struct {
	counts map[string]*milestoneCount
	emps   map[string]bool
	tracks int64
}

func (c *complianceTally) add(t loadedTrack, f Filter) {
	dueInP := false
	for _, m := range t.Milestones {
		if m.Milestone == poortwachter.Week104End || m.Due.Before(f.From) || m.Due.After(f.To) {
			continue
		}
		k := c.counts[m.Milestone]
		if k == nil {
			k = &milestoneCount{}
			c.counts[m.Milestone] = k
		}
		k.due++
		switch m.Status {
		case StatusOnTime:
			k.onTime++
		case StatusEarly:
			k.early++
		case StatusLate:
			k.late++
		case StatusMissing:
			k.missing++
		}
		c.emps[t.EmployeeID] = true
		dueInP = true
	}
	if dueInP {
		c.tracks++
	}
}

// tracksSQL chains the cases into tracks and returns, for the tracks of the
// population that are open on the extract date or reach minDays sick days
// and overlap the period, long-format rows in this order per track: a
// header row ('a'), one row per case ('b', to count sick days) and one per
// recorded milestone date ('c').
//
// Chaining, per employee and absence type (pregnancy-related sickness and
// organ donation never join other sickness): a case continues the track of
// the previous case of its type when fewer than 28 days lie between that
// one's recovery date and its first sick day, counted from the end of the
// pregnancy leave when the previous case adjoins a leave (its recovery date
// is the leave's first day). Sick days are counted through the extract date
// for an open case; later sick days are projected (it is assumed to
// continue). openOnly reads the open tracks only.
func tracksSQL(f Filter, minDays int, openOnly bool) Query {
	p := params{}.period(f)
	p.set("samentelling_gap_days", poortwachter.SamentellingGapDays)
	p.set("min_days", minDays)
	return render("tracks", struct {
		Pieces   piecesData
		Filter   sqlText
		OpenOnly bool
	}{pieces(p, needsFor(f)), f.predicate(p, numFamilies), openOnly}, p)
}

// loadTracks runs tracksSQL and assembles each track's milestones. Long
// tracks (six weeks) are read for the compliance of their milestones; with
// milestone data, every track that reaches its sick-report deadline. With
// openOnly, only the tracks open on the extract date: all the deadlines
// need.
func loadTracks(ctx context.Context, q Querier, f Filter, haveData, openOnly bool) ([]loadedTrack, error) {
	minDays := 42
	if haveData {
		minDays = 7
	}
	rows, err := tracksSQL(f, minDays, openOnly).run(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []loadedTrack
	var cur *loadedTrack
	var tl poortwachter.Timeline
	done := map[string][]time.Time{}
	flush := func() {
		if cur == nil {
			return
		}
		cur.Milestones = milestones(tl, done, f.ExtractDate)
		for _, m := range cur.Milestones {
			if m.Milestone == poortwachter.Week104End {
				cur.Week104End = m.Due
			}
		}
		out = append(out, *cur)
		cur, tl = nil, nil
		clear(done)
	}
	for rows.Next() {
		var emp, track, kind string
		var name sql.NullString
		var d, d2, lastRe sql.NullTime
		var nCases, sickDays sql.NullInt64
		var open sql.NullBool
		var dept, team sql.NullString
		if err := rows.Scan(&emp, &track, &kind, &name, &d, &d2, &nCases, &sickDays, &open, &lastRe, &dept, &team); err != nil {
			return nil, err
		}
		switch kind {
		case "a":
			flush()
			t := &loadedTrack{open: open.Bool}
			t.EmployeeID, t.Kind = emp, name.String
			t.FirstSickDay, t.CurrentCase = dateOf(d.Time), dateOf(d2.Time)
			t.Cases, t.SickDays = int(nCases.Int64), int(sickDays.Int64)
			t.Department, t.Team = dept.String, team.String
			span := int(dateOnly(lastRe.Time).Sub(dateOnly(d.Time)).Hours()/24 + 0.5)
			t.GapDays = span - t.SickDays
			t.Week = (t.SickDays + 6) / 7
			cur = t
		case "b":
			tl = append(tl, poortwachter.Period{From: dateOnly(d.Time), To: dateOnly(d2.Time), Open: open.Bool})
		case "c":
			done[name.String] = append(done[name.String], dateOnly(d.Time))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	flush()
	return out, nil
}
