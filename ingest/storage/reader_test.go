package storage_test

import (
	"context"
	"errors"
	"testing"

	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// The Reader answers every SELECT and refuses, before it runs, every other
// statement: a write, a setting, a copy to a file, a transaction, or a
// SELECT with a write behind it. The data stays exactly as it was.
func TestReaderCannotWrite(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ingest.ImportOptions{})
	before := fingerprint(t, s)
	r := s.Reader()

	var n int
	if err := r.QueryRowContext(ctx, `WITH e AS (SELECT * FROM employments WHERE contract_hours > ?) SELECT count(*) FROM e`, 0).Scan(&n); err != nil || n != 5 {
		t.Fatalf("a SELECT with a bound value: %d rows, %v", n, err)
	}
	for _, q := range []string{
		`DELETE FROM employments`,
		`INSERT INTO employments SELECT * FROM employments`,
		`UPDATE employments SET department = 'x'`,
		`DROP TABLE employments`,
		`CREATE TABLE stolen AS SELECT * FROM employments`,
		`CREATE TEMP TABLE scratch AS SELECT 1`,
		`SET memory_limit = '1MB'`,
		`COPY employments TO '` + t.TempDir() + `/out.csv'`,
		`CHECKPOINT`,
		`BEGIN TRANSACTION`,
		`SELECT 1; DELETE FROM employments`,
		`DELETE FROM employments; SELECT 1`,
	} {
		rows, err := r.QueryContext(ctx, q)
		if err == nil {
			rows.Close()
		}
		if !errors.Is(err, storage.ErrNotARead) {
			t.Errorf("%s: err = %v, want a refusal", q, err)
		}
	}
	if after := fingerprint(t, s); after != before {
		t.Error("the Reader changed the database")
	}
}
