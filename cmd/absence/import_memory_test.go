//go:build speed

package main

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/datasets/speed"
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
	employees, limitMB := speed.Knob(t, "ABSENCE_TEST_EMPLOYEES", 300_000), speed.Knob(t, "ABSENCE_TEST_LIMIT_MB", 150)
	const marginMB = 200
	files, err := datasets.BenchFiles(datasets.Config{Employees: employees, Seed: 7, Years: 6, ExtractDate: speedExtract})
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "memory.duckdb")
	importPeak := func(file string) int64 {
		cmd := absenceCommand("import", "--db", db, "--extract-date", speedExtract.Format(time.DateOnly), filepath.Join(files, file))
		cmd.Env = append(cmd.Env, fmt.Sprintf("ABSENCE_MEMORY_LIMIT=%dMB", limitMB))
		_, peak, err := speed.Child(cmd)
		if err != nil {
			t.Fatal(err)
		}
		return peak
	}
	importPeak("employments.csv")
	peak := importPeak("absence_periods.csv")
	t.Logf("the periods of %d employees within %d MB: peak RSS %d MB", employees, limitMB, peak/1e6)
	if peak > int64(limitMB+marginMB)*1e6 {
		t.Errorf("importing the periods of %d employees within a memory limit of %d MB took %d MB at its peak, more than the limit plus %d MB",
			employees, limitMB, peak/1e6, marginMB)
	}
}
