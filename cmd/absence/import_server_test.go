package main

import (
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/verzuim/absence/dashboard"
	"github.com/verzuim/absence/ingest/storage"
)

// While a server owns the database, the import command goes through it.
func TestImportThroughARunningServer(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "served.duckdb")
	store, err := storage.Open(context.Background(), db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	accounts, _ := dashboard.OpenAccounts(dashboard.AccountsPath(db))
	accounts.Put("admin", "a-long-admin-password", dashboard.RoleAdmin, nil)
	accounts.Put("hr", "a-long-hr-password", dashboard.RoleHR, nil)
	srv, err := dashboard.New(store, accounts, dashboard.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	// The command cannot open the database itself while the server has it
	// (another process would get a lock error); --server goes through the API.
	t.Setenv("ABSENCE_PASSWORD", "a-long-admin-password")
	err = runImport([]string{"--server", ts.URL, "--extract-date", "2024-06-30", fixtures + "messy_afas_verzuim.csv", fixtures + "employments.csv"})
	var exit exitError
	if !errors.As(err, &exit) || exit.code != exitRejected {
		t.Fatalf("err = %v, want exit %d (imported with rejected rows)", err, exitRejected)
	}
	var cases, imports int
	scanRow(t, store.Reader().QueryRowContext(context.Background(), `SELECT (SELECT count(*) FROM absence_cases), (SELECT count(*) FROM imports WHERE status = 'committed')`), &cases, &imports)
	if cases != 3 || imports != 2 {
		t.Errorf("%d cases from %d imports; want 3 from 2 (employments first, whatever the order named)", cases, imports)
	}

	t.Setenv("ABSENCE_PASSWORD", "wrong")
	if err := runImport([]string{"--server", ts.URL, fixtures + "employments.csv"}); err == nil {
		t.Error("a wrong password imported")
	}
	t.Setenv("ABSENCE_PASSWORD", "a-long-hr-password")
	err = runImport([]string{"--server", ts.URL, "--user", "hr", fixtures + "org_native_periods.csv"})
	if err == nil || !strings.Contains(err.Error(), "not imported") {
		t.Errorf("an HR account imported: %v", err)
	}
}

// import and report --server take --employer: the files are that
// employer's, and a report is that employer's as far as the account may
// see it (another employer's answers 403, named in the error).
func TestImportAndReportThroughAServerForAnEmployer(t *testing.T) {
	db := filepath.Join(t.TempDir(), "served.duckdb")
	store, err := storage.Open(context.Background(), db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := store.AddEmployer(context.Background(), "Bakkerij Jansen"); err != nil {
		t.Fatal(err)
	}
	accounts, _ := dashboard.OpenAccounts(dashboard.AccountsPath(db))
	accounts.Put("admin", "a-long-admin-password", dashboard.RoleAdmin, nil)
	accounts.PutUser(dashboard.User{Name: "hr", Role: dashboard.RoleHR, Employer: "Bakkerij Jansen"}, "a-long-hr-password")
	srv, err := dashboard.New(store, accounts, dashboard.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	t.Setenv("ABSENCE_PASSWORD", "a-long-admin-password")
	if err := runImport([]string{"--server", ts.URL, "--employer", "bakkerij jansen", "--extract-date", "2024-06-30", fixtures + "employments.csv", fixtures + "org_native_periods.csv"}); err != nil {
		t.Fatal(err)
	}
	var employers []int64
	rows, err := store.Reader().QueryContext(context.Background(), `SELECT DISTINCT employer_id FROM imports`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		employers = append(employers, id)
	}
	rows.Close()
	if len(employers) != 1 || employers[0] == storage.DefaultEmployerID {
		t.Errorf("imports went to employers %v, want only Bakkerij Jansen's", employers)
	}
	if err := runImport([]string{"--server", ts.URL, "--employer", "Bakkerij Jansn", fixtures + "employments.csv"}); err == nil {
		t.Error("an import for an unknown employer went through")
	}

	t.Setenv("ABSENCE_PASSWORD", "a-long-hr-password")
	var out strings.Builder
	if err := statisticsReport(&out, []string{"--server", ts.URL, "--user", "hr", "--employer", "Bakkerij Jansen", "--from", "2024-01-01", "--to", "2024-06-30"}); err != nil {
		t.Fatalf("report for the own employer: %v", err)
	}
	if err := statisticsReport(&out, []string{"--server", ts.URL, "--user", "hr", "--employer", "default", "--from", "2024-01-01", "--to", "2024-06-30"}); err == nil || !strings.Contains(err.Error(), `may not read reports of employer "default"`) {
		t.Errorf("report for another employer: %v, want no access", err)
	}
}
