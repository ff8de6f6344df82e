package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/verzuim/absence/ingest/storage"
)

// absence lookup prints the pseudonym the import stored for a personnel
// number, of the default employer or of the one named (issue 14, item 1).
func TestLookupPrintsTheImportsPseudonym(t *testing.T) {
	db := filepath.Join(t.TempDir(), "lookup.duckdb")
	if code, out := absence(t, "import", "--db", db, "--extract-date", "2024-06-30", fixtures+"employments.csv"); code != 0 {
		t.Fatalf("import: %d\n%s", code, out)
	}
	code, out := absence(t, "lookup", "--db", db, "E001")
	pseudonym := strings.TrimSpace(out)
	if code != 0 || len(pseudonym) != 20 {
		t.Fatalf("lookup E001: exit %d, %q", code, out)
	}
	if code, out := absence(t, "lookup", "--db", db, "--employer", "Bakkerij", "E001"); code != 1 || !strings.Contains(out, `employer "Bakkerij": no such employer`) {
		t.Errorf("lookup for an unknown employer: exit %d\n%s", code, out)
	}
	store, err := storage.Open(context.Background(), db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var n int
	if err := store.Reader().QueryRowContext(context.Background(), `SELECT count(*) FROM employments JOIN employees USING (employee_key) WHERE pseudonym = ? AND start_date = DATE '2020-01-01' AND contract_hours = 40 AND birth_year = 1980`, pseudonym).Scan(&n); err != nil || n != 1 {
		t.Errorf("the pseudonym %s printed for E001 is not the one its employment was stored under (%d rows, %v)", pseudonym, n, err)
	}
}
