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
