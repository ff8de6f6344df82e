package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ImportRecord is one row of the import history.
type ImportRecord struct {
	ID int64
	// EmployerID and Employer name the employer the import belongs to;
	// zero and "" for a purge over every employer.
	EmployerID                                         int64
	Employer                                           string
	File, Profile, Kind, Source, Mode, Status, Message string
	ExtractDate, StartedAt, FinishedAt                 time.Time
	Read, Accepted, Rejected, Duplicate                int64
	// Undoable: a committed import of data that is the latest of its kind
	// and source (Undo checks the rest).
	Undoable bool
}

// importColumns select an ImportRecord from imports (alias i).
const importColumns = `i.import_id, coalesce(i.employer_id, 0), coalesce((SELECT name FROM employers e WHERE e.employer_id = i.employer_id), ''), i.file_name, i.profile, i.kind, i.source, i.mode, i.status, coalesce(i.message, ''),
	i.extract_date, i.started_at, i.finished_at, i.rows_read, i.rows_accepted, i.rows_rejected, i.rows_duplicate,
	i.status = 'committed' AND i.kind IN ('absence', 'employment', 'intervention', 'milestone')
		AND NOT EXISTS (SELECT 1 FROM imports l WHERE l.kind = i.kind AND l.source = i.source AND l.employer_id = i.employer_id AND l.import_id > i.import_id AND l.status = 'committed')
		AND NOT EXISTS (SELECT 1 FROM purges p JOIN imports pi USING (import_id) WHERE p.cutoff > i.finished_at
			AND (pi.employer_id IS NULL OR pi.employer_id = i.employer_id))`

// SourceWords names the import's source, and its employer unless that is
// the default one: `source "afas"`, `source "afas" of employer "Bakkerij"`.
func (r ImportRecord) SourceWords() string {
	if r.EmployerID == DefaultEmployerID || r.EmployerID == 0 {
		return fmt.Sprintf("source %q", r.Source)
	}
	return fmt.Sprintf("source %q of employer %q", r.Source, r.Employer)
}

func scanImport(row interface{ Scan(...any) error }) (ImportRecord, error) {
	var r ImportRecord
	err := row.Scan(&r.ID, &r.EmployerID, &r.Employer, &r.File, &r.Profile, &r.Kind, &r.Source, &r.Mode, &r.Status, &r.Message, &r.ExtractDate, &r.StartedAt, &r.FinishedAt,
		&r.Read, &r.Accepted, &r.Rejected, &r.Duplicate, &r.Undoable)
	return r, err
}

// Imports lists the import history, newest first.
func (s *Store) Imports(ctx context.Context, limit int) ([]ImportRecord, error) {
	return s.EmployerImports(ctx, 0, limit)
}

// EmployerImports lists the import history of one employer (0: of every
// employer, purges over all of them included), newest first.
func (s *Store) EmployerImports(ctx context.Context, employerID int64, limit int) ([]ImportRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+importColumns+` FROM imports i WHERE $1 = 0 OR i.employer_id = $1 ORDER BY i.import_id DESC LIMIT $2`, employerID, limit)
	if err != nil {
		return nil, fmt.Errorf("read import history: %w", err)
	}
	defer rows.Close()
	var out []ImportRecord
	for rows.Next() {
		r, err := scanImport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ImportByID is import id of the history; ErrNoImport when there is none.
func (s *Store) ImportByID(ctx context.Context, id int64) (ImportRecord, error) {
	r, err := scanImport(s.db.QueryRowContext(ctx, `SELECT `+importColumns+` FROM imports i WHERE i.import_id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("import %d: %w", id, ErrNoImport)
	}
	return r, err
}

// RowError is one rejected input row: where it is and why.
type RowError struct {
	File   string `csv:"file"`
	Line   int64  `csv:"line"`
	Column string `csv:"column"`
	Value  string `csv:"value"`
	Reason string `csv:"reason"`
}

func (e RowError) String() string {
	where := fmt.Sprintf("%s line %d", e.File, e.Line)
	if e.Column != "" {
		where += fmt.Sprintf(", column %q", e.Column)
	}
	if e.Value != "" {
		return fmt.Sprintf("%s: %s (value %q)", where, e.Reason, e.Value)
	}
	return fmt.Sprintf("%s: %s", where, e.Reason)
}

// PreviousImport finds the employer's committed import of a file with the
// same content (SHA-256); ok is false when there is none. An import asks it holding the
// writer lock, so the same file dropped twice at once is imported once.
func (s *Store) PreviousImport(ctx context.Context, employerID int64, sha256 string) (id int64, at time.Time, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT import_id, finished_at FROM imports WHERE content_sha256 = ? AND employer_id = ? AND status = 'committed' ORDER BY import_id LIMIT 1`, sha256, employerID).Scan(&id, &at)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, time.Time{}, false, nil
	case err != nil:
		return 0, time.Time{}, false, fmt.Errorf("read import ledger: %w", err)
	}
	return id, at, true, nil
}

// RecordFailure notes a failed import in the history, with its cause. An
// import records its own failure (package ingest); no caller needs to.
func (s *Store) RecordFailure(ctx context.Context, e Entry, cause error) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO imports (file_name, content_sha256, profile, kind, source, mode, extract_date, started_at, finished_at,
		rows_read, rows_accepted, rows_rejected, rows_duplicate, status, message, employer_id)
		VALUES (?, '', ?, ?, '', '', current_date, now(), now(), ?, 0, ?, ?, 'failed', ?, ?)`,
		e.File, e.Profile, e.Kind, e.Read, e.Rejected, e.Duplicate, cause.Error(), e.employer())
	return err
}

// ErrNoImport is returned (wrapped) for an import number the history lacks.
var ErrNoImport = errors.New("no such import")

// RejectedRows lists the rejected rows of a committed import, in line order.
func (s *Store) RejectedRows(ctx context.Context, importID int64) ([]RowError, error) {
	var file string
	err := s.db.QueryRowContext(ctx, `SELECT file_name FROM imports WHERE import_id = ?`, importID).Scan(&file)
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("import %d: %w", importID, ErrNoImport)
	}
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT line, coalesce(column_name, ''), coalesce(raw_value, ''), reason
		FROM import_errors WHERE import_id = ? ORDER BY line, column_name`, importID)
	if err != nil {
		return nil, fmt.Errorf("read rejected rows: %w", err)
	}
	defer rows.Close()
	var out []RowError
	for rows.Next() {
		e := RowError{File: file}
		if err := rows.Scan(&e.Line, &e.Column, &e.Value, &e.Reason); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// DataVersion changes whenever an import commits, so cached figures can be
// keyed by it.
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(import_id), 0) FROM imports WHERE status = 'committed'`).Scan(&v)
	return v, err
}

// ImportTotals sums up the ledger, for monitoring.
type ImportTotals struct {
	Committed, Failed             int64
	Accepted, Rejected, Duplicate int64
	LastSuccess                   time.Time
}

// ImportTotals counts imports and rows over the whole ledger. An import
// undone later still counts as committed: the totals are counters and never
// go down.
func (s *Store) ImportTotals(ctx context.Context) (ImportTotals, error) {
	var t ImportTotals
	var last sql.NullTime
	err := s.db.QueryRowContext(ctx, `SELECT
			count(*) FILTER (landed), count(*) FILTER (status = 'failed'),
			coalesce(sum(rows_accepted) FILTER (landed), 0)::BIGINT,
			coalesce(sum(rows_rejected) FILTER (landed), 0)::BIGINT,
			coalesce(sum(rows_duplicate) FILTER (landed), 0)::BIGINT,
			max(finished_at) FILTER (landed)
		FROM (SELECT *, status IN ('committed', 'undone') AS landed FROM imports WHERE kind NOT IN ('purge', 'undo'))`).
		Scan(&t.Committed, &t.Failed, &t.Accepted, &t.Rejected, &t.Duplicate, &last)
	t.LastSuccess = last.Time
	return t, err
}
