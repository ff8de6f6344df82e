package analytics

import (
	"context"
	"database/sql"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

const fixtureDir = "../datasets/fixtures/analytics/"

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// testStore is a fixture database: the store, its importer, and DB, the
// read-only querier the analytics are given.
type testStore struct {
	*storage.Store
	*ingest.Importer
	DB testDB
}

// testDB is the store's Reader with the shorthands the tests use.
type testDB struct{ *storage.Reader }

func (d testDB) Query(query string, args ...any) (*sql.Rows, error) {
	return d.QueryContext(context.Background(), query, args...)
}

func (d testDB) QueryRow(query string, args ...any) *sql.Row {
	return d.QueryRowContext(context.Background(), query, args...)
}

// openDB opens a database file for a test or benchmark.
func openDB(ctx context.Context, path string, opt storage.Options) (*testStore, error) {
	s, err := storage.Open(ctx, path, opt)
	if err != nil {
		return nil, err
	}
	return &testStore{Store: s, Importer: ingest.NewImporter(s, ingest.Config{}), DB: testDB{s.Reader()}}, nil
}

// exec changes the database behind the importer's back, as a test of
// what the figures make of odd data may need to.
func (s *testStore) exec(query string, args ...any) (sql.Result, error) {
	ctx := context.Background()
	sess, err := s.Store.Session(ctx, true)
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	return sess.Conn().ExecContext(ctx, query, args...)
}

// openStore opens a fresh database file and imports the named fixture files
// through the real importer, absence files with the given extract date.
func openStore(t testing.TB, extract string, files ...string) *testStore {
	t.Helper()
	ctx := context.Background()
	s, err := openDB(ctx, filepath.Join(t.TempDir(), "test.duckdb"), storage.Options{MemoryLimit: "1GB", Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, f := range files {
		path := f
		if !filepath.IsAbs(f) {
			path = fixtureDir + f
		}
		res, err := s.ImportFile(ctx, path, ingest.ImportOptions{ExtractDate: date(extract), Strict: true})
		if err != nil {
			t.Fatalf("import %s: %v", f, err)
		}
		if res.Rejected > 0 || res.Duplicate > 0 {
			t.Fatalf("import %s: %d rejected, %d duplicate: %v", f, res.Rejected, res.Duplicate, res.Errors)
		}
	}
	return s
}

// rawGroups computes figures without any suppression (figure-level included),
// keyed by group key ("total" for the total). Only tests can do this.
func rawGroups(t testing.TB, s *testStore, f Filter, opt Options, dims ...Dimension) map[string]Group {
	t.Helper()
	ctx := context.Background()
	opt, err := opt.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	f, _, err = resolvePeriod(ctx, s.DB, f)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := computeRaw(ctx, s.DB, f, opt, dims)
	if err != nil {
		t.Fatal(err)
	}
	days := periodOf(f, false).Days
	open := opt
	open.MinCases = 0
	out := map[string]Group{TotalKey: raw.total.group(TotalKey, "", days, open, false)}
	for _, r := range raw.groups {
		out[r.key()] = r.group(r.key(), "", days, open, false)
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func checkF(t testing.TB, what string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = nil, want %.12g", what, want)
		return
	}
	if !near(*got, want) {
		t.Errorf("%s = %.12g, want %.12g", what, *got, want)
	}
}

func checkI(t testing.TB, what string, got *int64, want int64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = nil, want %d", what, want)
		return
	}
	if *got != want {
		t.Errorf("%s = %d, want %d", what, *got, want)
	}
}

func checkNil[T any](t testing.TB, what string, got *T) {
	t.Helper()
	if got != nil {
		t.Errorf("%s = %v, want nil", what, *got)
	}
}

// withQuery is a query over the CTEs with, rendered with the parameters p,
// for tests that read a figure's intermediate rows.
func withQuery(with sqlText, p params, rest string) Query {
	q := Query{Name: "test", SQL: "WITH " + string(with) + "\n" + rest}
	seen := map[string]bool{}
	for _, m := range placeholder.FindAllStringSubmatch(q.SQL, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			q.Params = append(q.Params, Param{m[1], p[m[1]]})
		}
	}
	return q
}
