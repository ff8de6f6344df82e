package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
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
		if string(got) != string(want) && !sameButAdded(t, name, got, want) {
			t.Errorf("absence %s on the migrated database differs from the release's output (%s):\n%s", args, name, firstDifference(string(want), string(got)))
		}
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
