package ingest

import (
	"context"
	"fmt"
)

// notInEmployments is the reason for a row whose employee has no employment
// at all, naming the last employment file imported for the employer; NULL
// when none was.
func (imp *fileImport) notInEmployments() string {
	return fmt.Sprintf(`(SELECT 'this employee is not in the employment data imported so far (last employment import: '
		|| arg_max(file_name, import_id) || ' on ' || strftime(arg_max(finished_at, import_id), '%%Y-%%m-%%d') || ')'
	FROM imports WHERE kind = 'employment' AND status = 'committed' AND employer_id = %d)`, imp.employer.ID)
}

// buildEmployments validates contract periods. The part-time factor needs
// full-time hours: from a column, from a part-time factor column, or from the
// profile.
func (imp *fileImport) buildEmployments(ctx context.Context) error {
	fulltime := "p.fulltime_hours"
	switch {
	case imp.rawCol("fulltime_hours") != "":
	case imp.rawCol("part_time_factor") != "":
		fulltime = "p.contract_hours / nullif(p.part_time_factor, 0)"
	default:
		fulltime = fmt.Sprint(imp.profile.FulltimeHours)
	}
	err := imp.temp(ctx, "emp_rows", fmt.Sprintf(`SELECT p.__line AS line, ids.emp, p.start_date, p.end_date,
			p.department, p.team, p.location, p.contract_hours, %s AS fulltime_hours, p.part_time_factor,
			coalesce(p.birth_year, year(p.birth_date))::INTEGER AS birth_year, p.gender
		FROM %s`, fulltime, okRows))
	if err != nil {
		return err
	}
	err = imp.applyRowChecks(ctx, "emp_rows", []rowCheck{
		{"end_date < start_date", "end_date", "strftime(end_date, '%Y-%m-%d')", "'the end date is before the start date ' || strftime(start_date, '%Y-%m-%d')"},
		{"NOT contract_hours BETWEEN 0.5 AND 80", "contract_hours", "contract_hours::VARCHAR", "'contract hours per week must be between 0.5 and 80'"},
		{"part_time_factor IS NOT NULL AND NOT part_time_factor BETWEEN 0.01 AND 2", "part_time_factor", "part_time_factor::VARCHAR", "'the part-time factor must be between 0.01 and 2'"},
		{"fulltime_hours IS NULL OR NOT fulltime_hours BETWEEN 1 AND 80", "fulltime_hours", "fulltime_hours::VARCHAR", "'full-time hours per week must be between 1 and 80'"},
		{"birth_year IS NOT NULL AND NOT birth_year BETWEEN 1900 AND year(current_date)", "birth_year", "birth_year::VARCHAR", "'implausible birth year'"},
	})
	if err != nil {
		return err
	}
	// Two contracts of one employee cannot run at the same time.
	err = imp.exec(ctx, `INSERT INTO errs
		SELECT line, NULL, strftime(start_date, '%Y-%m-%d'), 'overlaps the employment on line ' || prev_line || ' of the same employee'
		FROM (SELECT *, lag(line) OVER w AS prev_line,
				max(coalesce(end_date, 'infinity'::DATE)) OVER (PARTITION BY emp ORDER BY start_date, line ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
			FROM emp_rows x WHERE NOT EXISTS (SELECT 1 FROM errs e WHERE e.line = x.line)
			WINDOW w AS (PARTITION BY emp ORDER BY start_date, line))
		WHERE start_date <= prev_end`)
	if err != nil {
		return err
	}
	return imp.temp(ctx, "emp_ok", `SELECT * FROM emp_rows x WHERE NOT EXISTS (SELECT 1 FROM errs e WHERE e.line = x.line)`)
}
