package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/verzuim/absence/ingest/storage"
)

// releaseFixture is a database made by the release before employers, with
// that release's report outputs on it (its README says how).
const releaseFixture = fixtures + "release-5c98183/"

// addedSince are the JSON fields reports gained on purpose since the
// release, per output: with them left out, the output must equal the
// release's value for value.
// A field of every element of a list is named list[].field.
var addedSince = map[string][]string{
	"interventions.json": {"adjusted", "adjusted_timing", "adjusted_definitions", "dose", "cost"}, // issue 13: the adjusted effect, dose, cost and return
	"tracks.json":        {"open_tracks[].department", "open_tracks[].team"},                      // issue 14: the worklist's department and team
}

// withoutAdded leaves out of a JSON output the fields added since the
// release (addedSince), and writes it and the release's the same way, so
// they can be compared; other outputs are returned as they are.
func withoutAdded(t *testing.T, name string, got, want []byte) ([]byte, []byte) {
	t.Helper()
	added, ok := addedSince[name]
	if !ok {
		return got, want
	}
	var g, w map[string]any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for _, k := range added {
		if !deleteField(g, k) {
			t.Errorf("%s: the field %q added since the release is missing", name, k)
		}
	}
	gb, err := json.MarshalIndent(g, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	wb, err := json.MarshalIndent(w, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return gb, wb
}

// lastDigits is how far a fraction may differ from the release's,
// relative to its size: a sum of doubles depends on the order its terms
// are added in, which follows DuckDB's plan, and the plan follows the
// type of the employee key (integer keys since migration 12, issue 15).
// Everything else must be the same byte for byte.
const lastDigits = 1e-12

// number is a number in an output; a fraction has a point or an exponent.
var number = regexp.MustCompile(`-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?`)

// sameToLastDigits compares two outputs: the same text, the same whole
// numbers, the same fractions to within lastDigits. It returns the largest
// relative difference of a fraction, and where the first difference beyond
// that is.
func sameToLastDigits(want, got string) (maxRel float64, diff string) {
	wn, gn := number.FindAllStringIndex(want, -1), number.FindAllStringIndex(got, -1)
	if len(wn) != len(gn) {
		return 0, firstDifference(want, got)
	}
	wi, gi := 0, 0
	for i := range wn {
		if want[wi:wn[i][0]] != got[gi:gn[i][0]] {
			return maxRel, firstDifference(want, got)
		}
		w, g := want[wn[i][0]:wn[i][1]], got[gn[i][0]:gn[i][1]]
		wi, gi = wn[i][1], gn[i][1]
		if w == g {
			continue
		}
		if !strings.ContainsAny(w, ".eE") || !strings.ContainsAny(g, ".eE") {
			return maxRel, firstDifference(want, got)
		}
		a, _ := strconv.ParseFloat(w, 64)
		b, _ := strconv.ParseFloat(g, 64)
		rel := math.Abs(a-b) / max(math.Abs(a), math.Abs(b))
		maxRel = max(maxRel, rel)
		if rel > lastDigits {
			return maxRel, fmt.Sprintf("%s (a relative difference of %.1e)", firstDifference(want, got), rel)
		}
	}
	if want[wi:] != got[gi:] {
		return maxRel, firstDifference(want, got)
	}
	return maxRel, ""
}

// deleteField removes field k (list[].field: from every element of the
// list) and reports whether it was there.
func deleteField(m map[string]any, k string) bool {
	list, field, nested := strings.Cut(k, "[].")
	if !nested {
		_, ok := m[k]
		delete(m, k)
		return ok
	}
	items, _ := m[list].([]any)
	found := len(items) > 0
	for _, it := range items {
		if e, ok := it.(map[string]any); !ok || !deleteField(e, field) {
			found = false
		}
	}
	return found
}

// A database made by the previous release opens with the current code,
// migrates into the default employer, and gives byte-identical reports (a
// JSON report that gained fields on purpose since: the same values beside
// them, addedSince).
func TestReleaseDatabaseMigratesIntoTheDefaultEmployer(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "absence.duckdb")
	gunzip(t, releaseFixture+"absence.duckdb.gz", db)
	key, err := os.ReadFile(releaseFixture + "absence.duckdb.key")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(storage.KeyPath(db), key, 0o600); err != nil {
		t.Fatal(err)
	}

	cmds, err := os.Open(releaseFixture + "commands.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer cmds.Close()
	lines := bufio.NewScanner(cmds)
	for lines.Scan() {
		name, args, _ := strings.Cut(lines.Text(), "\t")
		want, err := os.ReadFile(releaseFixture + "out/" + name)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "ABSENCE_CONFIG=", mainArgsEnv+"="+strings.Join(append(strings.Fields(args), "--config", releaseFixture+"one-thread.toml", "--db", db), "\n"))
		var stderr strings.Builder
		cmd.Stderr = &stderr
		got, err := cmd.Output()
		if err != nil {
			t.Fatalf("absence %s: %v\n%s", args, err, stderr.String())
		}
		g, w := withoutAdded(t, name, got, want)
		rel, diff := sameToLastDigits(string(w), string(g))
		if diff != "" {
			t.Errorf("absence %s on the migrated database differs from the release's output (%s):\n%s", args, name, diff)
		}
		t.Logf("%s: %d bytes, largest relative difference of a fraction %.1e", name, len(got), rel)
	}

	s, err := storage.Open(context.Background(), db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var employers int
	s.Reader().QueryRowContext(context.Background(), `SELECT count(*) FROM employers`).Scan(&employers)
	if employers != 1 {
		t.Errorf("the migrated database has %d employers, want only the default one", employers)
	}
	for _, table := range []string{"employments", "absence_cases", "case_segments", "interventions", "milestones", "imports"} {
		var rows, inDefault int64
		err := s.Reader().QueryRowContext(context.Background(), `SELECT count(*), count(*) FILTER (WHERE employer_id = ?) FROM `+table, storage.DefaultEmployerID).Scan(&rows, &inDefault)
		if err != nil {
			t.Fatal(err)
		}
		if rows == 0 || inDefault != rows {
			t.Errorf("%s: %d of %d rows in the default employer, want all (and some)", table, inDefault, rows)
		}
	}
}

// The migration to integer employee keys (12) keeps every row of every
// table that names an employee, with the same pseudonym and values; each
// employee gets one key, and no table keeps the pseudonym beside it.
func TestReleaseDatabaseGetsIntegerEmployeeKeys(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "absence.duckdb")
	gunzip(t, releaseFixture+"absence.duckdb.gz", db)
	key, err := os.ReadFile(releaseFixture + "absence.duckdb.key")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(storage.KeyPath(db), key, 0o600); err != nil {
		t.Fatal(err)
	}
	tables := []string{"employments", "absence_cases", "case_segments", "interventions", "milestones",
		"replaced_employments", "replaced_absence_cases", "replaced_case_segments", "replaced_interventions", "replaced_milestones"}
	// Each table as the release stored it: its columns, and a fingerprint
	// of its rows with the pseudonym (the same sum of row hashes is what
	// the migrated table must give).
	type fingerprint struct {
		cols       string
		rows, hash string
	}
	before := map[string]fingerprint{}
	var employees int64
	func() {
		raw, err := sql.Open("duckdb", db)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		var present []string
		for _, table := range tables {
			var cols string
			err := raw.QueryRowContext(ctx, `SELECT string_agg(column_name, ', ' ORDER BY column_index) FROM duckdb_columns()
				WHERE table_name = ? AND column_name <> 'employee_id'`, table).Scan(&cols)
			if err != nil || cols == "" {
				continue // a table the release did not have yet
			}
			f := fingerprint{cols: cols}
			err = raw.QueryRowContext(ctx, `SELECT count(*)::VARCHAR, coalesce(sum(hash(employee_id, `+cols+`)), 0)::VARCHAR FROM `+table).Scan(&f.rows, &f.hash)
			if err != nil {
				t.Fatal(err)
			}
			before[table] = f
			present = append(present, "SELECT employee_id FROM "+table)
		}
		if err := raw.QueryRowContext(ctx, `SELECT count(DISTINCT employee_id) FROM (`+strings.Join(present, " UNION ALL ")+`)`).Scan(&employees); err != nil {
			t.Fatal(err)
		}
	}()
	if len(before) < 5 || employees == 0 {
		t.Fatalf("the release database has %d of the tables and %d employees: not the fixture this test expects", len(before), employees)
	}

	s, err := storage.Open(ctx, db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	q := s.Reader()
	var keys, distinctKeys, pseudonyms int64
	if err := q.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT employee_key), count(DISTINCT (employer_id, pseudonym)) FROM employees`).Scan(&keys, &distinctKeys, &pseudonyms); err != nil {
		t.Fatal(err)
	}
	if keys != employees || distinctKeys != keys || pseudonyms != keys {
		t.Errorf("employees: %d rows, %d keys, %d pseudonyms; want one row and key for each of the release's %d employees", keys, distinctKeys, pseudonyms, employees)
	}
	for _, table := range tables {
		want, ok := before[table]
		if !ok {
			continue
		}
		var got fingerprint
		cols := strings.ReplaceAll(", "+want.cols, ", ", ", t.")[2:]
		err := q.QueryRowContext(ctx, `SELECT count(*)::VARCHAR, coalesce(sum(hash(k.pseudonym, `+cols+`)), 0)::VARCHAR
			FROM `+table+` t JOIN employees k USING (employee_key)`).Scan(&got.rows, &got.hash)
		if err != nil {
			t.Fatal(err)
		}
		if got.rows != want.rows || got.hash != want.hash {
			t.Errorf("%s: %s rows (fingerprint %s) with their pseudonyms after the migration, want the release's %s (%s)", table, got.rows, got.hash, want.rows, want.hash)
		}
		var types string
		err = q.QueryRowContext(ctx, `SELECT string_agg(column_name || ' ' || data_type || CASE WHEN is_nullable THEN '' ELSE ' NOT NULL' END, ', ' ORDER BY column_index)
			FROM duckdb_columns() WHERE table_name = ? AND column_name LIKE 'employee%'`, table).Scan(&types)
		if err != nil {
			t.Fatal(err)
		}
		if types != "employee_key INTEGER NOT NULL" {
			t.Errorf("%s names employees by %q, want only employee_key INTEGER NOT NULL", table, types)
		}
	}
}

func gunzip(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	z, err := gzip.NewReader(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, z); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// firstDifference shows the first line where two outputs differ.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\nwant %s\ngot  %s", i+1, wl, gl)
		}
	}
	return ""
}
