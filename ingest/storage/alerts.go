package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Alert is an alert as it was sent (table sent_alerts): one per event.
type Alert struct {
	Key        string    `json:"key"`
	Rule       string    `json:"rule"`
	EmployerID int64     `json:"employer_id,omitempty"` // 0: the installation's
	Title      string    `json:"title"`
	Body       string    `json:"body"`
	Link       string    `json:"link,omitempty"`
	Channels   string    `json:"channels"`
	Facts      string    `json:"facts,omitempty"` // JSON of what it said (alerts.Facts); "" before migration 10
	SentAt     time.Time `json:"sent_at"`
}

// AlertSent says whether the alert of an event was sent already.
func (r *Reader) AlertSent(ctx context.Context, key string) (bool, error) {
	var n int
	if err := r.QueryRowContext(ctx, `SELECT count(*) FROM sent_alerts WHERE event_key = ?`, key).Scan(&n); err != nil {
		return false, fmt.Errorf("sent alerts: %w", err)
	}
	return n > 0, nil
}

// RecordAlert keeps that a's event was alerted. It is not a change of the
// data: the figures are not recomputed for it.
func (s *Store) RecordAlert(ctx context.Context, a Alert) error {
	if err := s.writable(); err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	var employer sql.NullInt64
	if a.EmployerID != 0 {
		employer = sql.NullInt64{Int64: a.EmployerID, Valid: true}
	}
	facts := sql.NullString{String: a.Facts, Valid: a.Facts != ""}
	_, err := s.db.ExecContext(ctx, `INSERT INTO sent_alerts (event_key, rule, employer_id, title, body, link, channels, sent_at, facts)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_key) DO NOTHING`,
		a.Key, a.Rule, employer, a.Title, a.Body, a.Link, a.Channels, a.SentAt, facts)
	if err != nil {
		return fmt.Errorf("record alert %s: %w", a.Key, err)
	}
	return nil
}

// Alerts are the latest alerts sent (at most limit), newest first: of the
// employers given, or of every employer and the installation for none.
func (r *Reader) Alerts(ctx context.Context, employers []int64, limit int) ([]Alert, error) {
	q := `SELECT event_key, rule, coalesce(employer_id, 0), title, body, coalesce(link, ''), channels, sent_at, coalesce(facts, '') FROM sent_alerts`
	var args []any
	if len(employers) > 0 {
		q += ` WHERE employer_id IN (?` + strings.Repeat(", ?", len(employers)-1) + `)`
		for _, e := range employers {
			args = append(args, e)
		}
	}
	q += ` ORDER BY sent_at DESC, event_key LIMIT ?`
	args = append(args, limit)
	rows, err := r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sent alerts: %w", err)
	}
	defer rows.Close()
	var out []Alert
	for rows.Next() {
		var a Alert
		if err := rows.Scan(&a.Key, &a.Rule, &a.EmployerID, &a.Title, &a.Body, &a.Link, &a.Channels, &a.SentAt, &a.Facts); err != nil {
			return nil, fmt.Errorf("sent alerts: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
