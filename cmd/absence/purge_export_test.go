package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/ingest/storage"
)

// retentionDB imports, relative to today, an employee who left 3 years ago
// (one absence case) and one still employed (one case).
func retentionDB(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	today := time.Now()
	day := func(years, days int) string { return today.AddDate(-years, 0, -days).Format(time.DateOnly) }
	employments := filepath.Join(dir, "employments.csv")
	periods := filepath.Join(dir, "periods.csv")
	os.WriteFile(employments, []byte(fmt.Sprintf(`employee_id,start_date,end_date,department,team,location,contract_hours,fulltime_hours,birth_year,gender
LEFT,%s,%s,Zorg,,Utrecht,36,36,1970,F
STAYS,%[1]s,,Zorg,,Utrecht,36,36,1980,M
`, day(8, 0), day(3, 0))), 0o600)
	os.WriteFile(periods, []byte(fmt.Sprintf(`employee_id,case_ref,start_date,end_date,absence_pct,absence_type,end_reason
LEFT,L-1,%s,%s,100,sickness,full_return
STAYS,S-1,%s,%s,100,sickness,full_return
`, day(4, 10), day(4, 5), day(0, 40), day(0, 35))), 0o600)
	db := filepath.Join(dir, "cli.duckdb")
	if err := runImport([]string{"--db", db, employments, periods}); err != nil {
		t.Fatal(err)
	}
	return db
}

func countCases(t *testing.T, db string) (cases, purges int) {
	t.Helper()
	s, err := storage.Open(t.Context(), db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Reader().QueryRowContext(context.Background(), `SELECT (SELECT count(*) FROM absence_cases), (SELECT count(*) FROM imports WHERE kind = 'purge')`).Scan(&cases, &purges); err != nil {
		t.Fatal(err)
	}
	return cases, purges
}

func TestPurgeCommand(t *testing.T) {
	db := retentionDB(t)
	cutoff := time.Now().AddDate(-2, 0, 0).Format(time.DateOnly)

	var out bytes.Buffer
	if err := purgeCommand([]string{"--db", db, "--dry-run"}, &out); err != nil {
		t.Fatal(err)
	}
	t.Logf("absence purge --dry-run:\n%s", out.String())
	for _, want := range []string{"kept for 2 years", "who left before " + cutoff, "A purge would remove the data of 1 employee:",
		"1 absence case (with 1 period", "0 interventions", "1 employment record\n", "Dry run: nothing was removed"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out.String())
		}
	}
	if cases, purges := countCases(t, db); cases != 2 || purges != 0 {
		t.Errorf("after the dry run: %d cases, %d purges logged; want 2 and 0", cases, purges)
	}

	out.Reset()
	if err := purgeCommand([]string{"--db", db}, &out); err != nil {
		t.Fatal(err)
	}
	t.Logf("absence purge:\n%s", out.String())
	if !strings.Contains(out.String(), "Removed the data of 1 employee:") || !strings.Contains(out.String(), "Logged in the import history as number") {
		t.Errorf("purge output:\n%s", out.String())
	}
	if cases, purges := countCases(t, db); cases != 1 || purges != 1 {
		t.Errorf("after the purge: %d cases, %d purges logged; want 1 and 1", cases, purges)
	}

	// Keeping 5 years, the leaver of 3 years ago would stay (nothing is left
	// to remove anyway).
	out.Reset()
	if err := purgeCommand([]string{"--db", db, "--keep-years", "5", "--dry-run"}, &out); err != nil || !strings.Contains(out.String(), "nothing to remove") {
		t.Errorf("keep 5 years: %v\n%s", err, out.String())
	}
}

// Without flags, purge takes the database and the years to keep from the
// configuration file.
func TestPurgeCommandUsesTheConfiguration(t *testing.T) {
	db := retentionDB(t)
	cfg := filepath.Join(t.TempDir(), "absence.toml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("database = %q\n[retention]\nkeep_years = 4\n", db)), 0o600)
	var out bytes.Buffer
	if err := purgeCommand([]string{"--config", cfg, "--dry-run"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "kept for 4 years") || !strings.Contains(out.String(), "nothing to remove") {
		t.Errorf("keep 4 years from the configuration:\n%s", out.String())
	}
	out.Reset()
	if err := purgeCommand([]string{"--config", cfg, "--keep-years", "2", "--dry-run"}, &out); err != nil || !strings.Contains(out.String(), "would remove the data of 1 employee") {
		t.Errorf("--keep-years over the configuration: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := exportCommand([]string{"--config", cfg, "--out", t.TempDir()}, &out); err != nil || !strings.Contains(out.String(), "2 rows in 2 files") {
		t.Errorf("export with the configured database: %v\n%s", err, out.String())
	}
}

func TestPurgeAndExportCommandsFailClearly(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "typo.duckdb")
	zeroYears := filepath.Join(dir, "zero.toml")
	os.WriteFile(zeroYears, []byte("[retention]\nkeep_years = 0\n"), 0o600)
	tests := []struct {
		name string
		run  func([]string, *bytes.Buffer) error
		args []string
		want string
	}{
		{"purge keep 0", purgeRun, []string{"--db", missing, "--keep-years", "0"}, "--keep-years is 0"},
		{"purge configured keep 0", purgeRun, []string{"--config", zeroYears, "--db", missing}, "retention.keep_years in the configuration is 0"},
		{"purge no db", purgeRun, []string{"--db", missing}, "there is no database " + missing},
		{"purge argument", purgeRun, []string{"--db", missing, "now"}, "unexpected arguments"},
		{"export csv", exportRun, []string{"--db", missing, "--format", "csv", "--out", dir}, `format "csv" is not supported; only parquet`},
		{"export no out", exportRun, []string{"--db", missing}, "--out DIR"},
		{"export no db", exportRun, []string{"--db", missing, "--out", dir}, "there is no database " + missing},
	}
	for _, tt := range tests {
		err := tt.run(tt.args, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("a database was created for a path that did not exist")
	}
}

func purgeRun(args []string, out *bytes.Buffer) error  { return purgeCommand(args, out) }
func exportRun(args []string, out *bytes.Buffer) error { return exportCommand(args, out) }

func TestExportCommandWritesParquet(t *testing.T) {
	db := retentionDB(t)
	dir := filepath.Join(t.TempDir(), "lake")
	var out bytes.Buffer
	if err := exportCommand([]string{"--db", db, "--out", dir}, &out); err != nil {
		t.Fatal(err)
	}
	t.Logf("absence export:\n%s", out.String())
	for _, want := range []string{"Exported to " + dir, "absence_cases", "2 rows in 2 files, by year of first_sick_day", "purges", "read_parquet("} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "absence_cases", "year=*", "*.parquet"))
	if len(files) != 2 {
		t.Errorf("absence_cases files: %v, want one per year (2)", files)
	}
	// Again into the same folder: replaced, not refused.
	out.Reset()
	if err := exportCommand([]string{"--db", db, "--out", dir, "--format", "parquet"}, &out); err != nil {
		t.Fatal(err)
	}
}
