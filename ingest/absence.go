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

// withoutErrors joins table alias t to keep its rows without errors. An anti
// join, not NOT EXISTS: under the case summary's GROUP BY, DuckDB planned
// NOT EXISTS as a delim join that grouped every line first.
const withoutErrors = `ANTI JOIN errs e ON e.line = t.line`

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

// How far an employee's earlier periods reach (NULL for the first period):
// the running maximum over them is a frame aggregate, a third of the
// window's cost. While each period reaches further than the one before
// (an employee without overlaps or periods that end before they start),
// it is where the period before ends, which a lag gives; only the
// employees where that fails (tangled) are placed again with the frame.
const (
	reachOfPrevious = `lag(coalesce(e, 'infinity'::DATE)) OVER w`
	reachOfEarlier  = `max(coalesce(e, 'infinity'::DATE)) OVER earlier`
	tangled         = `SELECT DISTINCT emp FROM file_rows WHERE coalesce(e, 'infinity'::DATE) < reach`
)

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
	// With case numbers, the number is the case (an empty one too, as '',
	// which matches itself). Without, a new case starts at an employee's
	// first period, after every gap and where the absence type changes:
	// sickness running into pregnancy leave ends when the leave starts
	// (1996 standard), and a change of percentage alone is partial recovery
	// within the case.
	byRef := imp.rawCol("case_ref") != ""
	caseCol := ""
	if byRef {
		caseCol = " coalesce(p.case_ref, '') AS case_key,"
	}
	// The absence type and end reason travel as the ENUMs they are stored
	// as (one byte each, not a text, sorted with every row).
	rows := func(where string) string {
		return fmt.Sprintf(`SELECT p.__line AS line, ids.emp,%s
			p.start_date AS s, %s AS e, coalesce(%s, 100) AS pct,
			coalesce(p.absence_type, 'sickness')::absence_type AS absence_type, p.end_reason::end_reason AS end_reason, p.vangnet
		FROM %s%s`, caseCol, end, imp.absentPct(), okRows, where)
	}
	// place places the rows, reach computed as given. Each row learns how
	// far the employee's earlier periods reach; which line reaches that far
	// is asked only of the periods that overlap (overlapping). A row alone
	// in its case is its whole case: the case summary and its segment take
	// it as it is, without grouping rows.
	place := func(reach, where string) string {
		if byRef {
			// A case number can come back after another case only if some
			// case number is lower than the one before it (shorter, or as
			// long and before it in the alphabet): those employees' rows
			// are not taken alone (renumbered).
			return `SELECT * EXCLUDE (prev_key, next_key), case_key IS DISTINCT FROM prev_key AS starts_case,
					case_key IS DISTINCT FROM prev_key AND case_key IS DISTINCT FROM next_key AS alone,
					length(case_key) < length(prev_key) OR length(case_key) = length(prev_key) AND case_key < prev_key AS renumbered
				FROM (SELECT *, lag(case_key) OVER w AS prev_key, lead(case_key) OVER w AS next_key, ` + reach + ` AS reach
					FROM (` + rows(where) + `) WINDOW w AS (` + placingOrder + `), earlier AS (` + earlierRows + `))`
		}
		// Each row also carries its case's first sick day (fsd), the latest
		// case start up to it, so its segment needs no join back to the
		// cases; it is the case key too (cases that land do not overlap).
		// (With case numbers that would take a second window; there a row
		// alone in its case starts it, and the others join their case:
		// segments.)
		const starts = `CASE WHEN reach IS NULL OR s > reach OR absence_type <> prev_type THEN 1 ELSE 0 END`
		return `SELECT * EXCLUDE (prev_type), fsd AS case_key FROM (
			SELECT *, max(CASE WHEN ` + starts + ` = 1 THEN s END) OVER c AS fsd,
				` + starts + ` = 1 AND coalesce(lead(` + starts + `) OVER c, 1) = 1 AS alone
			FROM (SELECT *, lag(absence_type) OVER w AS prev_type, ` + reach + ` AS reach
				FROM (` + rows(where) + `) WINDOW w AS (` + placingOrder + `), earlier AS (` + earlierRows + `))
			WINDOW c AS (` + placingOrder + `))`
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
		if err := imp.placeRows(ctx, place); err != nil {
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
	if byRef {
		err := imp.exec(ctx, `UPDATE file_rows SET alone = false WHERE alone AND emp IN (SELECT emp FROM file_rows WHERE renumbered)`)
		if err != nil {
			return err
		}
	}
	// The periods of one case must follow on from each other. The rows
	// placed passed every check by now, so the earlier periods reach as far
	// as the period before.
	gaps := noGaps
	if byRef {
		gaps = `SELECT emp, case_key, min(s) AS at FROM file_rows WHERE NOT starts_case AND case_key <> '' AND s > reach GROUP BY ALL`
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
	interrupted, notInterrupted := "", ""
	if byRef {
		interrupted, notInterrupted = ", count(*) FILTER (starts_case) > 1 AS interrupted", ", false AS interrupted"
	}
	// A row alone in its case is the case; it cannot leave a gap, so it is
	// not rejected (the rows placed passed every check).
	return imp.temp(ctx, "file_cases", `SELECT emp, case_key, s AS first_sick_day, e AS recovery_date,
			absence_type, end_reason, vangnet, s AS first_event, false AS rejected, true AS alone`+notInterrupted+`
		FROM file_rows WHERE alone
		UNION ALL
		SELECT emp, case_key, min(s) AS first_sick_day,
			CASE WHEN bool_or(e IS NULL) THEN NULL ELSE max(e) END AS recovery_date,
			arg_min(absence_type, s) AS absence_type, arg_max(end_reason, s) AS end_reason, bool_or(vangnet) AS vangnet,
			min(s) AS first_event, false AS rejected, false AS alone`+interrupted+`
		FROM file_rows t `+withoutErrors+` WHERE NOT t.alone GROUP BY emp, case_key`)
}

// placeRows makes file_rows: every employee placed with the reach of the
// period before, then the tangled ones again with the reach of all earlier
// periods.
func (imp *fileImport) placeRows(ctx context.Context, place func(reach, where string) string) error {
	if err := imp.temp(ctx, "file_rows", place(reachOfPrevious, "")); err != nil {
		return err
	}
	if err := imp.temp(ctx, "tangled", tangled); err != nil {
		return err
	}
	var n int64
	if err := imp.conn.QueryRowContext(ctx, `SELECT count(*) FROM tangled`).Scan(&n); err != nil {
		return fmt.Errorf("count tangled employees: %w", err)
	}
	if n > 0 {
		if err := imp.exec(ctx, `DELETE FROM file_rows WHERE emp IN (SELECT emp FROM tangled)`); err != nil {
			return err
		}
		if err := imp.exec(ctx, `INSERT INTO file_rows BY NAME `+place(reachOfEarlier, " AND ids.emp IN (SELECT emp FROM tangled)")); err != nil {
			return err
		}
	}
	return imp.doneWith(ctx, "tangled")
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
		FROM ev t `+withoutErrors+` WINDOW w AS (PARTITION BY emp, fsd ORDER BY d, line)`)
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
// except with case numbers, where a row alone in its case starts it and
// the others take it from the case they belong to (a gap's case has none).
func (imp *fileImport) segments() string {
	from, kind, spans := imp.acceptedRows(), "", "valid_to IS NULL OR valid_to > valid_from"
	if imp.profile.Layout == "events" {
		kind, spans = ", kind", "coalesce(kind, '') <> 'recovered' AND ("+spans+")"
	} else if imp.rawCol("case_ref") != "" {
		from = `(SELECT emp, s AS fsd, s, e, pct FROM ` + from + ` WHERE r.alone
			UNION ALL
			SELECT emp, fsd, s, e, pct FROM file_rows r JOIN (SELECT emp, case_key, first_sick_day AS fsd FROM file_cases WHERE NOT rejected AND NOT alone) USING (emp, case_key) WHERE NOT r.alone)`
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
		JOIN parsed q ON q.employee_id = p.employee_id AND q.%[2]s IS NOT DISTINCT FROM p.%[2]s
		JOIN %[1]s t ON t.line = q.__line
		WHERE e.reason <> %[3]s AND NOT EXISTS (SELECT 1 FROM errs e2 WHERE e2.line = t.line)
		GROUP BY t.line`, table, parsedKey, sqlparts.Quote(duplicateReason)))
}
