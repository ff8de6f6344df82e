package ingest

import (
	"context"

	"fmt"
	"os"
	"path/filepath"
	"time"
)

// collectErrors counts the outcome and hands every rejected row to onRejects.
func (imp *importer) collectErrors(ctx context.Context, onRejects func([]RowError) error) error {
	res := imp.res
	err := imp.conn.QueryRowContext(ctx, `SELECT count(DISTINCT line) FILTER (reason <> $1), count(*) FILTER (reason = $1) FROM errs`, duplicateReason).
		Scan(&res.Rejected, &res.Duplicate)
	if err != nil {
		return fmt.Errorf("count rejects: %w", err)
	}
	res.Accepted = res.Read - res.Rejected - res.Duplicate
	rows, err := imp.conn.QueryContext(ctx, `SELECT line, coalesce(column_name, ''), coalesce(raw_value, ''), reason FROM errs WHERE reason <> ? ORDER BY line, column_name`, duplicateReason)
	if err != nil {
		return fmt.Errorf("read rejects: %w", err)
	}
	defer rows.Close()
	name := filepath.Base(imp.src.Path)
	var batch []RowError
	for rows.Next() {
		e := RowError{File: name}
		if err := rows.Scan(&e.Line, &e.Column, &e.Value, &e.Reason); err != nil {
			return err
		}
		if len(res.Errors) < maxErrorsInResult {
			res.Errors = append(res.Errors, e)
		}
		if onRejects == nil {
			continue
		}
		if batch = append(batch, e); len(batch) == 10000 {
			if err := onRejects(batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(batch) > 0 && onRejects != nil {
		return onRejects(batch)
	}
	return nil
}

// noteReplaced tells the user, before and after, what a snapshot replaces:
// everything its source delivered earlier.
func (imp *importer) noteReplaced(ctx context.Context) error {
	if imp.profile.Mode != "snapshot" {
		return nil
	}
	target := map[Kind]struct{ table, what string }{
		KindAbsence:      {"absence_cases", "absence cases"},
		KindEmployment:   {"employments", "employment rows"},
		KindIntervention: {"interventions", "interventions"},
		KindMilestone:    {"milestones", "milestones"},
	}[imp.profile.Kind]
	table, what := target.table, target.what
	var n int64
	if err := imp.conn.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE source = ?`, imp.profile.Source).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		imp.res.Notes = append(imp.res.Notes, fmt.Sprintf("a full export (snapshot) of source %q: it replaces the %d %s imported from that source before", imp.profile.Source, n, what))
	}
	return nil
}

// pauseBeforeCommitEnv lets the crash tests stop a real import inside its
// transaction: the process writes the named file and waits to be killed.
const pauseBeforeCommitEnv = "ABSENCE_TEST_PAUSE_BEFORE_COMMIT"

// commit writes the import in one transaction, ledger row included.
func (imp *importer) commit(ctx context.Context, started time.Time) (err error) {
	tx, err := imp.conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	p, res := imp.profile, imp.res
	err = tx.QueryRowContext(ctx, `INSERT INTO imports (file_name, content_sha256, profile, kind, source, mode, extract_date, started_at, finished_at,
			rows_read, rows_accepted, rows_rejected, rows_duplicate, status)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, now(), ?, ?, ?, ?, 'committed') RETURNING import_id`,
		filepath.Base(imp.src.Path), imp.src.SHA256, p.Name, string(p.Kind), p.Source, p.Mode, imp.extract, started,
		res.Read, res.Accepted, res.Rejected, res.Duplicate).Scan(&res.ImportID)
	if err != nil {
		return fmt.Errorf("write ledger: %w", err)
	}
	var statements []string
	switch p.Kind {
	case KindAbsence:
		statements = imp.absenceWrites(res.ImportID)
	case KindEmployment:
		statements = imp.employmentWrites(res.ImportID)
	case KindMilestone:
		statements = imp.milestoneWrites(res.ImportID)
	default:
		statements = imp.interventionWrites(res.ImportID)
	}
	statements = append(statements, fmt.Sprintf(`INSERT INTO import_errors SELECT %d, line, column_name, raw_value, reason FROM errs WHERE reason <> %s`, res.ImportID, sqlString(duplicateReason)))
	for _, q := range statements {
		if _, err = tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("write: %w", err)
		}
	}
	if path := os.Getenv(pauseBeforeCommitEnv); path != "" {
		os.WriteFile(path, []byte("paused"), 0o600)
		time.Sleep(time.Hour)
	}
	return tx.Commit()
}

func (imp *importer) absenceWrites(id int64) []string {
	source := sqlString(imp.profile.Source)
	live := `NOT f.rejected AND f.emp = s.employee_id AND f.first_sick_day = s.first_sick_day`
	insert := []string{
		fmt.Sprintf(`INSERT INTO absence_cases (employee_id, first_sick_day, recovery_date, absence_type, end_reason, vangnet, source, import_id)
			SELECT emp, first_sick_day, recovery_date, absence_type, end_reason, vangnet, %s, %d FROM file_cases WHERE NOT rejected`, source, id),
	}
	if imp.profile.Mode == "snapshot" {
		return append([]string{
			`DELETE FROM case_segments s WHERE EXISTS (SELECT 1 FROM absence_cases c WHERE c.source = ` + source + ` AND c.employee_id = s.employee_id AND c.first_sick_day = s.first_sick_day)`,
			`DELETE FROM absence_cases WHERE source = ` + source,
			`INSERT INTO case_segments SELECT emp, first_sick_day, valid_from, valid_to, absence_pct FROM (` + segmentsSQL + `)`,
		}, insert...)
	}
	// An increment updates a stored case from the file's first row on: what
	// the case held before that date stays.
	return append([]string{
		`CREATE OR REPLACE TEMP TABLE kept_segments AS SELECT s.employee_id, s.first_sick_day, s.valid_from,
				CASE WHEN s.valid_to IS NULL OR s.valid_to > f.first_event THEN f.first_event ELSE s.valid_to END AS valid_to, s.absence_pct
			FROM case_segments s JOIN file_cases f ON ` + live + ` WHERE s.valid_from < f.first_event`,
		`DELETE FROM case_segments s WHERE EXISTS (SELECT 1 FROM file_cases f WHERE ` + live + `)`,
		`DELETE FROM absence_cases s WHERE EXISTS (SELECT 1 FROM file_cases f WHERE ` + live + `)`,
		`INSERT INTO case_segments SELECT * FROM kept_segments`,
		`INSERT INTO case_segments SELECT emp, first_sick_day, valid_from, valid_to, absence_pct FROM (` + segmentsSQL + `) s
			WHERE NOT (s.synthetic AND EXISTS (SELECT 1 FROM kept_segments k WHERE k.employee_id = s.emp AND k.first_sick_day = s.first_sick_day))`,
		`DROP TABLE kept_segments`,
	}, insert...)
}

func (imp *importer) employmentWrites(id int64) []string {
	source := sqlString(imp.profile.Source)
	del := `DELETE FROM employments WHERE source = ` + source
	if imp.profile.Mode == "increment" {
		del = `DELETE FROM employments WHERE employee_id IN (SELECT emp FROM emp_ok)`
	}
	return []string{del, fmt.Sprintf(`INSERT INTO employments SELECT emp, start_date, end_date, department, team, location,
		contract_hours, fulltime_hours, birth_year, gender, %s, %d FROM emp_ok`, source, id)}
}

func (imp *importer) interventionWrites(id int64) []string {
	source := sqlString(imp.profile.Source)
	del := `DELETE FROM interventions WHERE source = ` + source
	if imp.profile.Mode == "increment" {
		del = `DELETE FROM interventions i WHERE EXISTS (SELECT 1 FROM iv_ok n WHERE n.emp = i.employee_id
			AND n.intervention_type = i.intervention_type AND n.start_date = i.start_date)`
	}
	return []string{del, fmt.Sprintf(`INSERT INTO interventions SELECT emp, intervention_type, provider, start_date, end_date,
		sessions::INTEGER, outcome, cost, %s, %d FROM iv_ok`, source, id)}
}
