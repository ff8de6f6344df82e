package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// When DuckDB runs out of its memory, the command says so in words a
// payroll administrator can act on — which setting to raise — and not
// DuckDB's advice on SQL settings.
func TestOutOfMemoryNamesTheSetting(t *testing.T) {
	db := copyRelease(t, fixtures+"release-0651238/")
	config := filepath.Join(t.TempDir(), "small.toml")
	if err := os.WriteFile(config, []byte("[performance]\nmemory_limit = \"8MB\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out := absence(t, "report", "interventions", "--config", config, "--db", db, "--from", "2024-01-01", "--to", "2025-12-31", "--format", "json")
	if code != 1 || !strings.Contains(out, "not enough memory") || !strings.Contains(out, "memory_limit") || strings.Contains(out, "SET threads") || strings.Contains(out, "Possible solutions") {
		t.Errorf("a report out of memory: exit %d, printed\n%s\nwant exit 1 and a message that names memory_limit, without DuckDB's advice", code, out)
	}
}
