//go:build unix

package storage_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// The database, its write-ahead log and the temporary copy of an input are
// readable by their owner only, also under the common umask 022 that leaves
// new files readable by everyone.
func TestDatabaseFilesAreTheOwnersOnly(t *testing.T) {
	defer syscall.Umask(syscall.Umask(0o022))
	mode := func(path string) os.FileMode {
		t.Helper()
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return st.Mode().Perm()
	}
	db := filepath.Join(t.TempDir(), "private.duckdb")
	s := openStore(t, db, storage.Options{})
	defer s.Close()
	if m := mode(db); m != 0o600 {
		t.Errorf("new database file: mode %v, want -rw-------", m)
	}
	// The log lives until the next checkpoint; with automatic checkpoints
	// off it stays after the import's commit.
	if _, err := s.DB.Exec(`SET checkpoint_threshold = '1TB'`); err != nil {
		t.Fatal(err)
	}
	copies := map[string]os.FileMode{}
	mustImport(t, s, fixtures+"employments.csv", ingest.ImportOptions{Progress: func(phase string) {
		entries, _ := os.ReadDir(storage.TempDirOf(db))
		for _, e := range entries {
			copies[e.Name()] = mode(filepath.Join(storage.TempDirOf(db), e.Name()))
		}
	}})
	if m := mode(db + ".wal"); m != 0o600 {
		t.Errorf("write-ahead log: mode %v, want -rw-------", m)
	}
	if len(copies) == 0 {
		t.Error("saw no temporary copy of the input during the import")
	}
	for name, m := range copies {
		if m != 0o600 {
			t.Errorf("temporary copy %s: mode %v, want -rw-------", name, m)
		}
	}
}
