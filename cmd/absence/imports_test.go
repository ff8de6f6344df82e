package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/dashboard"
	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// absence runs the command in a child process and returns its exit code and
// what it printed.
func absence(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), mainArgsEnv+"="+strings.Join(args, "\n"))
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, string(out)
	case errors.As(err, &exit):
		return exit.ExitCode(), string(out)
	}
	t.Fatalf("absence %v: %v", args, err)
	return 0, ""
}

// A file that would wipe most of its source is refused with exit code 1 and
// the counts; --allow-shrink imports it; 'imports list' shows it and
// 'imports undo' brings the source back exactly.
func TestImportsCommandsRefuseShrinkListAndUndo(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "cli.duckdb")
	extract := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	if _, err := datasets.WriteFiles(dir, datasets.Config{Employees: 300, Seed: 5, ExtractDate: extract}, "native"); err != nil {
		t.Fatal(err)
	}
	if code, out := absence(t, "import", "--db", db, "--extract-date", "2026-06-30", filepath.Join(dir, "employments.csv"), filepath.Join(dir, "absence_periods.csv")); code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	before := dataChecksum(t, db)
	bad, err := datasets.MostlyBrokenPeriods(dir, extract)
	if err != nil {
		t.Fatal(err)
	}

	code, out := absence(t, "import", "--db", db, "--extract-date", "2026-06-30", bad)
	if code != 1 || !strings.Contains(out, "FAILED: ") || !strings.Contains(out, "this export would leave 1 of the") || !strings.Contains(out, "--allow-shrink") {
		t.Errorf("shrinking import: exit %d, want 1 with the reason:\n%s", code, out)
	}
	if dataChecksum(t, db) != before {
		t.Fatal("the refused file changed the data")
	}
	code, out = absence(t, "import", "--db", db, "--extract-date", "2026-06-30", "--allow-shrink", bad)
	if code != exitRejected || !strings.Contains(out, "stored as import 4; undo with: absence imports undo 4") {
		t.Fatalf("confirmed import: exit %d, want %d (rows rejected):\n%s", code, exitRejected, out)
	}

	code, out = absence(t, "imports", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "4*") || !strings.Contains(out, "periods_upload.csv") || !strings.Contains(out, "failed: ") {
		t.Errorf("imports list: exit %d:\n%s", code, out)
	}
	code, out = absence(t, "imports", "undo", "--db", db, "4")
	if code != 0 || !strings.Contains(out, "Undid import 4 (periods_upload.csv") || !strings.Contains(out, "restored the ") {
		t.Errorf("imports undo: exit %d:\n%s", code, out)
	}
	if dataChecksum(t, db) != before {
		t.Error("after 'imports undo' the data is not as before the import")
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"imports", "undo", "--db", db, "4"}, "already undone"},
		{[]string{"imports", "undo", "--db", db, "99"}, "there is no import 99"},
		{[]string{"imports", "undo", "--db", db, "twelve"}, "name one import by its number"},
	} {
		if code, out := absence(t, tc.args...); code != 1 || !strings.Contains(out, tc.want) {
			t.Errorf("%v: exit %d, want 1 and %q:\n%s", tc.args, code, tc.want, out)
		}
	}
	if code, out := absence(t, "imports", "list", "--db", db); code != 0 || !strings.Contains(out, "undone: undone on ") {
		t.Errorf("imports list after the undo: exit %d:\n%s", code, out)
	}
}

// While the server owns the database, 'imports undo' says so, and goes
// through it with --server.
func TestImportsUndoThroughARunningServer(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "served.duckdb")
	store, err := storage.Open(context.Background(), db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	for _, f := range []string{"employments.csv", "org_native_periods.csv"} {
		if _, err := ingest.NewImporter(store, ingest.Config{}).ImportFile(context.Background(), fixtures+f, ingest.ImportOptions{ExtractDate: time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
	}
	accounts, _ := dashboard.OpenAccounts(dashboard.AccountsPath(db))
	accounts.Put("admin", "a-long-admin-password", dashboard.RoleAdmin, nil)
	srv, err := dashboard.New(store, accounts, dashboard.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	if code, out := absence(t, "imports", "undo", "--db", db, "2"); code != 1 || !strings.Contains(out, "in use by another program") || !strings.Contains(out, "--server") {
		t.Errorf("undo beside a running server: exit %d, want 1 and a hint to use --server:\n%s", code, out)
	}
	t.Setenv("ABSENCE_PASSWORD", "a-long-admin-password")
	var out bytes.Buffer
	if err := importsCommand([]string{"undo", "--server", ts.URL, "2"}, &out); err != nil {
		t.Fatal(err)
	}
	var cases int
	scanRow(t, store.Reader().QueryRowContext(context.Background(), `SELECT count(*) FROM absence_cases`), &cases)
	if cases != 0 || !strings.Contains(out.String(), "Undid import 2 (org_native_periods.csv") {
		t.Errorf("%d cases after undoing the only absence import through the server:\n%s", cases, out.String())
	}
	out.Reset()
	if err := importsCommand([]string{"list", "--server", ts.URL}, &out); err != nil || !strings.Contains(out.String(), "undo of import 2") {
		t.Errorf("list through the server: %v\n%s", err, out.String())
	}
	err = importsCommand([]string{"undo", "--server", ts.URL, "2"}, &out)
	if err == nil || !strings.Contains(err.Error(), "already undone") {
		t.Errorf("second undo through the server: %v", err)
	}
}

// dataChecksum sums the canonical data tables of a database file.
func dataChecksum(t *testing.T, db string) string {
	t.Helper()
	s, err := storage.Open(context.Background(), db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var sums []string
	for _, table := range []string{"employments", "absence_cases", "case_segments", "interventions", "milestones"} {
		var n int64
		var h string
		if err := s.Reader().QueryRowContext(context.Background(), fmt.Sprintf(`SELECT count(*), coalesce(sum(hash(t))::VARCHAR, '') FROM %s t`, table)).Scan(&n, &h); err != nil {
			t.Fatal(err)
		}
		sums = append(sums, fmt.Sprintf("%s=%d/%s", table, n, h))
	}
	return strings.Join(sums, " ")
}
