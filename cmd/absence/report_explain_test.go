package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"math"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/ingest/storage"
)

// explained is one query of an --explain script.
type explained struct{ name, prepare, execute string }

var explainBlock = regexp.MustCompile(`(?s)\n-- \d+\. (\S+)\n(PREPARE q\d+ AS\n.*?;)\n(EXECUTE q\d+.*?;)\n`)

// rerun runs the last query of the script named name straight against the
// database, as a user would paste it into DuckDB, and returns its rows.
func rerun(t *testing.T, db, script, name string) [][]any {
	t.Helper()
	var q *explained
	for _, m := range explainBlock.FindAllStringSubmatch(script, -1) {
		if m[1] == name {
			q = &explained{m[1], m[2], m[3]}
		}
	}
	if q == nil {
		t.Fatalf("no query %s in the script:\n%.2000s", name, script)
	}
	s, err := storage.Open(t.Context(), db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sess, err := s.Session(t.Context(), false)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	conn := sess.Conn()
	if _, err := conn.ExecContext(t.Context(), q.prepare); err != nil {
		t.Fatalf("%s: %v", q.prepare[:min(200, len(q.prepare))], err)
	}
	rows, err := conn.QueryContext(t.Context(), q.execute)
	if err != nil {
		t.Fatalf("%s: %v", q.execute, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, vals)
	}
	return out
}

func num(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case int32:
		return float64(x)
	case float64:
		return x
	case sql.NullFloat64:
		return x.Float64
	}
	return math.NaN()
}

// TestExplainedSQLGivesTheReportsNumbers: for every report kind, the script
// of --explain, run straight against the database, gives the numbers of the
// report.
func TestExplainedSQLGivesTheReportsNumbers(t *testing.T) {
	dir := t.TempDir()
	if _, err := datasets.WriteFiles(dir, datasets.Config{Employees: 200, Seed: 3}, datasets.FormatNative); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "explain.duckdb")
	args := []string{"--db", db, "--extract-date", "2026-06-30"}
	for _, f := range []string{"employments.csv", "absence_periods.csv", "interventions.csv", "milestones.csv"} {
		args = append(args, filepath.Join(dir, f))
	}
	if err := runImport(args); err != nil {
		t.Fatal(err)
	}
	report := func(kind string, args ...string) (script string, rep map[string]any) {
		t.Helper()
		args = append([]string{"--db", db, "--min-employees", "5"}, args...)
		run := func(extra ...string) string {
			var out bytes.Buffer
			var err error
			if kind == "" {
				err = statisticsReport(&out, append(args, extra...))
			} else {
				err = outcomeReport(&out, kind, append(args, extra...))
			}
			if err != nil {
				t.Fatalf("report %s: %v", kind, err)
			}
			return out.String()
		}
		if err := json.Unmarshal([]byte(run("--format", "json")), &rep); err != nil {
			t.Fatal(err)
		}
		return run("--explain"), rep
	}
	near := func(t *testing.T, what string, got, want float64) {
		t.Helper()
		if math.IsNaN(got) || math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Errorf("%s: the SQL gives %v, the report %v", what, got, want)
		}
	}

	t.Run("statistics", func(t *testing.T) {
		script, rep := report("", "--from", "2025-01-01", "--to", "2025-12-31", "--by", "department")
		total := rep["total"].(map[string]any)
		groups := map[string]map[string]any{}
		for _, g := range rep["groups"].([]any) {
			groups[g.(map[string]any)["group"].(string)] = g.(map[string]any)
		}
		// kpis.sql: tot, g1, employees, hd, x, y, …, new cases at 16 (kpis.go, computeRaw).
		for _, row := range rerun(t, db, script, "kpis") {
			g := total
			if row[0] == false {
				if g = groups[row[1].(string)]; g["suppressed"] == true {
					continue
				}
			}
			near(t, "employees", num(row[2]), g["employees"].(float64))
			near(t, "zvp_pct", 100*num(row[5])/num(row[4]), g["zvp_pct"].(float64))
			near(t, "sick_days_per_fte", 365*num(row[5])/num(row[4]), g["sick_days_per_fte"].(float64))
			near(t, "new_cases", num(row[16]), g["new_cases"].(float64))
		}
	})
	// tallies.sql with one key column: part, gid, key, t, a, b, extras…;
	// part 1 holds per group the employees (a) and cases (b), part 0 the
	// events (a) per time. gid 1 is the total.
	tallies := func(rows [][]any) (employees, cases, events float64) {
		for _, r := range rows {
			switch {
			case num(r[1]) != 1:
			case num(r[0]) == 1:
				employees, cases = num(r[4]), num(r[5])
			default:
				events += num(r[4])
			}
		}
		return
	}
	t.Run("survival", func(t *testing.T) {
		script, rep := report("survival", "--by", "department")
		total := rep["total"].(map[string]any)
		emp, cases, events := tallies(rerun(t, db, script, "tallies"))
		near(t, "employees", emp, total["employees"].(float64))
		near(t, "cases", cases, total["cases"].(float64))
		near(t, "events", events, total["events"].(float64))
	})
	t.Run("outcomes", func(t *testing.T) {
		script, rep := report("outcomes")
		_, cases, _ := tallies(rerun(t, db, script, "tallies"))
		near(t, "cases", cases, rep["groups"].([]any)[0].(map[string]any)["cases"].(float64))
	})
	t.Run("progression", func(t *testing.T) {
		script, rep := report("progression")
		_, cases, _ := tallies(rerun(t, db, script, "tallies"))
		near(t, "cases", cases, rep["total"].(map[string]any)["cases"].(float64))
	})
	t.Run("tracks", func(t *testing.T) {
		script, rep := report("tracks")
		open := 0.0
		for _, r := range rerun(t, db, script, "tracks") {
			if r[2] == "a" && r[8] == true {
				open++
			}
		}
		near(t, "open tracks", open, float64(len(rep["open_tracks"].([]any))))
		if open == 0 {
			t.Error("no open track: the comparison proves nothing")
		}
	})
	t.Run("interventions", func(t *testing.T) {
		script, rep := report("interventions", "--from", "2024-07-01", "--to", "2026-06-30")
		var all, unlinked float64
		for _, r := range rerun(t, db, script, "interventions_unlinked") {
			all += num(r[1])
			if r[0] != nil {
				unlinked += num(r[1])
			}
		}
		iv := rep["interventions"].(map[string]any)
		near(t, "interventions", all, iv["interventions"].(float64))
		near(t, "unlinked", unlinked, iv["unlinked"].(float64))
		if all == 0 {
			t.Error("no intervention: the comparison proves nothing")
		}
	})
	t.Run("frequent-to-long", func(t *testing.T) {
		script, rep := report("frequent-to-long", "--at", "2024-06-30")
		n := map[string]float64{}
		for _, r := range rerun(t, db, script, "tallies") {
			if num(r[0]) == 1 && r[2] != nil {
				n[r[2].(string)] = num(r[4])
			}
		}
		for _, e := range rep["cumulative_incidence"].([]any) {
			e := e.(map[string]any)
			if e["n"] != nil {
				near(t, "employees of "+e["group"].(string), n[e["group"].(string)], e["n"].(float64))
			}
		}
		if len(n) != 2 {
			t.Errorf("groups %v", n)
		}
	})
}
