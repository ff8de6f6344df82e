package ingest

import "context"

// buildInterventions validates intervention rows. Linking an intervention to
// the case it belongs to is the analytics' job; here the employee must be known.
func (imp *fileImport) buildInterventions(ctx context.Context) error {
	err := imp.temp(ctx, "iv_rows", `SELECT p.__line AS line, ids.emp, p.intervention_type, p.provider, p.start_date, p.end_date,
			p.sessions, coalesce(p.outcome, CASE WHEN p.end_date IS NULL THEN 'ongoing' END) AS outcome, p.cost, p.payer
		FROM `+okRows)
	if err != nil {
		return err
	}
	err = imp.applyRowChecks(ctx, "iv_rows", []rowCheck{
		{"end_date < start_date", "end_date", "strftime(end_date, '%Y-%m-%d')", "'the end date is before the start date ' || strftime(start_date, '%Y-%m-%d')"},
		{"sessions IS NOT NULL AND (sessions < 0 OR sessions <> round(sessions))", "sessions", "sessions::VARCHAR", "'sessions must be a whole number, 0 or more'"},
		{"cost < 0", "cost", "cost::VARCHAR", "'cost cannot be negative'"},
		{"NOT EXISTS (SELECT 1 FROM employments m WHERE m.employee_key = t.emp AND " + imp.own("m") + ")", "employee_id", "NULL", "coalesce(" + imp.notInEmployments() + ", 'no employment for this employee; import the employment file first')"},
	})
	if err != nil {
		return err
	}
	return imp.temp(ctx, "iv_ok", `SELECT * FROM iv_rows x WHERE NOT EXISTS (SELECT 1 FROM errs e WHERE e.line = x.line)`)
}
