//go:build crash

package storage_test

import (
	"testing"

	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/datasets/speed"
)

// The full crash test of issue 9: 100 kills of a real import of a
// 100,000-employee organisation (240,000 absence cases replacing 160,000:
// large enough for DuckDB to write the rows before the commit) over 5
// freshly built base databases. Run it with
//
//	ABSENCE_BENCH_DIR=/tmp/absence-bench go test -tags crash -run TestCrash -v -timeout 2h ./ingest/storage/
//
// ABSENCE_CRASH_KILLS, ABSENCE_CRASH_EMPLOYEES and ABSENCE_CRASH_BASES change
// the numbers; ABSENCE_CRASH_SEED repeats a run's moments.
func TestCrashKillsAtOneHundredMoments(t *testing.T) {
	env := func(name string, def int) int { return speed.Knob(t, name, def) }
	dir, err := datasets.BenchFiles(datasets.Config{Employees: env("ABSENCE_CRASH_EMPLOYEES", 100_000), Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	fig := runKills(t, crashSetup{files: dir, bases: env("ABSENCE_CRASH_BASES", 5), kills: env("ABSENCE_CRASH_KILLS", 100)})
	fig.check(t)
}
