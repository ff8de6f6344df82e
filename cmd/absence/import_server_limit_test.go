package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/verzuim/absence/dashboard"
	"github.com/verzuim/absence/ingest/storage"
)

// A script with the right password is never held up by the login rate
// limit: seven files through a running server all import.
func TestImportManyFilesThroughARunningServer(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "served.duckdb")
	store, err := storage.Open(context.Background(), db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	accounts, _ := dashboard.OpenAccounts(dashboard.AccountsPath(db))
	accounts.Put("admin", "a-long-admin-password", dashboard.RoleAdmin, nil)
	srv, err := dashboard.New(store, accounts, dashboard.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	// Seven growing snapshots of the employments: each adds one employee.
	args := []string{"--server", ts.URL, "--extract-date", "2024-06-30"}
	content := "employee_id,start_date,end_date,department,team,location,contract_hours,fulltime_hours,birth_year,gender\n"
	for i := range 7 {
		path := filepath.Join(dir, fmt.Sprintf("employments-%d.csv", i))
		content += fmt.Sprintf("E%03d,2020-01-01,,Zorg,Team A,Utrecht,40,40,1980,F\n", i)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, path)
	}
	t.Setenv("ABSENCE_PASSWORD", "a-long-admin-password")
	if err := runImport(args); err != nil {
		t.Fatalf("importing 7 files through the server: %v", err)
	}
	var imports int
	scanRow(t, store.Reader().QueryRowContext(context.Background(), `SELECT count(*) FROM imports WHERE status = 'committed'`), &imports)
	if imports != 7 {
		t.Errorf("%d of 7 files imported", imports)
	}
}
