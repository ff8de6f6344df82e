package main

import (
	"database/sql"
	"testing"
)

// scanRow scans a one-row query into dest and fails the test if the query
// does: a count that could not be read must not pass as zero.
func scanRow(t testing.TB, row *sql.Row, dest ...any) {
	t.Helper()
	if err := row.Scan(dest...); err != nil {
		t.Fatal(err)
	}
}
