package analytics

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/verzuim/absence/ingest/storage"
)

// TestProvidersSeeOnlyTheirInterventions holds every figure restricted to
// one provider (Filter.Providers) to the figures of a database whose
// interventions file holds only that provider's rows: provider staff never
// see a competitor's interventions, not even inside a type's total.
func TestProvidersSeeOnlyTheirInterventions(t *testing.T) {
	ctx := context.Background()
	const provider = "ArboPlus Nederland"
	files := orgFiles(t, 150, 5)
	own := slices.Clone(files)
	own[2] = onlyProvider(t, files[2], provider)
	key := []byte("one key for both databases")
	open := func(name string) *testStore {
		s, err := openDB(ctx, filepath.Join(t.TempDir(), name), storage.Options{Threads: 2, PseudonymKey: key})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	alone, all := open("alone.duckdb"), open("all.duckdb")
	importFor(t, alone, "", own)
	importFor(t, all, "", files)

	opt := Options{MinEmployees: 10, MinCases: 5}
	f := Filter{From: date("2024-07-01"), To: date("2026-06-30")}
	want := allFigures(t, alone.DB, f, opt)
	scoped := f
	scoped.Providers = []string{provider}
	if path, ok := sameResults(want, allFigures(t, all.DB, scoped, opt), ""); !ok {
		t.Errorf("one provider's figures differ from those of a database with only its interventions at %s", path)
	}
	if _, ok := sameResults(want, allFigures(t, all.DB, f, opt), ""); ok {
		t.Error("the figures over every provider equal one provider's: the comparison proves nothing")
	}
}

// onlyProvider writes a copy of a native interventions file with only the
// rows of provider.
func onlyProvider(t *testing.T, path, provider string) string {
	t.Helper()
	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	r := csv.NewReader(in)
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(rows[0], "provider")
	keep := rows[:1]
	for _, row := range rows[1:] {
		if row[col] == provider {
			keep = append(keep, row)
		}
	}
	out := filepath.Join(t.TempDir(), filepath.Base(path))
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.WriteAll(keep)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}
