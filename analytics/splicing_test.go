package analytics

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/verzuim/absence/datasets"
)

// TestNoValueIsSplicedIntoSQL: no Go file of the package quotes a value into
// SQL (the old lit() and dateLit() did), only Query.run and Query.row reach
// the database, and the SQL files hold templates and $name placeholders,
// never a Go format verb.
func TestNoValueIsSplicedIntoSQL(t *testing.T) {
	quoting := regexp.MustCompile(`'%[a-z]|%[a-z]'|"'"|"''"|DATE '"|'" \+|\+ "'`)
	goFiles, _ := filepath.Glob("*.go")
	for _, f := range goFiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if quoting.MatchString(line) {
				t.Errorf("%s:%d quotes a value into SQL: %s", f, i+1, strings.TrimSpace(line))
			}
			if strings.Contains(line, "QueryContext(") || strings.Contains(line, "QueryRowContext(") {
				// options.go declares Querier; the Recorder of explain.go
				// passes on what Query.run and Query.row send it.
				if f != "query.go" && f != "options.go" && f != "explain.go" {
					t.Errorf("%s:%d runs SQL outside Query.run and Query.row: %s", f, i+1, strings.TrimSpace(line))
				}
			}
		}
	}
	sqlFiles, _ := filepath.Glob("sql/*.sql")
	if len(sqlFiles) < 10 {
		t.Fatalf("only %d SQL files", len(sqlFiles))
	}
	for _, f := range sqlFiles {
		data, _ := os.ReadFile(f)
		if m := regexp.MustCompile(`%[sdvq]`).Find(data); m != nil {
			t.Errorf("%s holds a format verb %s", f, m)
		}
	}
}

// TestRenderRefusesValues: a value in a template's data, or a placeholder
// without a value, is a bug that render will not run.
func TestRenderRefusesValues(t *testing.T) {
	refused := func(what string, f func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("render accepted %s", what)
			}
		}()
		f()
	}
	refused("a string in its template data", func() {
		render("tallies", struct{ With string }{"x'; DROP TABLE x; --"}, params{})
	})
	refused("a placeholder without a value", func() {
		render("absentees", struct {
			Pieces piecesData
			Filter sqlText
		}{Filter: "true"}, params{})
	})
	if q := render("extract_date", nil, params{"unused": 1}); len(q.Params) != 0 || !strings.HasPrefix(q.SQL, "-- analytics/sql/extract_date.sql") {
		t.Errorf("render kept a parameter the SQL does not use, or lost its file: %+v", q)
	}
}

// hostileNames are filter values that would break, or change, a query that
// spliced them into its text.
var hostileNames = []string{
	"O'Brien",
	"'); DROP TABLE employments;--",
	"%",
	"_",
	"$period_from",
	`Zorg & Welzijn — ü 😀 "zorg" \ 'x'`,
}

// TestHostileFilterValuesAreData gives departments and locations hostile
// names, runs every figure with a filter on them and holds the results to
// those under the plain names: a value is only ever data.
func TestHostileFilterValuesAreData(t *testing.T) {
	dir := t.TempDir()
	if _, err := datasets.WriteFiles(dir, datasets.Config{Employees: 150, Seed: 5}, datasets.FormatNative); err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range []string{"employments.csv", "absence_periods.csv", "interventions.csv", "milestones.csv"} {
		files = append(files, filepath.Join(dir, f))
	}
	s := openStore(t, refExtract, files...)
	opt := Options{MinEmployees: 5, MinCases: 5}
	for _, col := range []string{"department", "location"} {
		rows, err := s.DB.Query(`SELECT ` + col + ` FROM employments GROUP BY ALL ORDER BY count(*) DESC, ` + col)
		if err != nil {
			t.Fatal(err)
		}
		var plain []string
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			plain = append(plain, v)
		}
		rows.Close()
		n := min(len(plain), len(hostileNames))
		if n < 2 {
			t.Fatalf("only %d values of %s", n, col)
		}
		filter := func(names []string) Filter {
			f := Filter{From: date("2025-07-01"), To: date("2026-06-30")}
			if col == "location" {
				f.Locations = names
				return f
			}
			for _, name := range names {
				f.Units = append(f.Units, Unit{Department: name})
			}
			return f
		}
		want := allFigures(t, s.DB, filter(plain[:n]), opt)
		if k := want["kpis"].(map[string]any)["Total"].(map[string]any); k["suppressed"] != false || k["zvp_pct"] == nil {
			t.Fatalf("the plain %ss show no figures, so the comparison proves nothing: %v", col, k)
		}
		back := map[string]string{}
		for i, name := range hostileNames[:n] {
			if _, err := s.exec(`UPDATE employments SET `+col+` = $1 WHERE `+col+` = $2`, name, plain[i]); err != nil {
				t.Fatal(err)
			}
			back[name] = plain[i]
		}
		got := renamed(allFigures(t, s.DB, filter(hostileNames[:n]), opt), back)
		if path, ok := sameResults(sortedGroups(want), sortedGroups(got), ""); !ok {
			t.Errorf("%ss named %q: the results differ at %s", col, hostileNames[:n], path)
		}
		for name, p := range back {
			if _, err := s.exec(`UPDATE employments SET `+col+` = $1 WHERE `+col+` = $2`, p, name); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// sortedGroups puts the lists of groups in one order: groups are sorted by
// name, which the renaming changes.
func sortedGroups(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = sortedGroups(e)
		}
	case []any:
		for i, e := range x {
			x[i] = sortedGroups(e)
		}
		if len(x) > 0 && !slices.ContainsFunc(x, func(e any) bool { m, ok := e.(map[string]any); return !ok || m["group"] == nil }) {
			slices.SortStableFunc(x, func(a, b any) int {
				ja, _ := json.Marshal(a)
				jb, _ := json.Marshal(b)
				return strings.Compare(string(ja), string(jb))
			})
		}
	}
	return v
}

// allFigures runs every figure for f, as JSON values.
func allFigures(t *testing.T, q Querier, f Filter, opt Options) map[string]any {
	t.Helper()
	ctx := context.Background()
	out := map[string]any{}
	add := func(name string, v any, err error) {
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var x any
		json.Unmarshal(raw, &x)
		out[name] = x
	}
	k, err := KPIs(ctx, q, f, opt)
	add("kpis", k, err)
	b, err := Breakdown(ctx, q, f, ByTeam, opt)
	add("breakdown", b, err)
	se, err := Series(ctx, q, f, Quarterly, opt)
	add("series", se, err)
	ab, err := FrequentAbsentees(ctx, q, f, opt)
	add("absentees", ab, err)
	sv, err := Survival(ctx, q, f, ByTeam, opt)
	add("survival", sv, err)
	oc, err := Outcomes(ctx, q, f, ByAgeBand, OutcomesOptions{}, opt)
	add("outcomes", oc, err)
	pr, err := Progression(ctx, q, f, ProgressionOptions{}, opt)
	add("progression", pr, err)
	tr, err := Tracks(ctx, q, f, TrackOptions{}, opt)
	add("tracks", tr, err)
	iv, err := Interventions(ctx, q, f, opt)
	add("interventions", iv, err)
	lm, err := Landmark(ctx, q, f, LandmarkOptions{}, opt)
	add("landmark", lm, err)
	fl, err := FrequentToLong(ctx, q, f, date("2024-06-30"), opt)
	add("frequent_to_long", fl, err)
	return out
}

// renamed replaces the names by their plain names in the groups of v (a
// name, or a department before " / " in a test's groups), not in the
// definitions, where "%" is a unit.
func renamed(v any, names map[string]string) map[string]any {
	var walk func(any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if k != "definitions" {
					x[k] = walk(e)
				}
			}
		case []any:
			for i, e := range x {
				x[i] = walk(e)
			}
		case string:
			for name, plain := range names {
				if x == name {
					return plain
				}
				if rest, ok := strings.CutPrefix(x, name+" / "); ok {
					return plain + " / " + rest
				}
			}
		}
		return v
	}
	return walk(v).(map[string]any)
}

// sameResults compares JSON values, numbers to 1e-12 (the engine may sum in
// another order).
func sameResults(a, b any, path string) (string, bool) {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return path, false
		}
		for k := range x {
			if p, ok := sameResults(x[k], y[k], path+"."+k); !ok {
				return p, false
			}
		}
		return "", true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return path, false
		}
		for i := range x {
			if p, ok := sameResults(x[i], y[i], path+"[]"); !ok {
				return p, false
			}
		}
		return "", true
	case float64:
		y, ok := b.(float64)
		return path, ok && math.Abs(x-y) <= 1e-12*math.Max(1, math.Abs(x))
	}
	return path, a == b
}
