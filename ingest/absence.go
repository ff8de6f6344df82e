package ingest

import (
	"context"
	"fmt"
)

// Absence files become cases in two steps: the layout's rows are folded into
// cases (file_cases) with their segments (file_segments) and the lines they
// came from (case_lines); then checks that need whole cases (overlaps, an
// employment on the first sick day) reject whole cases.

func (imp *importer) buildCases(ctx context.Context) error {
	if err := imp.pseudonymiseIDs(ctx); err != nil {
		return err
	}
	var err error
	if imp.profile.Layout == "events" {
		err = imp.casesFromEvents(ctx)
	} else {
		err = imp.casesFromPeriods(ctx)
	}
	if err != nil {
		return err
	}
	if err := imp.checkCases(ctx); err != nil {
		return err
	}
	return imp.conn.QueryRowContext(ctx, `SELECT count(*) FROM file_cases WHERE NOT rejected`).Scan(&imp.res.Cases)
}

// pseudonymiseIDs computes each distinct personnel number's pseudonym once.
func (imp *importer) pseudonymiseIDs(ctx context.Context) error {
	return imp.temp(ctx, "ids", `SELECT employee_id AS raw_emp, pseudonym(employee_id) AS emp
		FROM (SELECT DISTINCT employee_id FROM parsed WHERE employee_id IS NOT NULL)`)
}

// okRows is the FROM clause of the parsed rows that are neither duplicates
// nor rejected, with the pseudonym joined in.
const okRows = `parsed p JOIN ids ON ids.raw_emp = p.employee_id
	WHERE NOT p.duplicate AND NOT EXISTS (SELECT 1 FROM errs e WHERE e.line = p.__line)`

// absentPct is the percentage absent of a row, whichever way the file says it.
func (imp *importer) absentPct() string {
	if imp.profile.Percentage == "present" {
		return "(100 - p.absence_pct)"
	}
	return "p.absence_pct"
}

func (imp *importer) casesFromEvents(ctx context.Context) error {
	recovered := "p.event_date"
	if imp.profile.RecoveryDate == "last_sick_day" {
		recovered = "p.event_date + 1"
	}
	pct := imp.absentPct()
	err := imp.temp(ctx, "ev", fmt.Sprintf(`SELECT p.__line AS line, p.employee_id AS raw_emp, ids.emp, p.first_sick_day AS fsd,
			CASE WHEN kind = 'recovered' THEN %s ELSE p.event_date END AS d, kind,
			CASE WHEN p.event = 'sick' THEN coalesce(%s, 100) ELSE %s END AS pct,
			coalesce(p.absence_type, 'sickness') AS absence_type, p.end_reason
		FROM (SELECT *, CASE WHEN event = 'partial' AND %s = 0 THEN 'recovered' ELSE event END AS kind FROM parsed p) p
		JOIN ids ON ids.raw_emp = p.employee_id
		WHERE NOT p.duplicate AND NOT EXISTS (SELECT 1 FROM errs e WHERE e.line = p.__line)`,
		recovered, pct, pct, pct))
	if err != nil {
		return err
	}
	err = imp.applyRowChecks(ctx, "ev", []rowCheck{
		{"d < fsd AND kind <> 'recovered'", "event_date", "strftime(d, '%Y-%m-%d')", "'date is before the first sick day ' || strftime(fsd, '%Y-%m-%d')"},
		{"kind = 'recovered' AND d <= fsd", "event_date", "strftime(d, '%Y-%m-%d')", "'the recovery date must be after the first sick day ' || strftime(fsd, '%Y-%m-%d')"},
		{"kind = 'partial' AND pct IS NULL", "absence_pct", "NULL", "'a partial recovery needs a percentage'"},
		{"kind = 'sick' AND pct = 0", "absence_pct", "'0'", "'a sick report with 0% absent is not an absence'"},
		{fmt.Sprintf("fsd > DATE '%s'", imp.extract.Format("2006-01-02")), "first_sick_day", "strftime(fsd, '%Y-%m-%d')", "'the first sick day is after the extract date " + imp.extract.Format("2006-01-02") + "'"},
	})
	if err != nil {
		return err
	}
	if err := imp.rejectRestOfCase(ctx, "ev", "fsd", "first_sick_day"); err != nil {
		return err
	}
	// Rows after the (first) full recovery of a case contradict it.
	err = imp.exec(ctx, `INSERT INTO errs
		SELECT line, NULL, strftime(d, '%Y-%m-%d'), 'comes after the full recovery of this case on ' || strftime(rec_d, '%Y-%m-%d')
		FROM (SELECT *,
				min(CASE WHEN kind = 'recovered' THEN ord END) OVER c AS rec_ord,
				min(CASE WHEN kind = 'recovered' THEN d END) OVER c AS rec_d
			FROM (SELECT *, row_number() OVER (PARTITION BY emp, fsd ORDER BY d, line) AS ord FROM ev t
				WHERE NOT EXISTS (SELECT 1 FROM errs e WHERE e.line = t.line))
			WINDOW c AS (PARTITION BY emp, fsd))
		WHERE ord > rec_ord`)
	if err != nil {
		return err
	}
	if err := imp.temp(ctx, "ev_ok", `SELECT * FROM ev t WHERE NOT EXISTS (SELECT 1 FROM errs e WHERE e.line = t.line)`); err != nil {
		return err
	}
	err = imp.temp(ctx, "file_cases", `SELECT emp, fsd AS first_sick_day,
			max(CASE WHEN kind = 'recovered' THEN d END) AS recovery_date,
			arg_min(absence_type, d) AS absence_type,
			max(CASE WHEN kind = 'recovered' THEN end_reason END) AS end_reason,
			min(d) AS first_event, any_value(raw_emp) AS raw_emp, false AS rejected
		FROM ev_ok GROUP BY emp, fsd`)
	if err != nil {
		return err
	}
	if err := imp.temp(ctx, "case_lines", `SELECT emp, fsd AS first_sick_day, line FROM ev_ok`); err != nil {
		return err
	}
	// A segment runs from its event to the next one; a case whose first row
	// comes after the first sick day is absent fully until then (synthetic).
	return imp.temp(ctx, "file_segments", `
		SELECT emp, fsd AS first_sick_day, valid_from, valid_to, pct AS absence_pct, false AS synthetic FROM (
			SELECT emp, fsd, kind, d AS valid_from, lead(d) OVER (PARTITION BY emp, fsd ORDER BY d, line) AS valid_to, pct FROM ev_ok)
		WHERE kind <> 'recovered' AND (valid_to IS NULL OR valid_to > valid_from)
		UNION ALL
		SELECT emp, first_sick_day, first_sick_day, first_event, 100, true FROM file_cases WHERE first_event > first_sick_day`)
}

func (imp *importer) casesFromPeriods(ctx context.Context) error {
	end := "p.end_date + 1"
	if imp.profile.PeriodEnd == "day_after" {
		end = "p.end_date"
	}
	err := imp.temp(ctx, "pr", fmt.Sprintf(`SELECT p.__line AS line, p.employee_id AS raw_emp, ids.emp, p.case_ref,
			p.start_date AS s, %s AS e, coalesce(%s, 100) AS pct,
			coalesce(p.absence_type, 'sickness') AS absence_type, p.end_reason
		FROM %s`, end, imp.absentPct(), okRows))
	if err != nil {
		return err
	}
	err = imp.applyRowChecks(ctx, "pr", []rowCheck{
		{"e <= s", "end_date", "strftime(e - 1, '%Y-%m-%d')", "'the end date is before the start date ' || strftime(s, '%Y-%m-%d')"},
		{"pct = 0", "absence_pct", "'0'", "'a period with 0% absent is not an absence; leave the row out'"},
		{fmt.Sprintf("s > DATE '%s'", imp.extract.Format("2006-01-02")), "start_date", "strftime(s, '%Y-%m-%d')", "'the start date is after the extract date " + imp.extract.Format("2006-01-02") + "'"},
	})
	if err != nil {
		return err
	}
	byRef := imp.rawCol("case_ref") != ""
	if byRef {
		if err := imp.rejectRestOfCase(ctx, "pr", "case_ref", "case_ref"); err != nil {
			return err
		}
		// Within one case the periods must follow on from each other.
		err = imp.exec(ctx, `INSERT INTO errs
			SELECT t.line, NULL, t.case_ref, 'the periods of case ' || t.case_ref || ' do not follow on from each other (a gap or overlap at ' || strftime(bad.at, '%Y-%m-%d') || ')'
			FROM pr t JOIN (
				SELECT emp, case_ref, min(s) AS at FROM (
					SELECT *, lag(e) OVER (PARTITION BY emp, case_ref ORDER BY s, line) AS prev_e,
						row_number() OVER (PARTITION BY emp, case_ref ORDER BY s, line) AS ord
					FROM pr x WHERE NOT EXISTS (SELECT 1 FROM errs e WHERE e.line = x.line))
				WHERE ord > 1 AND (prev_e IS NULL OR prev_e <> s)
				GROUP BY emp, case_ref) bad USING (emp, case_ref)
			WHERE NOT EXISTS (SELECT 1 FROM errs e WHERE e.line = t.line)`)
		if err != nil {
			return err
		}
	} else {
		// Without a case number, a period that starts before the previous one
		// ended cannot belong anywhere.
		err = imp.exec(ctx, `INSERT INTO errs
			SELECT line, NULL, strftime(s, '%Y-%m-%d'), 'overlaps the absence period on line ' || prev_line || ' of the same employee'
			FROM (SELECT *, lag(line) OVER w AS prev_line, lag(e) OVER w AS prev_e,
					row_number() OVER w AS ord
				FROM pr x WHERE NOT EXISTS (SELECT 1 FROM errs e WHERE e.line = x.line)
				WINDOW w AS (PARTITION BY emp ORDER BY s, line))
			WHERE ord > 1 AND (prev_e IS NULL OR s < prev_e)`)
		if err != nil {
			return err
		}
	}
	caseKey := "case_ref"
	if !byRef { // a new case starts after every gap
		caseKey = "sum(CASE WHEN prev_e IS NULL OR s > prev_e THEN 1 ELSE 0 END) OVER (PARTITION BY emp ORDER BY s, line)"
	}
	err = imp.temp(ctx, "pr_ok", fmt.Sprintf(`SELECT *, %s AS case_key FROM (
			SELECT *, lag(e) OVER (PARTITION BY emp ORDER BY s, line) AS prev_e
			FROM pr x WHERE NOT EXISTS (SELECT 1 FROM errs e WHERE e.line = x.line))`, caseKey))
	if err != nil {
		return err
	}
	err = imp.temp(ctx, "file_cases", `SELECT emp, min(s) AS first_sick_day, CASE WHEN bool_or(e IS NULL) THEN NULL ELSE max(e) END AS recovery_date,
			arg_min(absence_type, s) AS absence_type, arg_max(end_reason, s) AS end_reason,
			min(s) AS first_event, any_value(raw_emp) AS raw_emp, false AS rejected, case_key
		FROM pr_ok GROUP BY emp, case_key`)
	if err != nil {
		return err
	}
	if err := imp.temp(ctx, "case_lines", `SELECT p.emp, c.first_sick_day, p.line FROM pr_ok p JOIN file_cases c USING (emp, case_key)`); err != nil {
		return err
	}
	return imp.temp(ctx, "file_segments", `SELECT p.emp, c.first_sick_day, p.s AS valid_from, p.e AS valid_to, p.pct AS absence_pct, false AS synthetic
		FROM pr_ok p JOIN file_cases c USING (emp, case_key)`)
}

// rejectRestOfCase rejects the remaining rows of a case one of whose rows was
// rejected: half a case would be wrong data, not less data.
func (imp *importer) rejectRestOfCase(ctx context.Context, table, keyCol, parsedKey string) error {
	return imp.exec(ctx, fmt.Sprintf(`INSERT INTO errs
		SELECT t.line, NULL, NULL, 'not imported because line ' || min(e.line) || ' of the same case was rejected'
		FROM %[1]s t JOIN parsed p ON p.employee_id = t.raw_emp AND p.%[3]s = t.%[2]s AND NOT p.duplicate
		JOIN errs e ON e.line = p.__line
		WHERE NOT EXISTS (SELECT 1 FROM errs e2 WHERE e2.line = t.line)
		GROUP BY t.line`, table, keyCol, parsedKey))
}

// checkCases rejects whole cases that overlap another case of the employee
// (in the file or already stored) or fall outside every employment.
func (imp *importer) checkCases(ctx context.Context) error {
	// Stored cases that this import keeps: a snapshot replaces its source's
	// cases, an increment the cases it names.
	kept := `SELECT employee_id AS emp, first_sick_day, recovery_date FROM absence_cases s WHERE source <> ` + sqlString(imp.profile.Source)
	if imp.profile.Mode == "increment" {
		kept = `SELECT employee_id AS emp, first_sick_day, recovery_date FROM absence_cases s
			WHERE NOT EXISTS (SELECT 1 FROM file_cases f WHERE f.emp = s.employee_id AND f.first_sick_day = s.first_sick_day)`
	}
	err := imp.temp(ctx, "case_problems", fmt.Sprintf(`
		SELECT emp, first_sick_day, 'overlaps another absence case of this employee in the file, which starts ' || strftime(prev_start, '%%Y-%%m-%%d') AS reason
		FROM (SELECT *, max(coalesce(recovery_date, 'infinity'::DATE)) OVER w AS prev_end, max(first_sick_day) OVER w AS prev_start
			FROM file_cases WINDOW w AS (PARTITION BY emp ORDER BY first_sick_day ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))
		WHERE first_sick_day < prev_end
		UNION ALL
		SELECT f.emp, f.first_sick_day, 'overlaps an absence case imported earlier (from another export) starting ' || strftime(min(k.first_sick_day), '%%Y-%%m-%%d')
		FROM file_cases f JOIN (%s) k ON k.emp = f.emp
			AND f.first_sick_day < coalesce(k.recovery_date, 'infinity'::DATE)
			AND k.first_sick_day < coalesce(f.recovery_date, 'infinity'::DATE)
		GROUP BY f.emp, f.first_sick_day
		UNION ALL
		SELECT f.emp, f.first_sick_day, 'no employment for this employee on the first sick day ' || strftime(f.first_sick_day, '%%Y-%%m-%%d') || '; import the employment file first'
		FROM file_cases f WHERE NOT EXISTS (SELECT 1 FROM employments m WHERE m.employee_id = f.emp
			AND m.start_date <= f.first_sick_day AND (m.end_date IS NULL OR m.end_date >= f.first_sick_day))`, kept))
	if err != nil {
		return err
	}
	err = imp.exec(ctx, `INSERT INTO errs
		SELECT l.line, NULL, NULL, any_value(c.reason) FROM case_problems c JOIN case_lines l USING (emp, first_sick_day)
		WHERE NOT EXISTS (SELECT 1 FROM errs e WHERE e.line = l.line) GROUP BY l.line`)
	if err != nil {
		return err
	}
	return imp.exec(ctx, `UPDATE file_cases f SET rejected = true
		WHERE EXISTS (SELECT 1 FROM case_problems c WHERE c.emp = f.emp AND c.first_sick_day = f.first_sick_day)`)
}
