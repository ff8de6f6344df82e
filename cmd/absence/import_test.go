package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gocarina/gocsv"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/ingest/storage"
)

const fixtures = "../../datasets/fixtures/"

// The import command imports in the right order whatever order the files are
// named in, exits with code 3 when rows were rejected, and writes every
// rejected row to the reject report, readable by its owner only.
func TestImportCommandWritesRejectReport(t *testing.T) {
	defer syscall.Umask(syscall.Umask(0o022)) // a common umask, which leaves new files readable by everyone
	dir := t.TempDir()
	db := filepath.Join(dir, "cli.duckdb")
	report := filepath.Join(dir, "rejects.csv")
	err := runImport([]string{"--db", db, "--extract-date", "2024-06-30", "--rejects", report,
		fixtures + "messy_afas_verzuim.csv", fixtures + "employments.csv"})
	var exit exitError
	if !errors.As(err, &exit) || exit.code != exitRejected {
		t.Fatalf("err = %v, want exit code %d", err, exitRejected)
	}
	if st, err := os.Stat(report); err != nil {
		t.Fatal(err)
	} else if st.Mode().Perm() != 0o600 {
		t.Errorf("reject report: mode %v, want -rw-------", st.Mode().Perm())
	}
	f, err := os.Open(report)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []storage.RowError
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
	// A database is made only for files that can be imported.
	if _, err := os.Stat(filepath.Join(dir, "x.duckdb")); !os.IsNotExist(err) {
		t.Errorf("the failed imports made the database: %v", err)
	}
}

func TestDemoFillsTheDatabaseOnceAndReusesIt(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.duckdb")
	if err := runDemo([]string{"--db", db, "--employees", "300", "--no-serve"}); err != nil {
		t.Fatal(err)
	}
	count := func() (cases, imports int) {
		s, err := storage.Open(t.Context(), db, storage.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		scanRow(t, s.Reader().QueryRowContext(context.Background(), `SELECT (SELECT count(*) FROM absence_cases), (SELECT count(*) FROM imports WHERE status = 'committed')`), &cases, &imports)
		return
	}
	cases, imports := count()
	if cases < 300 || imports != 4*len(demoEmployers(300)) {
		t.Fatalf("after demo: %d cases, %d imports; want ≥300 cases from 4 imports per employer (milestones included)", cases, imports)
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
	s, err := storage.Open(t.Context(), db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ex, err := analytics.LatestExtractDate(t.Context(), s.Reader())
	if err != nil {
		t.Fatal(err)
	}
	res, err := analytics.Tracks(t.Context(), s.Reader(), analytics.Filter{From: ex.AddDate(-1, 0, 1), To: ex}, analytics.TrackOptions{}, analytics.Options{})
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

// Ctrl-C or SIGTERM during an import ends the program with a clear message:
// nothing of the file is imported and no copy of it is left beside the
// database.
func TestImportCommandStoppedBySignal(t *testing.T) {
	files := t.TempDir()
	if _, err := datasets.WriteFiles(files, datasets.Config{Employees: 20000, Seed: 2}, datasets.FormatNative); err != nil {
		t.Fatal(err)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "signal.duckdb")
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), mainArgsEnv+"="+strings.Join([]string{"import", "--db", db, "--extract-date", "2026-06-30", filepath.Join(files, "absence_periods.csv")}, "\n"))
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			copies := db + ".import-tmp"
			for deadline := time.Now().Add(time.Minute); ; time.Sleep(2 * time.Millisecond) {
				if entries, _ := os.ReadDir(copies); len(entries) > 0 {
					break
				}
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					cmd.Wait()
					t.Fatalf("no copy of the input appeared:\n%s", out.String())
				}
			}
			cmd.Process.Signal(sig)
			err := cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Errorf("exit: %v, want code 1", err)
			}
			if !strings.Contains(out.String(), "stopped before this file was imported; nothing of it was written") {
				t.Errorf("the output does not say the import was stopped:\n%s", out.String())
			}
			if _, err := os.Stat(copies); !os.IsNotExist(err) {
				t.Errorf("%s is still there after the program ended", copies)
			}
			s, err := storage.Open(t.Context(), db, storage.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			var n int
			scanRow(t, s.Reader().QueryRowContext(context.Background(), `SELECT count(*) FROM absence_cases`), &n)
			if n != 0 {
				t.Errorf("%d absence cases stored by the stopped import", n)
			}
		})
	}
}
