package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"time"
)

// acceptedLines counts the input rows that the import writes, from the very
// tables it writes them from.
var acceptedLines = map[Kind]string{
	KindAbsence: `SELECT count(DISTINCT r.line) FROM file_rows r JOIN file_cases c USING (emp, case_key)
		WHERE NOT c.rejected AND NOT EXISTS (SELECT 1 FROM errs e WHERE e.line = r.line)`,
	KindEmployment:   `SELECT count(*) FROM emp_ok`,
	KindIntervention: `SELECT count(*) FROM iv_ok`,
	KindMilestone:    `SELECT count(*) FROM ms_ok`,
}

// collectErrors counts the outcome and hands every rejected row to onRejects.
// Accepted is what is stored, never read minus rejected: every row read must
// be accepted, rejected or a duplicate, or the file was not read as it is and
// nothing of it is imported.
func (imp *importer) collectErrors(ctx context.Context, onRejects func([]RowError) error) error {
	res := imp.res
	err := imp.conn.QueryRowContext(ctx, `SELECT count(DISTINCT line) FILTER (reason <> $1), count(*) FILTER (reason = $1) FROM errs`, duplicateReason).
		Scan(&res.Rejected, &res.Duplicate)
	if err != nil {
		return fmt.Errorf("count rejects: %w", err)
	}
	if err := imp.conn.QueryRowContext(ctx, acceptedLines[imp.profile.Kind]).Scan(&res.Accepted); err != nil {
		return fmt.Errorf("count accepted rows: %w", err)
	}
	if lost := res.Read - res.Accepted - res.Rejected - res.Duplicate; lost != 0 {
		return badFile{fmt.Errorf("of its %d rows, %d were neither imported nor rejected: the file could not be read as it is (check its line endings, quotes and header), so nothing was imported", res.Read, lost)}
	}
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

// afterParseHook, set by tests only, runs once DuckDB has read the file into
// the table parsed: a test removes a row there to stand for a reader that
// loses one.
var afterParseHook func(ctx context.Context, conn *sql.Conn) error

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
	statements := append(imp.replacementWrites(res.ImportID), fmt.Sprintf(`INSERT INTO import_errors SELECT %d, line, column_name, raw_value, reason FROM errs WHERE reason <> %s`, res.ImportID, sqlString(duplicateReason)))
	for _, q := range statements {
		if _, err = tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("write: %w", err)
		}
	}
	if imp.store.beforeCommit != nil {
		imp.store.beforeCommit()
	}
	return tx.Commit()
}
