//go:build compare

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestReportsMatchAnotherBuild compares this build's reports with those of
// another build of absence (usually main's, made before integer employee
// keys) on a generated organisation:
//
//	old  the other build imports the exports and reports on its database
//	mig  this build reports on a copy of that database, which it migrates
//	new  this build imports the same exports into a fresh database
//
// Every report of mig and of new must equal old's byte for byte. Run:
//
//	git archive main | tar -x -C /tmp/absence-main && (cd /tmp/absence-main && go build -o /tmp/absence-main/absence ./cmd/absence)
//	ABSENCE_COMPARE_WITH=/tmp/absence-main/absence ABSENCE_COMPARE_EMPLOYEES=100000 \
//		go test -tags compare -run TestReportsMatchAnotherBuild -v -timeout 60m ./cmd/absence/
func TestReportsMatchAnotherBuild(t *testing.T) {
	other := os.Getenv("ABSENCE_COMPARE_WITH")
	if other == "" {
		t.Fatal("set ABSENCE_COMPARE_WITH to the absence binary to compare with")
	}
	employees := 100_000
	if n := os.Getenv("ABSENCE_COMPARE_EMPLOYEES"); n != "" {
		var err error
		if employees, err = strconv.Atoi(n); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	config := filepath.Join(dir, "one-thread.toml")
	if err := os.WriteFile(config, []byte("[performance]\nthreads = 1\nmemory_limit = \"2GB\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	self := func(args ...string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "ABSENCE_CONFIG=", mainArgsEnv+"="+strings.Join(args, "\n"))
		return cmd
	}
	run := func(what string, cmd *exec.Cmd) []byte {
		t.Helper()
		began := time.Now()
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v\n%s", what, err, stderr.String())
		}
		t.Logf("%s: %.1f s", what, time.Since(began).Seconds())
		return out
	}
	run("generate", self("generate", "--employees", strconv.Itoa(employees), "--format", "native", "--out", data))
	files := []string{"employments.csv", "absence_periods.csv", "interventions.csv", "milestones.csv"}
	imp := []string{"import", "--config", config, "--extract-date", "2026-06-30"}
	for i := range files {
		files[i] = filepath.Join(data, files[i])
	}
	old, mig, fresh := filepath.Join(dir, "old.duckdb"), filepath.Join(dir, "mig.duckdb"), filepath.Join(dir, "new.duckdb")
	run("import by the other build", exec.Command(other, append(append(imp, "--db", old), files...)...))
	for _, c := range [][2]string{{old + ".key", mig + ".key"}, {old + ".key", fresh + ".key"}, {old, mig}} {
		if err := copyFile(c[0], c[1]); err != nil { // speed_test.go
			t.Fatal(err)
		}
	}
	run("import by this build", self(append(append(imp, "--db", fresh), files...)...))

	for _, c := range []string{
		"report --from 2025-07-01 --to 2026-06-30",
		"report --from 2025-07-01 --to 2026-06-30 --format json",
		"report --from 2025-07-01 --to 2026-06-30 --by department --format csv",
		"report --from 2025-01-01 --to 2025-12-31 --by age --format json",
		"report --from 2025-01-01 --to 2025-12-31 --by location --format csv",
		"report --from 2025-01-01 --to 2025-12-31 --by tenure --format json",
		"report survival --from 2024-07-01 --to 2026-06-30 --by department --format json",
		"report survival --from 2024-07-01 --to 2026-06-30 --by department --robust --format json",
		"report outcomes --from 2024-07-01 --to 2026-06-30 --format json",
		"report outcomes --from 2024-07-01 --to 2026-06-30 --format csv",
		"report progression --from 2024-07-01 --to 2026-06-30 --format json",
		"report tracks --from 2025-07-01 --to 2026-06-30 --format json",
		"report interventions --from 2024-07-01 --to 2026-06-30 --format json",
		"report frequent-to-long --at 2025-06-30 --format json",
	} {
		args := append(strings.Fields(c), "--config", config)
		want := string(run("other build: "+c, exec.Command(other, append(args, "--db", old)...)))
		for _, db := range []string{mig, fresh} {
			got := string(run(filepath.Base(db)+": "+c, self(append(args, "--db", db)...)))
			if got != want {
				t.Errorf("absence %s on %s differs from the other build's:\n%s", c, filepath.Base(db), firstDifference(want, got))
				continue
			}
			t.Logf("absence %s on %s: %d bytes, byte-identical", c, filepath.Base(db), len(got))
		}
	}
}
