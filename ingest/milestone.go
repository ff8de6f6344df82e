package ingest

import (
	"context"
)

// buildMilestones validates Poortwachter milestone dates. The milestone must
// belong to a stored case of the employee and cannot predate it.
func (imp *fileImport) buildMilestones(ctx context.Context) error {
	err := imp.temp(ctx, "ms_rows", `SELECT p.__line AS line, ids.emp, p.first_sick_day, p.milestone, p.done_date FROM `+okRows)
	if err != nil {
		return err
	}
	err = imp.applyRowChecks(ctx, "ms_rows", []rowCheck{
		{"done_date < first_sick_day", "done_date", "strftime(done_date, '%Y-%m-%d')", "'the date is before the first sick day ' || strftime(first_sick_day, '%Y-%m-%d')"},
		{"done_date > " + imp.extractDate(), "done_date", "strftime(done_date, '%Y-%m-%d')", "'the date is after the extract date'"},
		{"NOT EXISTS (SELECT 1 FROM absence_cases c WHERE c.employee_key = t.emp AND c.first_sick_day = t.first_sick_day AND " + imp.own("c") + ")", "first_sick_day", "strftime(first_sick_day, '%Y-%m-%d')",
			"'no absence case of this employee starts on this first sick day; import the absence file first'"},
	})
	if err != nil {
		return err
	}
	return imp.temp(ctx, "ms_ok", `SELECT * FROM ms_rows t `+withoutErrors)
}
