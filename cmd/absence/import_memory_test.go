//go:build speed

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/datasets/speed"
	"github.com/verzuim/absence/ingest/storage"
)

// An import stays within the database's memory limit plus 200 MB, the
// program itself (70–110 MB) included: DuckDB spills what does not fit to
// disk instead of growing. Measured as the peak RSS of the absence process
// importing the periods of 300,000 employees with 6 years of history
// within 150 MB, into a database that holds their employments: 281–316 MB
// (before: 396 MB; at 1M employees within 1 GB, 1.04–1.09 GB, before
// 1.24–1.36 GB). Behind the speed tag: it takes half a minute, and the peak moves
// with DuckDB's version and threads by tens of MB:
//
//	go test -tags speed -run TestImportWithinTheMemoryLimit ./cmd/absence/
//
// ABSENCE_TEST_EMPLOYEES and ABSENCE_TEST_LIMIT_MB change the size and the
// limit; ABSENCE_BENCH_DIR keeps the generated files for the next run.
func TestImportWithinTheMemoryLimit(t *testing.T) {
	employees, limitMB, files, db := memoryTestDatabase(t)
	peak := importPeak(t, db, filepath.Join(files, "absence_periods.csv"), limitMB)
	peakWithin(t, fmt.Sprintf("importing the periods of %d employees", employees), peak, limitMB)
}

// The nightly re-import stays within the limit too: the same export
// without its last 1% of rows, into the database that holds it, compares
// every case and its periods with the stored ones. While the comparison
// held a copy of every stored case beside the file's and compared them in
// four hash joins, it ran out of memory (300,000 employees within 150 MB:
// "failed to pin block"; 1M within 1 GB peaked at up to 1.26 GB); it now
// peaks at 286–318 MB (two runs).
//
//	go test -tags speed -run TestReimportWithinTheMemoryLimit ./cmd/absence/
func TestReimportWithinTheMemoryLimit(t *testing.T) {
	employees, limitMB, files, db := memoryTestDatabase(t)
	importPeak(t, db, filepath.Join(files, "absence_periods.csv"), limitMB)
	peak := importPeak(t, db, correctedExport(t, files), limitMB)
	peakWithin(t, fmt.Sprintf("re-importing the periods of %d employees", employees), peak, limitMB)
}

// memoryTestDatabase generates the memory tests' organisation (knobs
// ABSENCE_TEST_EMPLOYEES, ABSENCE_TEST_LIMIT_MB) and imports its
// employments into a new database within the limit.
func memoryTestDatabase(t *testing.T) (employees, limitMB int, files, db string) {
	employees, limitMB = speed.Knob(t, "ABSENCE_TEST_EMPLOYEES", 300_000), speed.Knob(t, "ABSENCE_TEST_LIMIT_MB", 150)
	files, err := datasets.BenchFiles(datasets.Config{Employees: employees, Seed: 7, Years: 6, ExtractDate: speedExtract})
	if err != nil {
		t.Fatal(err)
	}
	db = filepath.Join(t.TempDir(), "memory.duckdb")
	importPeak(t, db, filepath.Join(files, "employments.csv"), limitMB)
	return employees, limitMB, files, db
}

// peakWithin fails the test when what peaked above the memory limit plus
// the 200 MB an import may take beside it.
func peakWithin(t *testing.T, what string, peak int64, limitMB int) {
	t.Helper()
	const marginMB = 200
	t.Logf("%s within %d MB: peak RSS %d MB", what, limitMB, peak/1e6)
	if peak > int64(limitMB+marginMB)*1e6 {
		t.Errorf("%s within a memory limit of %d MB took %d MB at its peak, more than the limit plus %d MB", what, limitMB, peak/1e6, marginMB)
	}
}

func importPeak(t *testing.T, db, file string, limitMB int) int64 {
	t.Helper()
	cmd := absenceCommand("import", "--db", db, "--extract-date", speedExtract.Format(time.DateOnly), file)
	cmd.Env = append(cmd.Env, fmt.Sprintf("ABSENCE_MEMORY_LIMIT=%dMB", limitMB))
	_, peak, err := speed.Child(cmd)
	if err != nil {
		t.Fatal(err)
	}
	return peak
}

// An import that rejects most of its cases fits in the memory limit too: a
// periods file whose employees mostly have no employment imported (a part
// of the staff missing from the employment file) rejects every row of
// those cases with its reason and imports the rest. Each rejected row's
// reason was once gathered by grouping all rows of the file, which ran out
// of memory (the periods of 300,000 employees within 300 MB; of 1M
// employees, none with an employment, within the default 1 GB).
func TestRejectingMostCasesWithinTheMemoryLimit(t *testing.T) {
	employees, limitMB := speed.Knob(t, "ABSENCE_TEST_EMPLOYEES", 300_000), speed.Knob(t, "ABSENCE_TEST_LIMIT_MB", 300)
	files, err := datasets.BenchFiles(datasets.Config{Employees: employees, Seed: 7, Years: 6, ExtractDate: speedExtract})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// The employments of one employee in ten: personnel numbers ending in 0.
	known := func(line string) bool { id, _, _ := strings.Cut(line, ","); return strings.HasSuffix(id, "0") }
	employments := filterLines(t, filepath.Join(files, "employments.csv"), filepath.Join(dir, "employments.csv"), known)
	periods := filepath.Join(files, "absence_periods.csv")
	unknown := countLinesWhere(t, periods, func(line string) bool { return !known(line) })

	db := filepath.Join(dir, "memory.duckdb")
	// The exit code of each import: 0 every row landed, 3 some were rejected.
	importFile := func(file string) int {
		cmd := absenceCommand("import", "--db", db, "--extract-date", speedExtract.Format(time.DateOnly), file)
		cmd.Env = append(cmd.Env, fmt.Sprintf("ABSENCE_MEMORY_LIMIT=%dMB", limitMB))
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if err != nil && (!errors.As(err, &exit) || exit.ExitCode() != exitRejected) {
			t.Fatalf("import of %s within %d MB: %v\n%s", file, limitMB, err, out)
		}
		return cmd.ProcessState.ExitCode()
	}
	if code := importFile(employments); code != 0 {
		t.Fatalf("the employments were imported with exit code %d, want 0", code)
	}
	if code := importFile(periods); code != exitRejected {
		t.Fatalf("the periods were imported with exit code %d, want %d (imported, some rows rejected)", code, exitRejected)
	}

	store, err := storage.Open(t.Context(), db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var rejected, noEmployment, cases int
	scanRow(t, store.Reader().QueryRowContext(t.Context(), `SELECT count(*), count(*) FILTER (reason LIKE 'this employee is not in the employment data imported so far%'),
		(SELECT count(*) FROM absence_cases) FROM import_errors WHERE import_id = (SELECT max(import_id) FROM imports)`), &rejected, &noEmployment, &cases)
	if rejected != unknown || noEmployment != unknown {
		t.Errorf("%d rows rejected, %d of them for want of an employment; want every row of the %d without an employment", rejected, noEmployment, unknown)
	}
	if cases == 0 {
		t.Error("no absence case imported; the employees with an employment should have theirs")
	}
}

// filterLines writes the header and the lines of src that keep holds to dst.
func filterLines(t *testing.T, src, dst string, keep func(string) bool) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	header, body, _ := strings.Cut(string(data), "\n")
	var b strings.Builder
	b.WriteString(header + "\n")
	for line := range strings.Lines(body) {
		if keep(line) {
			b.WriteString(line)
		}
	}
	if err := os.WriteFile(dst, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return dst
}

// countLinesWhere counts the lines of file after its header that match.
func countLinesWhere(t *testing.T, file string, match func(string) bool) int {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	_, body, _ := strings.Cut(string(data), "\n")
	n := 0
	for line := range strings.Lines(body) {
		if match(line) {
			n++
		}
	}
	return n
}
