package ingest

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/verzuim/absence/ingest/internal/sqlparts"
	"github.com/verzuim/absence/ingest/storage"
)

// acceptedLines counts the input rows that the import writes, from the very
// tables it writes them from.
func (imp *fileImport) acceptedLines() string {
	switch imp.profile.Kind {
	case KindAbsence:
		return `SELECT count(*) FROM ` + imp.acceptedRows()
	case KindEmployment:
		return `SELECT count(*) FROM emp_ok`
	case KindIntervention:
		return `SELECT count(*) FROM iv_ok`
	}
	return `SELECT count(*) FROM ms_ok`
}

// collectErrors counts the outcome and hands every rejected row to onRejects.
// Accepted is what is stored, never read minus rejected: every row read must
// be accepted, rejected, a duplicate or left out as past the retention
// period, or the file was not read as it is and nothing of it is imported.
func (imp *fileImport) collectErrors(ctx context.Context, onRejects func([]storage.RowError) error) error {
	res := imp.res
	err := imp.conn.QueryRowContext(ctx, `SELECT count(DISTINCT line) FILTER (reason NOT IN ($1, $2)), count(*) FILTER (reason = $1),
			count(DISTINCT line) FILTER (reason = $2) FROM errs`, duplicateReason, pastRetentionReason).
		Scan(&res.Rejected, &res.Duplicate, &res.PastRetention)
	if err != nil {
		return fmt.Errorf("count rejects: %w", err)
	}
	if err := imp.conn.QueryRowContext(ctx, imp.acceptedLines()).Scan(&res.Accepted); err != nil {
		return fmt.Errorf("count accepted rows: %w", err)
	}
	if lost := res.Read - res.Accepted - res.Rejected - res.Duplicate - res.PastRetention; lost != 0 {
		return badFile{fmt.Errorf("of its %d rows, %d were neither imported nor rejected: the file could not be read as it is (check its line endings, quotes and header), so nothing was imported", res.Read, lost)}
	}
	// The rows the commit stores as rejected (storage.Session.CommitImport).
	err = imp.temp(ctx, "rejected_rows", `SELECT line, column_name, raw_value, reason FROM errs WHERE reason NOT IN (`+
		sqlparts.Quote(duplicateReason)+`, `+sqlparts.Quote(pastRetentionReason)+`)`)
	if err != nil {
		return err
	}
	query := `SELECT line, coalesce(column_name, ''), coalesce(raw_value, ''), reason FROM rejected_rows ORDER BY line, column_name`
	if onRejects == nil { // only the first ones, for the result
		query += fmt.Sprintf(" LIMIT %d", maxErrorsInResult)
	}
	rows, err := imp.conn.QueryContext(ctx, query)
	if err != nil {
		return fmt.Errorf("read rejects: %w", err)
	}
	defer rows.Close()
	name := filepath.Base(imp.src.Path)
	var batch []storage.RowError
	for rows.Next() {
		e := storage.RowError{File: name}
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
