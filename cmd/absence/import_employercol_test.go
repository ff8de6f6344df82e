package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/datasets"
)

// A bureau's combined exports (an employer column, read by the native
// profiles) give each employer the report its own exports give it.
func TestCombinedExportReportsAsEachEmployersOwn(t *testing.T) {
	dir := t.TempDir()
	extract := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	clients := []struct {
		name      string
		employees int
		seed      uint64
	}{{"Bakkerij Jansen", 150, 3}, {"Zorggroep Noord", 100, 4}}
	combined := map[string]*strings.Builder{}
	for _, c := range clients {
		own := filepath.Join(dir, c.name)
		if _, err := datasets.WriteFiles(own, datasets.Config{Employees: c.employees, Seed: c.seed, ExtractDate: extract}, "native"); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"employments.csv", "absence_periods.csv"} {
			data, err := os.ReadFile(filepath.Join(own, f))
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
			if combined[f] == nil {
				combined[f] = &strings.Builder{}
				fmt.Fprintf(combined[f], "employer,%s\n", lines[0])
			}
			for _, l := range lines[1:] {
				fmt.Fprintf(combined[f], "%s,%s\n", c.name, l)
			}
		}
	}
	var bureau []string
	for _, f := range []string{"absence_periods.csv", "employments.csv"} { // name order: absence first
		path := filepath.Join(dir, "bureau_"+f)
		if err := os.WriteFile(path, []byte(combined[f].String()), 0o600); err != nil {
			t.Fatal(err)
		}
		bureau = append(bureau, path)
	}

	run := func(args ...string) string {
		t.Helper()
		code, out := absence(t, args...)
		if code != 0 {
			t.Fatalf("absence %s: exit %d\n%s", strings.Join(args, " "), code, out)
		}
		return out
	}
	together, apart := filepath.Join(dir, "together.duckdb"), filepath.Join(dir, "apart.duckdb")
	for _, db := range []string{together, apart} {
		for _, c := range clients {
			run("employers", "add", "--db", db, c.name)
		}
	}
	out := run(append([]string{"import", "--db", together, "--extract-date", "2026-06-30"}, bureau...)...)
	if !strings.Contains(out, "one for each employer in the file") || strings.Contains(out, "rejected 1") {
		t.Errorf("the combined import:\n%s", out)
	}
	for _, c := range clients {
		own := filepath.Join(dir, c.name)
		run("import", "--db", apart, "--employer", c.name, "--extract-date", "2026-06-30", filepath.Join(own, "employments.csv"), filepath.Join(own, "absence_periods.csv"))
	}
	for _, c := range clients {
		report := []string{"report", "--from", "2025-07-01", "--to", "2026-06-30", "--by", "department", "--format", "json", "--employer", c.name, "--db"}
		got, want := run(append(report, together)...), run(append(report, apart)...)
		var a, b map[string]any
		if err := json.Unmarshal([]byte(got), &a); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(want), &b); err != nil {
			t.Fatal(err)
		}
		if !sameFigures(a, b) || !strings.Contains(want, `"department"`) {
			t.Errorf("%s: the report from the combined exports differs from that of its own exports:\n%.2000s\nwant:\n%.2000s", c.name, got, want)
		}
	}
}
