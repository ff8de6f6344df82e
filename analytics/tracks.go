package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Poortwachter tracks (wachttijdtrajecten): the legal layer on top of the
// statistical cases. Sickness cases (sickness and sickness_pregnancy) of one
// employee separated by fewer than 28 days are one track (samentelling, art.
// 7:629 lid 10 BW); wage continuation ends after 104 weeks of sickness in the
// track, so every gap moves the end, and the milestones, by its length.
// ZMF, GZVD and every other statistic keep counting cases; tracks are only
// for the deadlines and milestone compliance here.

// The Poortwachter milestones, in the order of the timeline. The first six
// are the names of the optional milestone import (ingest profile
// native-milestones); Week104End is the end of wage continuation.
const (
	MilestoneProblemAnalysis     = "problem_analysis"
	MilestoneActionPlan          = "action_plan"
	MilestoneWeek42Report        = "week42_report"
	MilestoneFirstYearEvaluation = "first_year_evaluation"
	MilestoneSecondTrackStart    = "second_track_start"
	MilestoneWIAApplication      = "wia_application"
	MilestoneWeek104End          = "week104_end"
)

// Milestones lists the milestones in timeline order.
var Milestones = []string{MilestoneProblemAnalysis, MilestoneActionPlan, MilestoneWeek42Report,
	MilestoneFirstYearEvaluation, MilestoneSecondTrackStart, MilestoneWIAApplication, MilestoneWeek104End}

// SamentellingGapDays: cases that follow each other with fewer than this
// many days between the recovery date and the next first sick day form one
// track.
const SamentellingGapDays = 28

// milestoneSickDays gives, per milestone, the sick day of the track whose
// date is the due date (sick day n of a continuous track falls on first sick
// day + n − 1, so week w ends on sick day 7w), and for a window the sick day
// it opens on. See the "track_milestones" definition.
var milestoneSickDays = []struct {
	name     string
	from, by int // window opens on sick day from (0: no window); due by sick day by
}{
	{MilestoneProblemAnalysis, 0, 42},        // by the end of week 6
	{MilestoneActionPlan, 0, 56},             // by the end of week 8
	{MilestoneWeek42Report, 0, 294},          // the first working day after week 42 (shifted in SQL)
	{MilestoneFirstYearEvaluation, 316, 364}, // weeks 46–52
	{MilestoneSecondTrackStart, 0, 406},      // 6 weeks after the evaluation's due date: end of week 58
	{MilestoneWIAApplication, 631, 651},      // weeks 91–93
	{MilestoneWeek104End, 0, 728},            // the day after the 728th sick day
}

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
	Milestone  string `json:"milestone"`
	WindowFrom *Date  `json:"window_from,omitempty"` // first day of the window (first-year evaluation, WIA application)
	Due        Date   `json:"due"`
	Done       *Date  `json:"done"` // from the milestone import
	Status     string `json:"status"`
}

// Track is one open Poortwachter track. It is personal data (pseudonymised):
// for case management, not statistics.
type Track struct {
	EmployeeID   string            `json:"employee_id"`
	FirstSickDay Date              `json:"first_sick_day"` // of the track's first case
	CurrentCase  Date              `json:"current_case"`   // first sick day of the open case
	Cases        int               `json:"cases"`
	SickDays     int               `json:"sick_days"` // through the extract date
	GapDays      int               `json:"gap_days"`  // days between the cases (pregnancy leave included)
	Week         int               `json:"week"`      // sick week of the track on the extract date
	Week104End   Date              `json:"week104_end"`
	Milestones   []MilestoneStatus `json:"milestones"`
}

// Deadline is one milestone of an open track due soon.
type Deadline struct {
	EmployeeID   string `json:"employee_id"`
	FirstSickDay Date   `json:"first_sick_day"` // of the track
	Milestone    string `json:"milestone"`
	WindowFrom   *Date  `json:"window_from,omitempty"`
	Due          Date   `json:"due"`
	DaysLeft     int    `json:"days_left"` // due date − extract date
}

// Compliance counts, per milestone, the tracks whose due date lies in the
// period, by status.
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
	// Compliance is nil without milestone data. Suppressed when the tracks
	// counted come from fewer than MinEmployees employees or number fewer
	// than MinCases.
	Compliance           []Compliance   `json:"compliance"`
	ComplianceSuppressed bool           `json:"compliance_suppressed"`
	Definitions          DefinitionList `json:"definitions"`
}

// Tracks chains the sickness cases into Poortwachter tracks and reports, for
// the tracks of the filter's population (the employment valid on the track's
// first sick day): every track open on the extract date with its milestone
// due dates and statuses, the deadlines due in the DeadlineWeeks weeks after
// the extract date, and the compliance of the milestones due in the period.
func Tracks(ctx context.Context, q Querier, f Filter, topt TrackOptions, opt Options) (TracksResult, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return TracksResult{}, err
	}
	if topt.DeadlineWeeks == 0 {
		topt.DeadlineWeeks = 6
	}
	if topt.DeadlineWeeks < 0 || topt.DeadlineWeeks > 104 {
		return TracksResult{}, fmt.Errorf("analytics: deadlines for %d weeks ahead; choose 1 to 104", topt.DeadlineWeeks)
	}
	f, cut, err := resolvePeriod(ctx, q, f)
	if err != nil {
		return TracksResult{}, err
	}
	var nMilestones int64
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM milestones`).Scan(&nMilestones); err != nil {
		return TracksResult{}, fmt.Errorf("analytics: tracks: %w", err)
	}
	tracks, err := loadTracks(ctx, q, f)
	if err != nil {
		return TracksResult{}, fmt.Errorf("analytics: tracks: %w", err)
	}
	res := TracksResult{Coverage: coverageOf(f, cut), DeadlineWeeks: topt.DeadlineWeeks, MilestoneData: nMilestones > 0,
		Definitions: outcomeDefinitions(opt, "track", "track_milestones", "milestone_status", "outcome_suppressed")}
	ex := f.ExtractDate
	horizon := ex.AddDate(0, 0, 7*topt.DeadlineWeeks)
	type count struct{ due, onTime, early, late, missing int64 }
	counts := map[string]*count{}
	emps := map[string]bool{}
	for _, t := range tracks {
		for i := range t.Milestones {
			m := &t.Milestones[i]
			m.Status = milestoneStatus(*m, ex, res.MilestoneData)
			if m.Milestone == MilestoneWeek104End {
				if !m.Due.After(ex) {
					m.Status = StatusPassed
				}
				continue
			}
			if !m.Due.Before(f.From) && !m.Due.After(f.To) {
				c := counts[m.Milestone]
				if c == nil {
					c = &count{}
					counts[m.Milestone] = c
				}
				c.due++
				switch m.Status {
				case StatusOnTime:
					c.onTime++
				case StatusEarly:
					c.early++
				case StatusLate:
					c.late++
				case StatusMissing:
					c.missing++
				}
				emps[t.EmployeeID] = true
			}
		}
		if !t.open {
			continue
		}
		res.Open = append(res.Open, t.Track)
		for _, m := range t.Milestones {
			dl := Deadline{EmployeeID: t.EmployeeID, FirstSickDay: t.FirstSickDay, Milestone: m.Milestone, WindowFrom: m.WindowFrom,
				Due: m.Due, DaysLeft: int(m.Due.Sub(ex).Hours() / 24)}
			switch {
			case m.Done == nil && m.Due.After(ex) && !m.Due.After(horizon):
				res.Deadlines = append(res.Deadlines, dl)
			case m.Status == StatusMissing:
				res.Overdue = append(res.Overdue, dl)
			}
		}
	}
	byDue := func(a, b Deadline) int {
		if c := a.Due.Compare(b.Due.Time); c != 0 {
			return c
		}
		return strings.Compare(a.EmployeeID, b.EmployeeID)
	}
	slices.SortStableFunc(res.Deadlines, byDue)
	slices.SortStableFunc(res.Overdue, byDue)
	if res.MilestoneData {
		th := thresholdsOf(opt)
		// Tracks with a milestone due in P: distinct tracks, not milestones.
		var nTracks int64
		for _, t := range tracks {
			if t.dueIn(f.From, f.To) {
				nTracks++
			}
		}
		res.ComplianceSuppressed = th.small(int64(len(emps)), nTracks)
		for _, name := range Milestones[:6] {
			c := Compliance{Milestone: name}
			if !res.ComplianceSuppressed {
				k := counts[name]
				if k == nil {
					k = &count{}
				}
				c.Due, c.OnTime, c.Early, c.Late, c.Missing = ptr(k.due), ptr(k.onTime), ptr(k.early), ptr(k.late), ptr(k.missing)
			}
			res.Compliance = append(res.Compliance, c)
		}
	}
	return res, nil
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

func (t loadedTrack) dueIn(from, to time.Time) bool {
	for _, m := range t.Milestones {
		if m.Milestone != MilestoneWeek104End && !m.Due.Before(from) && !m.Due.After(to) {
			return true
		}
	}
	return false
}

// tracksSQL chains the cases into tracks and returns, for the tracks of the
// population that are open on the extract date or reach 42 sick days and
// overlap the period, long-format rows in this order per track: a header
// row ('a'), one row per milestone due date ('b', with the window start in
// d2) and one per recorded milestone date ('c').
//
// Chaining: sickness cases of an employee in first-sick-day order; a case
// continues the previous one's track when the days between them, not
// counting pregnancy leave, are fewer than 28. Sick days are counted through
// the extract date for an open case; its later sick days are projected (it
// is assumed to continue). Sick day n of a track falls in the case where
// cum_before < n ≤ cum_before + its days (or, for an open case, anywhere
// after cum_before), on first sick day + (n − cum_before − 1).
func tracksSQL(f Filter) string {
	ex := dateLit(f.ExtractDate)
	var ms []string
	for _, m := range milestoneSickDays {
		ms = append(ms, fmt.Sprintf("(%s, %d, %d)", lit(m.name), m.from, m.by))
	}
	return fmt.Sprintf(`WITH %[1]s,
fp AS (SELECT * FROM pieces WHERE %[2]s),
tc AS (
	SELECT employee_id AS emp, first_sick_day AS fsd, absence_type AS typ,
		CASE WHEN recovery_date <= %[3]s THEN recovery_date END AS rec,
		least(coalesce(recovery_date, %[3]s + 1), %[3]s + 1) AS re
	FROM absence_cases
	WHERE absence_type IN ('sickness', 'sickness_pregnancy', 'pregnancy_leave') AND first_sick_day <= %[3]s
),
lv AS (
	SELECT *, sum(CASE WHEN typ = 'pregnancy_leave' THEN re - fsd ELSE 0 END)
		OVER (PARTITION BY emp ORDER BY fsd ROWS UNBOUNDED PRECEDING) AS leave_cum
	FROM tc
),
sk AS (
	SELECT *, lag(re) OVER w AS prev_re, lag(leave_cum) OVER w AS prev_leave
	FROM lv WHERE typ <> 'pregnancy_leave'
	WINDOW w AS (PARTITION BY emp ORDER BY fsd)
),
tr AS (
	SELECT *, sum(CASE WHEN prev_re IS NULL OR (fsd - prev_re) - (leave_cum - prev_leave) >= %[4]d THEN 1 ELSE 0 END)
		OVER (PARTITION BY emp ORDER BY fsd ROWS UNBOUNDED PRECEDING) AS track_no
	FROM sk
),
cs AS (
	SELECT emp, fsd, rec, re, track_no,
		coalesce(sum(re - fsd) OVER (t ORDER BY fsd ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS cum_before,
		min(fsd) OVER t AS track_start, count(*) OVER t AS n_cases, sum(re - fsd) OVER t AS sick_days,
		bool_or(rec IS NULL) OVER t AS open, max(re) OVER t AS last_re, max(fsd) OVER t AS cur
	FROM tr WINDOW t AS (PARTITION BY emp, track_no)
),
ft AS (
	SELECT c.emp, c.track_no FROM cs c JOIN fp p ON p.emp = c.emp AND p.s <= c.fsd AND c.fsd < p.e
	WHERE c.fsd = c.track_start AND (c.open OR (c.sick_days >= 42 AND c.track_start <= %[6]s AND c.last_re + 3 >= %[5]s))
),
due AS (
	SELECT c.emp, c.track_no, m.ms,
		c.fsd + (m.n - c.cum_before - 1)::INTEGER AS d
	FROM cs c JOIN ft USING (emp, track_no)
	JOIN (VALUES %[7]s) m(ms, w, n) ON c.cum_before < m.n AND (c.rec IS NULL OR m.n <= c.cum_before + (c.re - c.fsd))
),
win AS (
	SELECT c.emp, c.track_no, m.ms, c.fsd + (m.w - c.cum_before - 1)::INTEGER AS d
	FROM cs c JOIN ft USING (emp, track_no)
	JOIN (VALUES %[7]s) m(ms, w, n) ON m.w > 0 AND c.cum_before < m.w AND (c.rec IS NULL OR m.w <= c.cum_before + (c.re - c.fsd))
),
done AS (
	SELECT c.emp, c.track_no, m.milestone AS ms, min(m.done_date) AS d
	FROM milestones m JOIN cs c ON c.emp = m.employee_id AND c.fsd = m.first_sick_day
	JOIN ft USING (emp, track_no)
	WHERE m.done_date <= %[3]s
	GROUP BY ALL
)
SELECT emp, track_no, 'a' AS kind, NULL AS ms, any_value(track_start) AS d, any_value(cur) AS d2,
	any_value(n_cases) AS n_cases, any_value(sick_days) AS sick_days, bool_or(open) AS open, any_value(last_re) AS last_re
FROM cs JOIN ft USING (emp, track_no) GROUP BY emp, track_no
UNION ALL
SELECT u.emp, u.track_no, 'b', u.ms, u.d, w.d, NULL, NULL, NULL, NULL
FROM due u LEFT JOIN win w USING (emp, track_no, ms)
UNION ALL
SELECT emp, track_no, 'c', ms, d, NULL, NULL, NULL, NULL, NULL FROM done
ORDER BY emp, track_no, kind`,
		piecesSQL(needsFor(f)), f.predicate(numFamilies), ex, SamentellingGapDays,
		dateLit(f.From), dateLit(f.To), strings.Join(ms, ", "))
}

// loadTracks runs tracksSQL and assembles the tracks, applying the
// first-working-day rule of the 42-week report, the second-track rule and
// the week-104 end.
func loadTracks(ctx context.Context, q Querier, f Filter) ([]loadedTrack, error) {
	rows, err := q.QueryContext(ctx, tracksSQL(f))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []loadedTrack
	var cur *loadedTrack
	var curKey string
	due := map[string]MilestoneStatus{}
	done := map[string]time.Time{}
	flush := func() {
		if cur == nil {
			return
		}
		cur.Milestones = assembleMilestones(due, done)
		for _, m := range cur.Milestones {
			if m.Milestone == MilestoneWeek104End {
				cur.Week104End = m.Due
			}
		}
		out = append(out, *cur)
		cur = nil
		clear(due)
		clear(done)
	}
	for rows.Next() {
		var emp, kind string
		var trackNo int64
		var ms sql.NullString
		var d, d2, lastRe sql.NullTime
		var nCases, sickDays sql.NullInt64
		var open sql.NullBool
		if err := rows.Scan(&emp, &trackNo, &kind, &ms, &d, &d2, &nCases, &sickDays, &open, &lastRe); err != nil {
			return nil, err
		}
		key := fmt.Sprint(emp, "|", trackNo)
		if key != curKey {
			flush()
			curKey = key
		}
		switch kind {
		case "a":
			t := &loadedTrack{open: open.Bool}
			t.EmployeeID = emp
			t.FirstSickDay, t.CurrentCase = dateOf(d.Time), dateOf(d2.Time)
			t.Cases, t.SickDays = int(nCases.Int64), int(sickDays.Int64)
			span := int(dateOnly(lastRe.Time).Sub(dateOnly(d.Time)).Hours()/24 + 0.5)
			t.GapDays = span - t.SickDays
			t.Week = (t.SickDays + 6) / 7
			cur = t
		case "b":
			m := MilestoneStatus{Milestone: ms.String, Due: dateOf(d.Time)}
			if d2.Valid {
				m.WindowFrom = ptr(dateOf(d2.Time))
			}
			due[ms.String] = m
		case "c":
			done[ms.String] = dateOnly(d.Time)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	flush()
	return out, nil
}

// assembleMilestones orders a track's due dates and applies the rules that
// are not plain sick-day counts.
func assembleMilestones(due map[string]MilestoneStatus, done map[string]time.Time) []MilestoneStatus {
	var out []MilestoneStatus
	for _, name := range Milestones {
		m, ok := due[name]
		if !ok {
			continue
		}
		switch name {
		case MilestoneWeek42Report:
			// The first working day after week 42 (weekends only; public
			// holidays are not known here).
			d := m.Due.AddDate(0, 0, 1)
			switch d.Weekday() {
			case time.Saturday:
				d = d.AddDate(0, 0, 2)
			case time.Sunday:
				d = d.AddDate(0, 0, 1)
			}
			m.Due = dateOf(d)
		case MilestoneSecondTrackStart:
			// At the latest six weeks after the first-year evaluation: after
			// the recorded one when it came earlier than its due date.
			if ev, ok := done[MilestoneFirstYearEvaluation]; ok {
				if d := ev.AddDate(0, 0, 42); d.Before(m.Due.Time) {
					m.Due = dateOf(d)
				}
			}
		case MilestoneWeek104End:
			m.Due = dateOf(m.Due.AddDate(0, 0, 1))
		}
		if d, ok := done[name]; ok && name != MilestoneWeek104End {
			m.Done = ptr(dateOf(d))
		}
		out = append(out, m)
	}
	return out
}
