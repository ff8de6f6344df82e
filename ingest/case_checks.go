package ingest

import (
	"context"
	"fmt"
)

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
	// always shows the same one): each check finds a case at most once, so
	// its rows take the reasons rank by rank, skipping the rows that have
	// one. Picking the first reason per case by grouping the problems held
	// them all in memory at once, and ran out of it when most cases fail
	// (grouping the rows would hold a reason per row of the file).
	for rank := 1; rank <= 3; rank++ {
		err = imp.exec(ctx, `INSERT INTO errs
			SELECT r.line, NULL, NULL, c.reason
			FROM case_problems c JOIN file_rows r USING (emp, case_key)
			WHERE c.rank = ? AND NOT EXISTS (SELECT 1 FROM errs e WHERE e.line = r.line)`, rank)
		if err != nil {
			return err
		}
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
