package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/verzuim/absence/ingest/internal/sqlparts"
)

// DefaultKeepYears is how long absence data is kept after an employee's last
// day of employment: the Autoriteit Persoonsgegevens' guideline for
// administrative absence data (DOMAIN.md §4).
const DefaultKeepYears = 2

// PurgeOptions control one retention purge.
type PurgeOptions struct {
	// KeepYears is how many calendar years after the last day of employment
	// the data is kept; 0 means DefaultKeepYears. (Ziektewet
	// eigenrisicodragers keep 5.)
	KeepYears int
	// Today is the day the purge runs as; zero means today.
	Today time.Time
	// DryRun counts what a purge would remove, but removes and logs nothing.
	DryRun bool
	// By says who or what asked for the purge, e.g. "cli:alice" or
	// "schedule"; it is logged.
	By string
	// EmployerID limits the purge to one employer, which may keep its data
	// longer or shorter than the others; 0 purges every employer.
	EmployerID int64
}

// PurgeResult says what a purge removed, or for a dry run would remove.
type PurgeResult struct {
	// EmployerID is the employer purged; 0 for every employer.
	EmployerID int64
	KeepYears  int
	// Cutoff: an employee whose last employment ended before this day, with
	// no current or later contract, is past the retention period.
	Cutoff time.Time
	// Employees past the retention period, and their rows removed per table.
	Employees, Cases, Segments, Interventions, Milestones, Employments int64
	// WithoutEmployment counts employees who have absence data but no
	// employment on record. They are kept: when their employment ended is
	// unknown. Importing the employment file lets the rule apply.
	WithoutEmployment int64
	// RejectedRows are the stored rejected rows of imports older than the
	// cutoff: they may quote what a file held, so they expire too.
	RejectedRows int64
	// Replaced counts the rows kept for undo (the replaced_ tables) that
	// were removed: those of the employees purged, and those replaced by
	// imports older than the cutoff, which can no longer be undone.
	Replaced int64
	// PurgeID is the purge's row in the import history; 0 for a dry run.
	PurgeID int64
	DryRun  bool
}

// String is the one-line summary written to the import history.
func (r PurgeResult) String() string {
	if r.Employees == 0 {
		return fmt.Sprintf("no employee's data is past the retention period (%d years after the last day of employment; cutoff %s); nothing removed",
			r.KeepYears, r.Cutoff.Format(time.DateOnly))
	}
	s := fmt.Sprintf("removed the data of %s whose last employment ended before %s (kept %d years): %s, %s, %s, %s, %s",
		countOf(r.Employees, "employee", "employees"), r.Cutoff.Format(time.DateOnly), r.KeepYears,
		countOf(r.Cases, "absence case", "absence cases"), countOf(r.Segments, "case period", "case periods"),
		countOf(r.Interventions, "intervention", "interventions"), countOf(r.Milestones, "milestone", "milestones"),
		countOf(r.Employments, "employment record", "employment records"))
	if r.Replaced > 0 {
		s += fmt.Sprintf("; and %s kept for undoing imports", countOf(r.Replaced, "replaced row", "replaced rows"))
	}
	return s
}

func countOf(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// purgeTables are the tables a purge removes an employee's rows from, in the
// order it does: employments last, since they decide who is purged.
var purgeTables = []string{"case_segments", "milestones", "interventions", "absence_cases", "employments"}

// Purge removes all data of the employees whose last employment ended more
// than the retention period ago: their absence cases with the case periods,
// interventions, milestones, and their employment records. An employee still
// employed, or with a contract that ended within the period, keeps everything.
// It runs in one transaction and logs itself in the import history (kind
// 'purge', with the counts in the message) and in the purges table.
//
// Re-importing a file that was imported before the purge is a no-op (the
// ledger knows its content hash), so that brings nothing back. A newer export
// that still lists a purged employee would; so once a purge has run, every
// import leaves out the employees its rule puts past the retention period
// (RetentionCutoff; package ingest). Purges themselves run only when the
// operator asks or schedules them.
func (s *Store) Purge(ctx context.Context, opt PurgeOptions) (PurgeResult, error) {
	if err := s.writable(); err != nil {
		return PurgeResult{}, err
	}
	keep := opt.KeepYears
	if keep == 0 {
		keep = DefaultKeepYears
	}
	if keep < 0 {
		return PurgeResult{}, fmt.Errorf("purge: keep %d years is not possible; give a positive number", keep)
	}
	today := opt.Today
	if today.IsZero() {
		today = time.Now()
	}
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	res := PurgeResult{EmployerID: opt.EmployerID, KeepYears: keep, Cutoff: cutoff(today, keep), DryRun: opt.DryRun}

	if !opt.DryRun {
		// One writer at a time, as for imports.
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return res, fmt.Errorf("purge: %w", err)
	}
	defer conn.Close()
	started := time.Now()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("purge: %w", err)
	}
	defer tx.Rollback() // a no-op after Commit; a dry run ends here

	if err := countPurge(ctx, tx, &res); err != nil || opt.DryRun {
		return res, err
	}
	if err := removePurged(ctx, tx, &res); err != nil {
		return res, err
	}
	by := opt.By
	if by == "" {
		by = "unknown"
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO imports (file_name, content_sha256, profile, kind, source, mode, extract_date, started_at, finished_at,
			rows_read, rows_accepted, rows_rejected, rows_duplicate, status, message, employer_id)
		VALUES ('retention purge', ?, '', 'purge', '', '', ?, ?, now(), 0, 0, 0, 0, 'committed', ?, ?) RETURNING import_id`,
		"purge-"+started.UTC().Format(time.RFC3339Nano), today, started, res.String()+"; requested by "+by,
		sql.NullInt64{Int64: opt.EmployerID, Valid: opt.EmployerID != 0}).Scan(&res.PurgeID)
	if err != nil {
		return res, fmt.Errorf("purge: write the import history: %w (nothing was removed)", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO purges VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, res.PurgeID, keep, res.Cutoff, by,
		res.Employees, res.Cases, res.Segments, res.Interventions, res.Milestones, res.Employments)
	if err != nil {
		return res, fmt.Errorf("purge: write the purge log: %w (nothing was removed)", err)
	}
	if err := tx.Commit(); err != nil {
		res.PurgeID = 0
		return res, fmt.Errorf("purge: %w (nothing was removed)", err)
	}
	s.committed() // cached figures must not show purged data
	return res, nil
}

// cutoff is the first day of employment that is still kept: an employee
// whose employments all ended before it is past the retention period.
func cutoff(today time.Time, keepYears int) time.Time { return today.AddDate(-keepYears, 0, 0) }

// countPurge finds the employees past the retention period (the temp table
// purge_employees, rolled back or dropped with the transaction, so nothing
// lingers on the pooled connection) and counts what a purge removes.
func countPurge(ctx context.Context, tx *sql.Tx, res *PurgeResult) error {
	of := res.ofEmployer()
	_, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE purge_employees AS
		SELECT employee_key FROM employments WHERE `+of+` GROUP BY employee_key
		HAVING count(*) = count(end_date) AND max(end_date) < `+sqlparts.Date(res.Cutoff))
	if err != nil {
		return fmt.Errorf("purge: find employees past the retention period: %w", err)
	}
	var sel, replaced []string
	for _, t := range purgeTables {
		sel = append(sel, fmt.Sprintf(`(SELECT count(*) FROM %s WHERE employee_key IN (SELECT employee_key FROM purge_employees))`, t))
		replaced = append(replaced, fmt.Sprintf(`(SELECT count(*) FROM replaced_%s WHERE %s)`, t, res.expiredReplaced()))
	}
	err = tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM purge_employees), `+strings.Join(sel, ", ")+`,
		(SELECT count(*) FROM (SELECT employee_key FROM absence_cases WHERE `+of+` UNION SELECT employee_key FROM case_segments WHERE `+of+`
			UNION SELECT employee_key FROM interventions WHERE `+of+` UNION SELECT employee_key FROM milestones WHERE `+of+`) d
		 WHERE NOT EXISTS (SELECT 1 FROM employments m WHERE m.employee_key = d.employee_key)), `+strings.Join(replaced, " + ")).
		Scan(append(append([]any{&res.Employees}, anys(res.tableCounts())...), &res.WithoutEmployment, &res.Replaced)...)
	if err != nil {
		return fmt.Errorf("purge: count what is past the retention period: %w", err)
	}
	return nil
}

// tableCounts are the counts of rows removed, in the order of purgeTables.
func (r *PurgeResult) tableCounts() []*int64 {
	return []*int64{&r.Segments, &r.Milestones, &r.Interventions, &r.Cases, &r.Employments}
}

// removePurged removes what countPurge counted. The counts are what the log
// and the user are told; within one transaction they cannot differ, and if
// they ever do, nothing is removed rather than something unreported.
func removePurged(ctx context.Context, tx *sql.Tx, res *PurgeResult) error {
	counts := res.tableCounts()
	for i, t := range purgeTables {
		r, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s WHERE employee_key IN (SELECT employee_key FROM purge_employees)`, t))
		if err != nil {
			return fmt.Errorf("purge: remove from %s: %w (nothing was removed)", t, err)
		}
		if n, err := r.RowsAffected(); err == nil && n != *counts[i] {
			return fmt.Errorf("purge: %s: removed %d rows where %d were counted (nothing was removed)", t, n, *counts[i])
		}
	}
	var replacedRemoved int64
	for _, t := range purgeTables {
		r, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM replaced_%s WHERE %s`, t, res.expiredReplaced()))
		if err != nil {
			return fmt.Errorf("purge: remove from replaced_%s: %w (nothing was removed)", t, err)
		}
		n, _ := r.RowsAffected()
		replacedRemoved += n
	}
	if replacedRemoved != res.Replaced {
		return fmt.Errorf("purge: removed %d replaced rows where %d were counted (nothing was removed)", replacedRemoved, res.Replaced)
	}
	r, err := tx.ExecContext(ctx, `DELETE FROM import_errors WHERE import_id IN (SELECT import_id FROM imports WHERE finished_at < ? AND `+res.ofEmployer()+`)`, res.Cutoff)
	if err != nil {
		return fmt.Errorf("purge: remove old rejected rows: %w (nothing was removed)", err)
	}
	res.RejectedRows, _ = r.RowsAffected()
	// The keys no row names any more go, with their pseudonyms, which are
	// personal data too: those of the purged employees, and of employees
	// whose only import was undone.
	if _, err := tx.ExecContext(ctx, `DELETE FROM employees WHERE `+res.ofEmployer()+` AND employee_key NOT IN (`+keyedRows()+`)`); err != nil {
		return fmt.Errorf("purge: remove the purged employees' keys: %w (nothing was removed)", err)
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE purge_employees`); err != nil {
		return fmt.Errorf("purge: %w (nothing was removed)", err)
	}
	return nil
}

// RetentionCutoff is the cutoff, on the given day, of the rule of the
// latest purge of the employer (of it alone, or of every employer): an
// employee whose employments all ended before it is past the retention
// period. ok is false before the first such purge, when no rule applies
// yet. Imports use it to leave such employees out, so a newer export
// cannot bring back what a purge removed.
func (s *Store) RetentionCutoff(ctx context.Context, employerID int64, today time.Time) (day time.Time, keepYears int, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT p.keep_years FROM purges p JOIN imports i USING (import_id)
		WHERE `+purgeOf("i", "?")+` ORDER BY p.import_id DESC LIMIT 1`, employerID).Scan(&keepYears)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return time.Time{}, 0, false, nil
	case err != nil:
		return time.Time{}, 0, false, fmt.Errorf("read the purge log: %w", err)
	}
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	return cutoff(today, keepYears), keepYears, true, nil
}

// PurgeRecord is one row of the purge log.
type PurgeRecord struct {
	ID        int64 // the purge's row in the import history
	At        time.Time
	KeepYears int
	Cutoff    time.Time
	By        string
	// Rows removed, as in PurgeResult.
	Employees, Cases, Segments, Interventions, Milestones, Employments int64
}

// Purges lists the purge log, newest first.
func (s *Store) Purges(ctx context.Context, limit int) ([]PurgeRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.import_id, i.finished_at, p.keep_years, p.cutoff, p.requested_by, p.employees,
			p.absence_cases, p.case_segments, p.interventions, p.milestones, p.employments
		FROM purges p JOIN imports i USING (import_id) ORDER BY p.import_id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("read purge log: %w", err)
	}
	defer rows.Close()
	var out []PurgeRecord
	for rows.Next() {
		var r PurgeRecord
		if err := rows.Scan(&r.ID, &r.At, &r.KeepYears, &r.Cutoff, &r.By, &r.Employees,
			&r.Cases, &r.Segments, &r.Interventions, &r.Milestones, &r.Employments); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// expiredReplaced selects the rows kept for undo that the retention rule
// removes: those of the employees purged, and those replaced by the
// employer's imports older than the cutoff (which can then no longer be
// undone, see Undo).
func (r PurgeResult) expiredReplaced() string {
	return `employee_key IN (SELECT employee_key FROM purge_employees)
		OR replaced_by_import IN (SELECT import_id FROM imports WHERE finished_at < ` + sqlparts.Date(r.Cutoff) + ` AND ` + r.ofEmployer() + `)`
}

// ofEmployer is the condition on a row's employer_id of the purge's
// employer ("true" for every employer).
func (r PurgeResult) ofEmployer() string {
	if r.EmployerID == 0 {
		return "true"
	}
	return fmt.Sprintf("employer_id = %d", r.EmployerID)
}

// purgeOf is the condition that the purge whose ledger row is alias i
// applies to the employer employer (an SQL expression): it purged that
// employer, or every employer.
func purgeOf(i, employer string) string {
	return fmt.Sprintf("(%[1]s.employer_id IS NULL OR %[1]s.employer_id = %[2]s)", i, employer)
}

// keyedRows selects the employee key of every row that names one, live
// or kept for undo.
func keyedRows() string {
	sel := make([]string, len(keyedTables))
	for i, t := range keyedTables {
		sel[i] = "SELECT employee_key FROM " + t[0]
	}
	return strings.Join(sel, " UNION ALL ")
}

func anys(ps []*int64) []any {
	out := make([]any, len(ps))
	for i, p := range ps {
		out[i] = p
	}
	return out
}
