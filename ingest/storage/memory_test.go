package storage_test

import (
	"context"
	"testing"

	"github.com/verzuim/absence/ingest/storage"
)

// The store opens DuckDB with its memory limit, an allocator that hands
// freed memory back early and in the background (so the process stays
// near the limit), and the temporary folder beside the database to spill to.
func TestStoreOpensWithinItsMemory(t *testing.T) {
	path := t.TempDir() + "/m.duckdb"
	s := openStore(t, path, storage.Options{MemoryLimit: "300MB", Threads: 2})
	want := map[string]string{
		"memory_limit":                 "286.1 MiB", // 300 MB
		"allocator_flush_threshold":    "15.2 MiB",  // 16 MB
		"allocator_background_threads": "true",
		"temp_directory":               path + ".tmp",
	}
	for name, value := range want {
		var got string
		if err := s.Reader().QueryRowContext(context.Background(), `SELECT current_setting(?)::VARCHAR`, name).Scan(&got); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got != value {
			t.Errorf("%s = %q, want %q", name, got, value)
		}
	}
}

// While an import's session is open, DuckDB's buffers leave a fifth of the
// limit (at most 200 MB) to what DuckDB holds outside them, so the import
// stays near the limit; when the last session closes, the readers have the
// whole limit again.
func TestSessionsLeaveRoomUnderTheMemoryLimit(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir()+"/m.duckdb", storage.Options{MemoryLimit: "300MB", Threads: 2})
	limit := func() string {
		t.Helper()
		var got string
		if err := s.Reader().QueryRowContext(ctx, `SELECT current_setting('memory_limit')::VARCHAR`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		return got
	}
	write, err := s.Session(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	dry, err := s.Session(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := limit(); got != "228.8 MiB" { // 240 MB
		t.Errorf("memory limit with sessions open = %q, want 228.8 MiB (300 MB less a fifth)", got)
	}
	write.Close()
	if got := limit(); got != "228.8 MiB" {
		t.Errorf("memory limit with a session still open = %q, want 228.8 MiB", got)
	}
	dry.Close()
	if got := limit(); got != "286.1 MiB" {
		t.Errorf("memory limit after the sessions = %q, want 286.1 MiB (300 MB)", got)
	}
}
