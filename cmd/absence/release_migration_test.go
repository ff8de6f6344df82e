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
	"reflect"
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

// sameButAdded compares a JSON output with the release's without the
// fields added since.
func sameButAdded(t *testing.T, name string, got, want []byte) bool {
	t.Helper()
	added, ok := addedSince[name]
	if !ok {
		return false
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
	return reflect.DeepEqual(g, w)
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

// exactSince are the outputs holding sums of fractions (FTE days, sick FTE
// days) that have been added exactly since the release
// (analytics/exact_sum.go): the release added them as doubles in the order
// of its plan, so a last digit can differ — the exactly rounded sum now —
// by at most exactDigits, relative. Everything else is the same byte for
// byte.
var exactSince = map[string]bool{"report-2025.json": true, "report-2024-age.json": true, "report-2025-department.csv": true}

// exactDigits: the largest difference seen is 1.4e-15 (a few units in the
// last place).
const exactDigits = 2e-15

// number is a number in an output; a fraction has a point or an exponent.
var number = regexp.MustCompile(`-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?`)

// sameToLastDigits compares two outputs: the same text, the same whole
// numbers, the same fractions to within exactDigits. It says where the
// first difference beyond that is, or "" when there is none.
func sameToLastDigits(want, got string) string {
	wn, gn := number.FindAllStringIndex(want, -1), number.FindAllStringIndex(got, -1)
	if len(wn) != len(gn) {
		return firstDifference(want, got)
	}
	wi, gi := 0, 0
	for i := range wn {
		w, g := want[wn[i][0]:wn[i][1]], got[gn[i][0]:gn[i][1]]
		if want[wi:wn[i][0]] != got[gi:gn[i][0]] || w != g && (!strings.ContainsAny(w, ".eE") || !strings.ContainsAny(g, ".eE")) {
			return firstDifference(want, got)
		}
		wi, gi = wn[i][1], gn[i][1]
		a, _ := strconv.ParseFloat(w, 64)
		b, _ := strconv.ParseFloat(g, 64)
		if rel := math.Abs(a-b) / max(math.Abs(a), math.Abs(b)); rel > exactDigits {
			return fmt.Sprintf("%s (a relative difference of %.1e)", firstDifference(want, got), rel)
		}
	}
	if want[wi:] != got[gi:] {
		return firstDifference(want, got)
	}
	return ""
}

// releaseCommand reads a line of a fixture's commands.tsv: the output's
// name, then the arguments, each after a tab — or, in the oldest fixture,
// all after one tab, separated by spaces.
func releaseCommand(line string) (name string, args []string) {
	fields := strings.Split(line, "\t")
	if len(fields) == 2 {
		return fields[0], strings.Fields(fields[1])
	}
	return fields[0], fields[1:]
}

// A database made by the previous release opens with the current code,
// migrates into the default employer, and gives byte-identical reports (a
// JSON report that gained fields on purpose since: the same values beside
// them, addedSince; sums of fractions added exactly since: exactSince).
func TestReleaseDatabaseMigratesIntoTheDefaultEmployer(t *testing.T) {
	db := releaseOutputs(t, releaseFixture, func(name string, args []string, got, want []byte) {
		switch {
		case string(got) == string(want) || sameButAdded(t, name, got, want):
		case exactSince[name]:
			if diff := sameToLastDigits(string(want), string(got)); diff != "" {
				t.Errorf("absence %q on the migrated database differs from the release's output (%s) beyond the exact sums' last digits:\n%s", args, name, diff)
			}
		default:
			t.Errorf("absence %q on the migrated database differs from the release's output (%s):\n%s", args, name, firstDifference(string(want), string(got)))
		}
	})

	s, err := storage.Open(context.Background(), db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var employers int
	scanRow(t, s.Reader().QueryRowContext(context.Background(), `SELECT count(*) FROM employers`), &employers)
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

// A database made by the release before integer employee keys (a provider
// with five client employers) opens with the current code and gives
// byte-identical reports.
func TestReleaseDatabaseReportsTheSame(t *testing.T) {
	releaseOutputs(t, fixtures+"release-0651238/", func(name string, args []string, got, want []byte) {
		if string(got) != string(want) {
			t.Errorf("absence %q on the release's database differs from the release's output (%s):\n%s", args, name, firstDifference(string(want), string(got)))
		}
	})
}

// copyRelease copies a release fixture's database, with its key, into a
// temporary folder and returns its path.
func copyRelease(t *testing.T, fixture string) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "absence.duckdb")
	gunzip(t, fixture+"absence.duckdb.gz", db)
	key, err := os.ReadFile(fixture + "absence.duckdb.key")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(storage.KeyPath(db), key, 0o600); err != nil {
		t.Fatal(err)
	}
	return db
}

// releaseOutputs opens a copy of a release fixture's database with the
// current code, runs each command of its commands.tsv as the release did,
// and gives check the output beside the release's. It returns the copy.
func releaseOutputs(t *testing.T, fixture string, check func(name string, args []string, got, want []byte)) string {
	t.Helper()
	db := copyRelease(t, fixture)
	cmds, err := os.Open(fixture + "commands.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer cmds.Close()
	lines := bufio.NewScanner(cmds)
	for lines.Scan() {
		name, args := releaseCommand(lines.Text())
		want, err := os.ReadFile(fixture + "out/" + name)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "ABSENCE_CONFIG=", mainArgsEnv+"="+strings.Join(append(args, "--config", fixture+"one-thread.toml", "--db", db), "\n"))
		var stderr strings.Builder
		cmd.Stderr = &stderr
		got, err := cmd.Output()
		if err != nil {
			t.Fatalf("absence %q: %v\n%s", args, err, stderr.String())
		}
		check(name, args, got, want)
	}
	if err := lines.Err(); err != nil {
		t.Fatal(err)
	}
	return db
}

// The migration to integer employee keys (12) keeps every row of every
// table that names an employee, with the same pseudonym and values; each
// employee of each employer gets one key, and no table keeps the pseudonym
// beside it. On both release databases: one from before employers, one of
// a provider with five client employers (whose pseudonyms differ, each
// employer having its own salt).
func TestReleaseDatabaseGetsIntegerEmployeeKeys(t *testing.T) {
	for _, fixture := range []string{releaseFixture, fixtures + "release-0651238/"} {
		t.Run(filepath.Base(fixture), func(t *testing.T) { checkEmployeeKeys(t, fixture) })
	}
}

func checkEmployeeKeys(t *testing.T, fixture string) {
	ctx := context.Background()
	db := copyRelease(t, fixture)
	tables := []string{"employments", "absence_cases", "case_segments", "interventions", "milestones",
		"replaced_employments", "replaced_absence_cases", "replaced_case_segments", "replaced_interventions", "replaced_milestones"}
	// Each table as the release stored it: its columns, and a fingerprint
	// of its rows with the pseudonym (the same sum of row hashes is what
	// the migrated table must give, its columns read in the release's
	// types: the absence type and end reason are ENUMs since migration 13).
	type fingerprint struct {
		cols, typed string
		rows, hash  string
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
			var cols, typed string
			err := raw.QueryRowContext(ctx, `SELECT string_agg(column_name, ', ' ORDER BY column_index), string_agg('t.' || column_name || '::' || data_type, ', ' ORDER BY column_index)
				FROM duckdb_columns() WHERE table_name = ? AND column_name <> 'employee_id'`, table).Scan(&cols, &typed)
			if err != nil || cols == "" {
				continue // a table the release did not have yet
			}
			f := fingerprint{cols: cols, typed: typed}
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
		err := q.QueryRowContext(ctx, `SELECT count(*)::VARCHAR, coalesce(sum(hash(k.pseudonym, `+want.typed+`)), 0)::VARCHAR
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
