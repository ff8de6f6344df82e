package storage_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/verzuim/absence/ingest/internal/testkit"
	"github.com/verzuim/absence/ingest/storage"
)

// A process killed after a migration, before DuckDB wrote it into the
// database file, leaves it in the write-ahead log: the next open must
// replay it. Changing a column to a named ENUM type in place (ALTER …
// TYPE absence_type) is an entry DuckDB cannot replay ("Failure while
// replaying WAL file: Calling DatabaseManager::GetDefaultDatabase with no
// default database set"), which left a database that no command could
// open. The copy of the files taken while the store is open is the state a
// kill leaves.
func TestEveryMigrationSurvivesAKill(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "old.duckdb")
	old, err := sql.Open("duckdb", db)
	if err != nil {
		t.Fatal(err)
	}
	err = storage.MigrateTo(ctx, old, 1) // the oldest schema: every later migration runs on opening
	old.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err := storage.Open(ctx, db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	killed := filepath.Join(t.TempDir(), "killed.duckdb")
	for _, f := range [][2]string{{db, killed}, {db + ".wal", killed + ".wal"}, {storage.KeyPath(db), storage.KeyPath(killed)}} {
		data, err := os.ReadFile(f[0])
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f[1], data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	s2, err := storage.Open(ctx, killed, storage.Options{})
	if err != nil {
		t.Fatalf("the database of a process killed after its migrations cannot be opened: %v", err)
	}
	defer s2.Close()
	var typ string
	testkit.ScanRow(t, s2.Reader().QueryRowContext(ctx, `SELECT data_type FROM information_schema.columns WHERE table_name = 'absence_cases' AND column_name = 'absence_type'`), &typ)
	if typ == "VARCHAR" {
		t.Errorf("after the kill, absence_cases.absence_type is %s: the last migration was lost", typ)
	}
}
