package ingest

import (
	"context"
	"fmt"

	"github.com/verzuim/absence/ingest/internal/sqlparts"
)

// Absence rows become cases in one windowed pass per layout: every row is
// placed in its case (file_rows: line, emp, case_key, from, to, pct), the
// cases are summed up (file_cases), and checks that need whole cases reject
// whole cases. Rows are re-placed only when a check removed some, which is
// rare, so a clean file is read once.

func (imp *fileImport) buildCases(ctx context.Context) error {
	build := imp.casesFromPeriods
	if imp.profile.Layout == "events" {
		build = imp.casesFromEvents
	}
	// The rows are keyed (ids) and their fields checked: what that took
	// goes before the rows are sorted, to leave the sort the room.
	if err := imp.doneWith(ctx, "pseudonyms", "parsed_raw", "recheck"); err != nil {
		return err
	}
	if err := build(ctx); err != nil {
		return err
	}
	if imp.profile.Window == "file" {
		// The file's own period: from its earliest case (a case rejected
		// later still counts) to the extract date.
		if err := imp.conn.QueryRowContext(ctx, `SELECT min(first_sick_day) FROM file_cases`).Scan(&imp.windowFrom); err != nil {
			return fmt.Errorf("window of the file: %w", err)
		}
	}
	if err := imp.checkCases(ctx); err != nil {
		return err
	}
	return imp.conn.QueryRowContext(ctx, `SELECT count(*) FROM file_cases WHERE NOT rejected`).Scan(&imp.res.Cases)
}

// noGaps is case_gaps for a layout whose cases cannot leave gaps.
const noGaps = `SELECT emp, case_key, NULL::DATE AS at FROM file_rows LIMIT 0`

// okRows is the FROM clause of the parsed rows not rejected or repeated, with
// the pseudonym joined in.
const okRows = `parsed p JOIN ids ON ids.raw_emp = p.employee_id
	WHERE NOT EXISTS (SELECT 1 FROM errs e WHERE e.line = p.__line)`

// notRejected filters table alias t to rows without errors.
const notRejected = `NOT EXISTS (SELECT 1 FROM errs e WHERE e.line = t.line)`

// absentPct is the percentage absent of a row, whichever way the file says it.
func (imp *fileImport) absentPct() string {
	if imp.profile.Percentage == "present" {
		return "(100 - p.absence_pct)"
	}
	return "p.absence_pct"
}

func (imp *fileImport) extractDate() string {
	return fmt.Sprintf("DATE '%s'", imp.extract.Format("2006-01-02"))
}

// errorsAdded reports whether a step added errors (so rows must be re-placed).
func (imp *fileImport) errorCount(ctx context.Context) (n int64, err error) {
	err = imp.conn.QueryRowContext(ctx, `SELECT count(*) FROM errs`).Scan(&n)
	return n, err
}

// placingOrder orders an employee's periods, the order they are placed in.
const placingOrder = `PARTITION BY emp ORDER BY s, line`

// earlierRows is the frame of the periods placed before a period.
const earlierRows = placingOrder + ` ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING`

// overlapping names, for each period that starts inside an earlier one, the
// line of the earlier period that reaches furthest. It runs the placing
// window again over the employees with an overlap only (few, and each with
// all its periods, so it answers as the placing window would): carried for
// every row, the line made placing a fifth dearer.
const overlapping = `SELECT line, reach_line FROM (
		SELECT line, s, reach, arg_max(line, coalesce(e, 'infinity'::DATE)) OVER (` + earlierRows + `) AS reach_line
		FROM file_rows WHERE emp IN (SELECT emp FROM file_rows WHERE s < reach))
	WHERE s < reach`

func (imp *fileImport) casesFromPeriods(ctx context.Context) error {
	end := "p.end_date + 1"
	if imp.profile.PeriodEnd == "day_after" {
		end = "p.end_date"
	}
	// The window sorts every row, so it carries only what the checks, the
	// case summary and the segments need: no personnel number (a row finds
	// the rest of its case through parsed, by line: rejectRestOfCase).
	// With case numbers, the number is the case. Without, a new case starts
	// at an employee's first period, after every gap and where the absence
	// type changes: sickness running into pregnancy leave ends when the
	// leave starts (1996 standard), and a change of percentage alone is
	// partial recovery within the case.
	byRef := imp.rawCol("case_ref") != ""
	caseCol, prevCol := "", "lag(absence_type) OVER w AS prev_type"
	if byRef {
		caseCol, prevCol = " p.case_ref AS case_key,", "case_key IS DISTINCT FROM lag(case_key) OVER w AS starts_case"
	}
	// The absence type and end reason travel as the ENUMs they are stored
	// as (one byte each, not a text, sorted with every row).
	rows := fmt.Sprintf(`SELECT p.__line AS line, ids.emp,%s
			p.start_date AS s, %s AS e, coalesce(%s, 100) AS pct,
			coalesce(p.absence_type, 'sickness')::absence_type AS absence_type, p.end_reason::end_reason AS end_reason, p.vangnet
		FROM %s`, caseCol, end, imp.absentPct(), okRows)
	// Each period learns how far the employee's earlier periods reach (NULL
	// for the first); which line reaches that far is asked only of the
	// periods that overlap (overlapping).
	neighbours := `SELECT *, lag(e) OVER w AS prev_e, ` + prevCol + `,
			max(coalesce(e, 'infinity'::DATE)) OVER earlier AS reach
		FROM (` + rows + `) WINDOW w AS (` + placingOrder + `), earlier AS (` + earlierRows + `)`
	place := neighbours
	if !byRef {
		// Each row also carries its case's first sick day (fsd), the latest
		// case start up to it, so its segment needs no join back to the
		// cases, and the case key is the number of case starts up to it.
		// (With case numbers that would take a second window, which costs
		// more than the join: segments.)
		const starts = `CASE WHEN reach IS NULL OR s > reach OR absence_type <> prev_type THEN 1 ELSE 0 END`
		place = `SELECT * EXCLUDE (prev_type), sum(` + starts + `) OVER c AS case_key, max(CASE WHEN ` + starts + ` = 1 THEN s END) OVER c AS fsd
			FROM (` + neighbours + `) WINDOW c AS (` + placingOrder + `)`
	}
	rowChecks := []rowCheck{
		{"e <= s", "end_date", "strftime(e - 1, '%Y-%m-%d')", "'the end date is before the start date ' || strftime(s, '%Y-%m-%d')"},
		{"pct = 0", "absence_pct", "'0'", "'a period with 0% absent is not an absence; leave the row out'"},
		{"s > " + imp.extractDate(), "start_date", "strftime(s, '%Y-%m-%d')", "'the start date is after the extract date ' || strftime(" + imp.extractDate() + ", '%Y-%m-%d')"},
		// An earlier period takes precedence over one that starts inside it.
		{"s < reach", "start_date", "strftime(s, '%Y-%m-%d')", "'overlaps the absence period on line ' || (SELECT reach_line FROM overlapping o WHERE o.line = t.line) || ' of the same employee'"},
	}
	// A clean file is placed once. Rejected rows change their neighbours, so
	// then the rest is placed again; a second pass finds nothing new.
	for pass := 1; ; pass++ {
		before, err := imp.errorCount(ctx)
		if err != nil {
			return err
		}
		if err := imp.temp(ctx, "file_rows", place); err != nil {
			return err
		}
		if err := imp.temp(ctx, "overlapping", overlapping); err != nil {
			return err
		}
		if err := imp.applyRowChecks(ctx, "file_rows", rowChecks); err != nil {
			return err
		}
		if byRef {
			if err := imp.rejectRestOfCase(ctx, "file_rows", "case_ref"); err != nil {
				return err
			}
		}
		after, err := imp.errorCount(ctx)
		if err != nil {
			return err
		}
		if after == before {
			break
		}
		if pass == 4 {
			return fmt.Errorf("absence periods: rows still rejected after %d passes", pass)
		}
	}
	if err := imp.doneWith(ctx, "overlapping", "parsed", "ids"); err != nil {
		return err
	}
	// The periods of one case must follow on from each other.
	gaps := noGaps
	if byRef {
		gaps = `SELECT emp, case_key, min(s) AS at FROM file_rows WHERE NOT starts_case AND case_key IS NOT NULL AND s > prev_e GROUP BY ALL`
	}
	if err := imp.temp(ctx, "case_gaps", gaps); err != nil {
		return err
	}
	err := imp.exec(ctx, `INSERT INTO errs
		SELECT r.line, NULL, NULL, 'the periods of this case (same case number) leave a gap at ' || strftime(g.at, '%Y-%m-%d')
		FROM file_rows r JOIN case_gaps g USING (emp, case_key)`)
	if err != nil {
		return err
	}
	// A case number that comes back after another case of the employee
	// would make two cases that overlap: its rows then start a case twice.
	interrupted := ""
	if byRef {
		interrupted = ", count(*) FILTER (starts_case) > 1 AS interrupted"
	}
	return imp.temp(ctx, "file_cases", `SELECT emp, case_key, min(s) AS first_sick_day,
			CASE WHEN bool_or(e IS NULL) THEN NULL ELSE max(e) END AS recovery_date,
			arg_min(absence_type, s) AS absence_type, arg_max(end_reason, s) AS end_reason, bool_or(vangnet) AS vangnet,
			min(s) AS first_event, false AS rejected`+interrupted+`
		FROM file_rows t WHERE `+notRejected+` GROUP BY emp, case_key`)
}

func (imp *fileImport) casesFromEvents(ctx context.Context) error {
	recovered := "p.event_date"
	if imp.profile.RecoveryDate == "last_sick_day" {
		recovered = "p.event_date + 1"
	}
	pct := imp.absentPct()
	err := imp.temp(ctx, "ev", fmt.Sprintf(`SELECT p.__line AS line, p.employee_id AS raw_emp, ids.emp, p.first_sick_day AS fsd,
			CASE WHEN kind = 'recovered' THEN %s ELSE p.event_date END AS d, kind,
			CASE WHEN p.event = 'sick' THEN coalesce(%s, 100) ELSE %s END AS pct,
			coalesce(p.absence_type, 'sickness') AS absence_type, p.end_reason, p.vangnet
		FROM (SELECT *, CASE WHEN event = 'partial' AND %s = 0 THEN 'recovered' ELSE event END AS kind FROM parsed p) p
		JOIN ids ON ids.raw_emp = p.employee_id
		WHERE NOT EXISTS (SELECT 1 FROM errs e WHERE e.line = p.__line)`,
		recovered, pct, pct, pct))
	if err != nil {
		return err
	}
	err = imp.applyRowChecks(ctx, "ev", []rowCheck{
		{"d < fsd AND kind <> 'recovered'", "event_date", "strftime(d, '%Y-%m-%d')", "'date is before the first sick day ' || strftime(fsd, '%Y-%m-%d')"},
		{"kind = 'recovered' AND d <= fsd", "event_date", "strftime(d, '%Y-%m-%d')", "'the recovery date must be after the first sick day ' || strftime(fsd, '%Y-%m-%d')"},
		{"kind = 'partial' AND pct IS NULL", "absence_pct", "NULL", "'a partial recovery needs a percentage'"},
		{"kind = 'sick' AND pct = 0", "absence_pct", "'0'", "'a sick report with 0% absent is not an absence'"},
		{"fsd > " + imp.extractDate(), "first_sick_day", "strftime(fsd, '%Y-%m-%d')", "'the first sick day is after the extract date ' || strftime(" + imp.extractDate() + ", '%Y-%m-%d')"},
	})
	if err != nil {
		return err
	}
	if err := imp.rejectRestOfCase(ctx, "ev", "first_sick_day"); err != nil {
		return err
	}
	// Each event opens a segment that runs to the next event; rows after the
	// case's first full recovery contradict it.
	err = imp.temp(ctx, "file_rows", `SELECT *, fsd AS case_key, d AS s, lead(d) OVER w AS e,
			count(*) FILTER (kind = 'recovered') OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS recoveries_before
		FROM ev t WHERE `+notRejected+` WINDOW w AS (PARTITION BY emp, fsd ORDER BY d, line)`)
	if err != nil {
		return err
	}
	if err := imp.doneWith(ctx, "ev", "parsed", "ids"); err != nil {
		return err
	}
	if err := imp.temp(ctx, "case_gaps", noGaps); err != nil {
		return err
	}
	err = imp.exec(ctx, `INSERT INTO errs
		SELECT line, NULL, strftime(d, '%Y-%m-%d'), 'comes after the full recovery of this case' FROM file_rows WHERE recoveries_before > 0`)
	if err != nil {
		return err
	}
	return imp.temp(ctx, "file_cases", `SELECT emp, fsd AS case_key, fsd AS first_sick_day,
			min(d) FILTER (kind = 'recovered') AS recovery_date,
			arg_min(absence_type, d) AS absence_type,
			arg_min(end_reason, d) FILTER (kind = 'recovered') AS end_reason, bool_or(vangnet) AS vangnet,
			min(d) AS first_event, false AS rejected
		FROM file_rows WHERE recoveries_before = 0 GROUP BY emp, fsd`)
}

// acceptedRows is the FROM clause of the rows stored. Once placed, a case's
// rows are all kept or all rejected (a rejected row makes its neighbours be
// placed again; rejectRestOfCase, the gap check and the case checks reject
// whole cases), so a row is stored unless its case is rejected, found by
// key, or it is an event after the case's full recovery.
func (imp *fileImport) acceptedRows() string {
	from := `file_rows r ANTI JOIN case_gaps USING (emp, case_key) ANTI JOIN case_problems USING (emp, case_key)`
	if imp.profile.Layout == "events" {
		from += ` WHERE r.recoveries_before = 0`
	}
	return from
}

// segments selects the segments of the cases that land: a row's span up to
// the next row (a row without an end is the open end of its case), and for
// an event file whose first row comes after the first sick day, full
// absence until then (synthetic). Rows carry their case's first sick day,
// except with case numbers, where they take it from the case they belong
// to (a gap's case has none).
func (imp *fileImport) segments() string {
	from, kind, spans := imp.acceptedRows(), "", "valid_to IS NULL OR valid_to > valid_from"
	if imp.profile.Layout == "events" {
		kind, spans = ", kind", "coalesce(kind, '') <> 'recovered' AND ("+spans+")"
	} else if imp.rawCol("case_ref") != "" {
		from = `file_rows r JOIN (SELECT emp, case_key, first_sick_day AS fsd FROM file_cases WHERE NOT rejected) USING (emp, case_key)`
	}
	return `
	SELECT emp, first_sick_day, valid_from, valid_to, absence_pct, synthetic FROM (SELECT emp, fsd AS first_sick_day, s AS valid_from, e AS valid_to, pct AS absence_pct, false AS synthetic` + kind + ` FROM ` + from + `)
	WHERE ` + spans + `
	UNION ALL
	SELECT emp, first_sick_day, first_sick_day, first_event, 100, true FROM file_cases
	WHERE NOT rejected AND first_event > first_sick_day`
}

// rejectRestOfCase rejects the remaining rows of a case one of whose rows was
// rejected: half a case would be wrong data, not less data. The rows of a
// rejected row's case are found in parsed (same personnel number and case
// key), so the placed rows need neither.
func (imp *fileImport) rejectRestOfCase(ctx context.Context, table, parsedKey string) error {
	return imp.exec(ctx, fmt.Sprintf(`INSERT INTO errs
		SELECT t.line, NULL, NULL, 'not imported because line ' || min(e.line) || ' of the same case was rejected'
		FROM errs e JOIN parsed p ON p.__line = e.line
		JOIN parsed q ON q.employee_id = p.employee_id AND q.%[2]s = p.%[2]s
		JOIN %[1]s t ON t.line = q.__line
		WHERE e.reason <> %[3]s AND NOT EXISTS (SELECT 1 FROM errs e2 WHERE e2.line = t.line)
		GROUP BY t.line`, table, parsedKey, sqlparts.Quote(duplicateReason)))
}

// checkCases rejects whole cases that overlap another case of the employee
// (in the file or already stored) or fall outside every employment.
func (imp *fileImport) checkCases(ctx context.Context) error {
	// Stored cases that this import keeps: its employer's outside its scope.
	kept := `SELECT employee_key AS emp, first_sick_day, recovery_date FROM absence_cases t WHERE ` + imp.own("t") + ` AND NOT (` + imp.scope() + `)`
	// Periods were already checked for overlaps row by row, except for a
	// case number that comes back after another case; events are not.
	inFile := `SELECT emp, case_key, NULL::VARCHAR AS reason, 1 AS rank FROM file_cases LIMIT 0`
	switch {
	case imp.profile.Layout == "events":
		inFile = `SELECT emp, case_key, 'overlaps another absence case of this employee in the file, which starts ' || strftime(prev_start, '%Y-%m-%d') AS reason, 1 AS rank
		FROM (SELECT *, max(coalesce(recovery_date, 'infinity'::DATE)) OVER w AS prev_end, max(first_sick_day) OVER w AS prev_start
			FROM file_cases WINDOW w AS (PARTITION BY emp ORDER BY first_sick_day ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))
		WHERE first_sick_day < prev_end`
	case imp.rawCol("case_ref") != "":
		inFile = `SELECT emp, case_key, 'the periods of this case (same case number) do not follow on from each other: another case of this employee lies between them' AS reason, 1 AS rank FROM file_cases WHERE interrupted`
	}
	err := imp.temp(ctx, "case_problems", fmt.Sprintf(`
		SELECT * FROM (%s)
		UNION ALL
		SELECT f.emp, f.case_key, 'overlaps an absence case imported earlier (from another export) starting ' || strftime(min(k.first_sick_day), '%%Y-%%m-%%d'), 2
		FROM file_cases f JOIN (%s) k ON k.emp = f.emp
			AND f.first_sick_day < coalesce(k.recovery_date, 'infinity'::DATE)
			AND k.first_sick_day < coalesce(f.recovery_date, 'infinity'::DATE)
		GROUP BY f.emp, f.case_key
		UNION ALL
		%s`, inFile, kept, imp.outsideEmployment()))
	if err != nil {
		return err
	}
	// One reason per case, the first by rank (a case with several problems
	// always shows the same one), then its rows: grouping the rows instead
	// holds a reason per row of the file in memory at once.
	err = imp.exec(ctx, `INSERT INTO errs
		SELECT r.line, NULL, NULL, c.reason
		FROM (SELECT emp, case_key, arg_min(reason, rank) AS reason FROM case_problems GROUP BY emp, case_key) c
		JOIN file_rows r USING (emp, case_key)
		WHERE NOT EXISTS (SELECT 1 FROM errs e WHERE e.line = r.line)`)
	if err != nil {
		return err
	}
	return imp.exec(ctx, `UPDATE file_cases f SET rejected = true
		WHERE EXISTS (SELECT 1 FROM case_problems c WHERE c.emp = f.emp AND c.case_key = f.case_key)`)
}

// outsideEmployment selects the file's cases whose first sick day lies in no
// employment, with the reason in the user's terms: the employee is not in the
// employment data imported (or none was imported yet), or the employment
// nearest to the sick day (contracts that follow on from each other taken
// together) does not cover it. Every bound is a join condition (an open end
// as 'infinity'), so this is one hash anti join on the employee with the
// dates tested per match: an ASOF join sorted both sides, and an OR among
// the conditions left DuckDB a correlated join.
func (imp *fileImport) outsideEmployment() string {
	return `
	SELECT * FROM (
	WITH outside AS (
		SELECT f.emp, f.case_key, f.first_sick_day FROM file_cases f
		ANTI JOIN (SELECT employee_key, start_date, coalesce(end_date, 'infinity'::DATE) AS end_date FROM employments m WHERE ` + imp.own("m") + `) m
			ON m.employee_key = f.emp AND m.start_date <= f.first_sick_day AND m.end_date >= f.first_sick_day),
	contracts AS (
		SELECT employee_key, start_date, end_date,
			max(coalesce(end_date, 'infinity'::DATE)) OVER (PARTITION BY employee_key ORDER BY start_date ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
		FROM employments m WHERE employee_key IN (SELECT emp FROM outside) AND ` + imp.own("m") + `),
	spans AS (
		SELECT employee_key, min(start_date) AS s, CASE WHEN bool_or(end_date IS NULL) THEN NULL ELSE max(end_date) END AS e
		FROM (SELECT *, sum(CASE WHEN reach IS NULL OR start_date > reach + 1 THEN 1 ELSE 0 END) OVER (PARTITION BY employee_key ORDER BY start_date) AS span FROM contracts)
		GROUP BY employee_key, span),
	nearest AS (
		SELECT o.emp, o.case_key, arg_min({'s': s, 'e': e}, CASE WHEN e < o.first_sick_day THEN o.first_sick_day - e ELSE s - o.first_sick_day END) AS span
		FROM outside o JOIN spans ON spans.employee_key = o.emp GROUP BY ALL)
	SELECT o.emp, o.case_key, CASE
		WHEN n.span IS NOT NULL THEN 'the employment of this employee runs from ' || strftime(n.span.s, '%Y-%m-%d')
			|| coalesce(' to ' || strftime(n.span.e, '%Y-%m-%d'), ' with no end date') || '; the first sick day ' || strftime(o.first_sick_day, '%Y-%m-%d') || ' lies outside it'
		ELSE coalesce(` + imp.notInEmployments() + `, 'no employment for this employee on the first sick day ' || strftime(o.first_sick_day, '%Y-%m-%d') || '; import the employment file first')
		END, 3
	FROM outside o LEFT JOIN nearest n USING (emp, case_key))`
}
