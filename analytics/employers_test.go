package analytics

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// orgFiles writes a generated organisation's native files.
func orgFiles(t *testing.T, employees int, seed uint64) []string {
	t.Helper()
	dir := t.TempDir()
	if _, err := datasets.WriteFiles(dir, datasets.Config{Employees: employees, Seed: seed}, datasets.FormatNative); err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range []string{"employments.csv", "absence_periods.csv", "interventions.csv", "milestones.csv"} {
		files = append(files, filepath.Join(dir, f))
	}
	return files
}

// importFor imports files for an employer ("" the default one).
func importFor(t *testing.T, s *testStore, employer string, files []string) {
	t.Helper()
	for _, f := range files {
		if _, err := s.ImportFile(context.Background(), f, ingest.ImportOptions{Employer: employer, ExtractDate: date(refExtract)}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestEveryFigureIsRestrictedToItsEmployers holds every figure of one
// employer in a database of two — with the same personnel numbers — to the
// figures of a database that holds only that employer: every query is
// restricted, group sizes and suppression included.
func TestEveryFigureIsRestrictedToItsEmployers(t *testing.T) {
	ctx := context.Background()
	own, other := orgFiles(t, 150, 5), orgFiles(t, 120, 6)
	// One key for both, so the pseudonyms, and the order of lists by
	// them, are the same.
	key := []byte("one key for both databases")
	open := func(name string) *testStore {
		s, err := openDB(ctx, filepath.Join(t.TempDir(), name), storage.Options{Threads: 2, PseudonymKey: key})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	alone, both := open("alone.duckdb"), open("both.duckdb")
	importFor(t, alone, "", own)
	if _, err := both.AddEmployer(ctx, "Ander"); err != nil {
		t.Fatal(err)
	}
	importFor(t, both, "Ander", other)
	importFor(t, both, "", own)

	opt := Options{MinEmployees: 10, MinCases: 5}
	f := Filter{From: date("2025-07-01"), To: date("2026-06-30")}
	want := allFigures(t, alone.DB, f, opt)
	scoped := f
	scoped.Employers = []int64{storage.DefaultEmployerID}
	if path, ok := sameResults(want, allFigures(t, both.DB, scoped, opt), ""); !ok {
		t.Errorf("the default employer's figures in a database of two employers differ from its own database's at %s", path)
	}
	if _, ok := sameResults(want, allFigures(t, both.DB, f, opt), ""); ok {
		t.Error("the figures over both employers equal one employer's: the comparison proves nothing")
	}

	// The SQL is the same with and without a scope, behind CTEs that
	// shadow the tables; the employers are bound parameters.
	rec := &Recorder{Querier: both.DB}
	if _, err := KPIs(ctx, rec, scoped, opt); err != nil {
		t.Fatal(err)
	}
	for _, q := range rec.Queries() {
		if !strings.Contains(q.SQL, "employments AS NOT MATERIALIZED (SELECT * FROM main.employments WHERE employer_id IN ($employer_1))") {
			t.Errorf("%s is not restricted to the employer:\n%.400s", q.Name, q.SQL)
		}
	}
}

// A pooled figure needs at least MinPooledEmployers employers: with four
// the pool is only counted, with five it is the KPI set of the five taken
// together. Each employer's group of the breakdown by employer is its own
// KPI set.
func TestPooledFiguresNeedFiveEmployers(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, refExtract)
	f := Filter{From: date("2025-07-01"), To: date("2026-06-30")}
	opt := Options{}
	for i := range MinPooledEmployers {
		name := fmt.Sprintf("Klant %d", i+1)
		e, err := s.AddEmployer(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		importFor(t, s, name, orgFiles(t, 60, uint64(10+i)))
		f.Employers = append(f.Employers, e.ID)
	}
	four := f
	four.Employers = f.Employers[:4]
	pool, err := PooledKPIs(ctx, s.DB, four, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !pool.Suppressed || pool.Employers != 4 || pool.KPIs.Total.Employees != nil {
		t.Errorf("a pool of four employers: %+v; want it counted and suppressed", pool)
	}
	b, err := BreakdownByEmployer(ctx, s.DB, four, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Groups) != 4 || !b.Total.Suppressed || b.Total.Employees != nil {
		t.Errorf("the breakdown of four employers: %d groups, total %+v; want 4 and a suppressed total", len(b.Groups), b.Total)
	}

	pool, err = PooledKPIs(ctx, s.DB, f, opt)
	if err != nil {
		t.Fatal(err)
	}
	want, err := KPIs(ctx, s.DB, f, opt)
	if err != nil {
		t.Fatal(err)
	}
	if pool.Suppressed || pool.Employers != 5 || pool.KPIs.Total.Suppressed || !sameJSON(pool.KPIs, want) {
		t.Errorf("a pool of five employers: %+v; want the KPI set of the five", pool)
	}
	b, err = BreakdownByEmployer(ctx, s.DB, f, opt)
	if err != nil {
		t.Fatal(err)
	}
	if b.Total.Suppressed || *b.Total.Employees != *want.Total.Employees {
		t.Errorf("the breakdown's total over five employers: %+v, want the pool's %d employees", b.Total, *want.Total.Employees)
	}
	var sum int64
	for i, g := range b.Groups {
		one := f
		one.Employers = []int64{f.Employers[i]}
		k, err := KPIs(ctx, s.DB, one, opt)
		if err != nil {
			t.Fatal(err)
		}
		if g.Key != fmt.Sprint(f.Employers[i]) || g.Suppressed || math.Abs(*g.ZVP-*k.Total.ZVP) > 1e-9 || *g.Employees != *k.Total.Employees {
			t.Fatalf("employer %d in the breakdown: %s, %+v; alone: %+v", f.Employers[i], g.Key, g.Figures, k.Total.Figures)
		}
		sum += *g.Employees
	}
	if sum != *want.Total.Employees {
		t.Errorf("the employers' employees add up to %d, the pool has %d", sum, *want.Total.Employees)
	}
}

// sameJSON compares two results as JSON values, floats to 1e-12.
func sameJSON(a, b any) bool {
	var x, y any
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	json.Unmarshal(ja, &x)
	json.Unmarshal(jb, &y)
	_, ok := sameResults(x, y, "")
	return ok
}
