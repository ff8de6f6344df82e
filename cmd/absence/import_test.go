package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocarina/gocsv"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/ingest"
)

const fixtures = "../../datasets/fixtures/"

// The import command imports in the right order whatever order the files are
// named in, exits with code 3 when rows were rejected, and writes every
// rejected row to the reject report.
func TestImportCommandWritesRejectReport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "cli.duckdb")
	report := filepath.Join(dir, "rejects.csv")
	err := runImport([]string{"--db", db, "--extract-date", "2024-06-30", "--rejects", report,
		fixtures + "messy_afas_verzuim.csv", fixtures + "employments.csv"})
	var exit exitError
	if !errors.As(err, &exit) || exit.code != exitRejected {
		t.Fatalf("err = %v, want exit code %d", err, exitRejected)
	}
	f, err := os.Open(report)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []ingest.RowError
	if err := gocsv.UnmarshalFile(f, &rows); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, r := range rows {
		if r.File != "messy_afas_verzuim.csv" || r.Reason == "" {
			t.Errorf("row %+v", r)
		}
		lines = append(lines, strings.TrimSpace(r.String()[len(r.File)+1:]))
	}
	if len(rows) != 9 || rows[0].Line != 6 || rows[len(rows)-1].Line != 18 {
		t.Errorf("report has %d rows: %v", len(rows), lines)
	}
}

func TestImportCommandFailsClearly(t *testing.T) {
	dir := t.TempDir()
	err := runImport([]string{"--db", filepath.Join(dir, "x.duckdb"), "--profile", "no-such-profile", fixtures + "employments.csv"})
	if err == nil || !strings.Contains(err.Error(), `no profile named "no-such-profile"`) {
		t.Errorf("err = %v", err)
	}
	err = runImport([]string{"--db", filepath.Join(dir, "x.duckdb"), filepath.Join(dir, "missing.csv")})
	if err == nil || !strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("err = %v", err)
	}
}

func TestDemoFillsTheDatabaseOnceAndReusesIt(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.duckdb")
	if err := runDemo([]string{"--db", db, "--employees", "300", "--no-serve"}); err != nil {
		t.Fatal(err)
	}
	count := func() (cases, imports int) {
		s, err := ingest.Open(t.Context(), db, ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		s.DB.QueryRow(`SELECT (SELECT count(*) FROM absence_cases), (SELECT count(*) FROM imports WHERE status = 'committed')`).Scan(&cases, &imports)
		return
	}
	cases, imports := count()
	if cases < 300 || imports != 4 {
		t.Fatalf("after demo: %d cases, %d imports; want ≥300 cases from 4 imports (milestones included)", cases, imports)
	}
	if err := runDemo([]string{"--db", db, "--employees", "300", "--no-serve"}); err != nil {
		t.Fatal(err)
	}
	if c, i := count(); c != cases || i != imports {
		t.Errorf("second demo changed the database: %d cases, %d imports", c, i)
	}
}

// Finding 8: the demo imports milestone dates (some on time, some late,
// some missing), so the Poortwachter page shows on-time rates and overdue
// milestones.
func TestDemoImportsMilestoneDates(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.duckdb")
	if err := runDemo([]string{"--db", db, "--employees", "1000", "--no-serve"}); err != nil {
		t.Fatal(err)
	}
	s, err := ingest.Open(t.Context(), db, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ex, err := analytics.LatestExtractDate(t.Context(), s.DB)
	if err != nil {
		t.Fatal(err)
	}
	res, err := analytics.Tracks(t.Context(), s.DB, analytics.Filter{From: ex.AddDate(-1, 0, 1), To: ex}, analytics.TrackOptions{}, analytics.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.MilestoneData || res.ComplianceSuppressed || len(res.Overdue) == 0 {
		t.Fatalf("milestone data %v, compliance suppressed %v, %d overdue", res.MilestoneData, res.ComplianceSuppressed, len(res.Overdue))
	}
	var onTime, late, missing int64
	for _, c := range res.Compliance {
		onTime, late, missing = onTime+*c.OnTime, late+*c.Late, missing+*c.Missing
	}
	if onTime == 0 || late == 0 || missing == 0 || onTime < late+missing {
		t.Errorf("compliance: %d on time, %d late, %d missing", onTime, late, missing)
	}
}
