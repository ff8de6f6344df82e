package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/ingest/storage"
)

// orderReports are the reports of the release test (release_migration_test.go)
// on a generated organisation whose data run to 2026-06-30, the survival
// curve with robust intervals, and the trend (analytics.Series, trendJSON),
// which has no command.
var orderReports = []struct{ kind, args string }{
	{"", "--from 2025-07-01 --to 2026-06-30"},
	{"", "--from 2025-07-01 --to 2026-06-30 --format json"},
	{"", "--from 2025-07-01 --to 2026-06-30 --by department --format csv"},
	{"", "--from 2024-07-01 --to 2025-06-30 --by age --format json"},
	{"survival", "--from 2024-07-01 --to 2026-06-30 --by department --format json"},
	{"survival", "--from 2024-07-01 --to 2026-06-30 --by department --robust --format json"},
	{"outcomes", "--from 2024-07-01 --to 2026-06-30 --format json"},
	{"progression", "--from 2024-07-01 --to 2026-06-30 --format json"},
	{"tracks", "--from 2025-07-01 --to 2026-06-30 --format json"},
	{"interventions", "--from 2024-07-01 --to 2026-06-30 --format json"},
	{"frequent-to-long", "--at 2025-06-30 --format json"},
}

// The figures are the same whatever order the rows of the files come in
// and however many threads DuckDB uses: an organisation imported once as
// generated and once with the lines of every file shuffled (header kept;
// the same key, so the same pseudonyms) gives byte-identical reports, with
// one thread and with four. A sum of fractions added in another order can
// differ in its last digit, so the figures must not depend on the order of
// addition at all.
func TestReportsDoNotDependOnRowOrderOrThreads(t *testing.T) {
	dir := t.TempDir()
	gen := filepath.Join(dir, "generated")
	if _, err := datasets.WriteFiles(gen, datasets.Config{Employees: 400, Seed: 11, ExtractDate: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)}, datasets.FormatNative); err != nil {
		t.Fatal(err)
	}
	files := []string{"employments.csv", "absence_periods.csv", "interventions.csv", "milestones.csv"}
	shuffled := filepath.Join(dir, "shuffled")
	if err := os.Mkdir(shuffled, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		shuffleLines(t, filepath.Join(gen, f), filepath.Join(shuffled, f), uint64(i+1))
	}
	imported := func(name, from string) string {
		db := filepath.Join(dir, name+".duckdb")
		args := []string{"--db", db, "--extract-date", "2026-06-30"}
		for _, f := range files {
			args = append(args, filepath.Join(from, f))
		}
		if err := runImport(args); err != nil {
			t.Fatalf("import %s: %v", name, err)
		}
		return db
	}
	threads := func(n int) string {
		path := filepath.Join(dir, fmt.Sprintf("threads-%d.toml", n))
		if err := os.WriteFile(path, fmt.Appendf(nil, "[performance]\nthreads = %d\n", n), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	asGenerated := imported("generated", gen)
	// The same key, so that an employee has the same pseudonym in both.
	key, err := os.ReadFile(storage.KeyPath(asGenerated))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(storage.KeyPath(filepath.Join(dir, "shuffled.duckdb")), key, 0o600); err != nil {
		t.Fatal(err)
	}
	shuffledDB := imported("shuffled", shuffled)
	// Employees get their integer keys in the order they first come: here
	// every other one in an employments file imported first, so that the
	// keys' order is not the pseudonyms'.
	laterKeys := filepath.Join(dir, "later-keys.duckdb")
	if err := os.WriteFile(storage.KeyPath(laterKeys), key, 0o600); err != nil {
		t.Fatal(err)
	}
	everyOther := filepath.Join(dir, "every-other-employment.csv")
	everyOtherLine(t, filepath.Join(gen, "employments.csv"), everyOther)
	if err := runImport([]string{"--db", laterKeys, "--extract-date", "2026-06-30", everyOther}); err != nil {
		t.Fatal(err)
	}
	imported("later-keys", gen)
	one, four := threads(1), threads(4)
	variants := []struct{ name, db, config string }{
		{"as generated, 1 thread", asGenerated, one},
		{"shuffled, 1 thread", shuffledDB, one},
		{"shuffled, 4 threads", shuffledDB, four},
		{"keys not in the pseudonyms' order, 1 thread", laterKeys, one},
	}

	outputs := make([][]string, len(variants))
	for i, v := range variants {
		for _, r := range orderReports {
			var out bytes.Buffer
			args := append(strings.Fields(r.args), "--db", v.db, "--config", v.config)
			var err error
			if r.kind == "" {
				err = statisticsReport(&out, args)
			} else {
				err = outcomeReport(&out, r.kind, args)
			}
			if err != nil {
				t.Fatalf("%s: report %s %s: %v", v.name, r.kind, r.args, err)
			}
			outputs[i] = append(outputs[i], out.String())
		}
		outputs[i] = append(outputs[i], trendJSON(t, v.db, v.config))
	}
	for i := 1; i < len(variants); i++ {
		for j, r := range append(orderReports, struct{ kind, args string }{"trend", "analytics.Series 2025-07-01 … 2026-06-30, monthly"}) {
			if outputs[i][j] != outputs[0][j] {
				t.Errorf("report %s %s: %s differs from %s:\n%s", r.kind, r.args, variants[i].name, variants[0].name, firstDifference(outputs[0][j], outputs[i][j]))
			}
		}
	}
}

// trendJSON is the monthly trend of the year to the extract date, as JSON.
func trendJSON(t *testing.T, db, configPath string) string {
	t.Helper()
	c, err := loadConfig(configPath)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := storage.Open(ctx, db, storage.Options{Threads: c.Performance.Threads})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	f := analytics.Filter{From: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)}
	res, err := analytics.Series(ctx, s.Reader(), f, analytics.Monthly, analytics.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(res, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// shuffleLines copies a CSV file with its lines after the header in a
// random order (the same for the same seed).
func shuffleLines(t *testing.T, from, to string, seed uint64) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(strings.TrimSuffix(string(b), "\n"), "\n")
	last := len(lines) - 1
	lines[last] += "\n"
	body := lines[1:]
	rand.New(rand.NewPCG(seed, seed)).Shuffle(len(body), func(i, j int) { body[i], body[j] = body[j], body[i] })
	if err := os.WriteFile(to, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// everyOtherLine copies a CSV file with every other employee's lines (by
// the first column) after the header.
func everyOtherLine(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	out, seen := lines[:1], map[string]int{}
	for _, l := range lines[1:] {
		id, _, _ := strings.Cut(l, ",")
		if _, ok := seen[id]; !ok {
			seen[id] = len(seen)
		}
		if seen[id]%2 == 1 {
			out = append(out, l)
		}
	}
	if err := os.WriteFile(to, []byte(strings.Join(out, "")), 0o644); err != nil {
		t.Fatal(err)
	}
}
