package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ImportRecord is one row of the import history.
type ImportRecord struct {
	ID                                   int64
	File, Profile, Kind, Status, Message string
	ExtractDate, StartedAt, FinishedAt   time.Time
	Read, Accepted, Rejected, Duplicate  int64
}

// Imports lists the import history, newest first.
func (s *Store) Imports(ctx context.Context, limit int) ([]ImportRecord, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT import_id, file_name, profile, kind, status, coalesce(message, ''),
			extract_date, started_at, finished_at, rows_read, rows_accepted, rows_rejected, rows_duplicate
		FROM imports ORDER BY import_id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("read import history: %w", err)
	}
	defer rows.Close()
	var out []ImportRecord
	for rows.Next() {
		var r ImportRecord
		if err := rows.Scan(&r.ID, &r.File, &r.Profile, &r.Kind, &r.Status, &r.Message, &r.ExtractDate, &r.StartedAt, &r.FinishedAt,
			&r.Read, &r.Accepted, &r.Rejected, &r.Duplicate); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ErrNoImport is returned (wrapped) for an import number the history lacks.
var ErrNoImport = errors.New("no such import")

// RejectedRows lists the rejected rows of a committed import, in line order.
func (s *Store) RejectedRows(ctx context.Context, importID int64) ([]RowError, error) {
	var file string
	err := s.DB.QueryRowContext(ctx, `SELECT file_name FROM imports WHERE import_id = ?`, importID).Scan(&file)
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("import %d: %w", importID, ErrNoImport)
	}
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT line, coalesce(column_name, ''), coalesce(raw_value, ''), reason
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
	err := s.DB.QueryRowContext(ctx, `SELECT coalesce(max(import_id), 0) FROM imports WHERE status = 'committed'`).Scan(&v)
	return v, err
}

// ImportTotals sums up the ledger, for monitoring.
type ImportTotals struct {
	Committed, Failed             int64
	Accepted, Rejected, Duplicate int64
	LastSuccess                   time.Time
}

// ImportTotals counts imports and rows over the whole ledger.
func (s *Store) ImportTotals(ctx context.Context) (ImportTotals, error) {
	var t ImportTotals
	var last sql.NullTime
	err := s.DB.QueryRowContext(ctx, `SELECT
			count(*) FILTER (status = 'committed'), count(*) FILTER (status = 'failed'),
			coalesce(sum(rows_accepted) FILTER (status = 'committed'), 0)::BIGINT,
			coalesce(sum(rows_rejected) FILTER (status = 'committed'), 0)::BIGINT,
			coalesce(sum(rows_duplicate) FILTER (status = 'committed'), 0)::BIGINT,
			max(finished_at) FILTER (status = 'committed')
		FROM imports WHERE kind <> 'purge'`).
		Scan(&t.Committed, &t.Failed, &t.Accepted, &t.Rejected, &t.Duplicate, &last)
	t.LastSuccess = last.Time
	return t, err
}
