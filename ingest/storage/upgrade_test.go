package storage_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/verzuim/absence/ingest/storage"
)

// A database whose schema is newer than the program's is refused, with
// what to do (Open reads the version on the handle it then keeps).
func TestOpenRefusesANewerSchema(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "newer.duckdb")
	s := openStore(t, db, storage.Options{})
	s.Close()
	raw, err := sql.Open("duckdb", db)
	if err != nil {
		t.Fatal(err)
	}
	_, err = raw.Exec(`INSERT INTO schema_migrations SELECT max(version) + 1, now() FROM schema_migrations`)
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}
	_, err = storage.Open(ctx, db, storage.Options{})
	if err == nil || !strings.Contains(err.Error(), "is newer than this program knows") || !strings.Contains(err.Error(), "upgrade absence") {
		t.Fatalf("opening a database of a newer release: %v; want it refused with 'upgrade absence'", err)
	}
}
