package ingest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/verzuim/absence/ingest/internal/testkit"
	"github.com/verzuim/absence/ingest/storage"
)

// TestMain lets the test binary act as a child process (testkit.Main):
//
//	import|DB|FILE  import FILE into DB (extract date 2024-06-30)
func TestMain(m *testing.M) {
	testkit.Main(m, map[string]testkit.Mode{
		"import": func(s *storage.Store, args []string) error {
			_, err := NewImporter(s, Config{}).ImportFile(context.Background(), args[0], ImportOptions{ExtractDate: extract2024})
			return err
		},
	})
}

var (
	fixtures    = testkit.Fixtures
	writeFile   = testkit.WriteFile
	mustRead    = testkit.MustRead
	startChild  = testkit.StartChild
	extract2024 = time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)
)

// eventsIncrement is a profile for native event rows delivered as
// increments: each export carries what happened since the previous one.
var eventsIncrement = func() string {
	b, err := os.ReadFile(fixtures + "events_increment.toml")
	if err != nil {
		panic(err)
	}
	return string(b)
}()

const nativePeriods = "employee_id,case_ref,start_date,end_date,absence_pct\n"

// testStore is a database opened for a test: the store, its importer, and
// DB, through which the test reads and pokes with plain SQL.
type testStore struct {
	*storage.Store
	*Importer
	DB testkit.SQL
}

func openTestStore(t *testing.T) *testStore {
	t.Helper()
	return openStore(t, filepath.Join(t.TempDir(), "test.duckdb"), storage.Options{MemoryLimit: "500MB", Threads: 2}, Config{})
}

func openStore(t testing.TB, path string, opt storage.Options, cfg Config) *testStore {
	t.Helper()
	s, err := storage.Open(context.Background(), path, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &testStore{Store: s, Importer: NewImporter(s, cfg), DB: testkit.SQL{Store: s}}
}

func mustImport(t testing.TB, s *testStore, path string, opt ImportOptions) *Result {
	t.Helper()
	res, err := s.ImportFile(context.Background(), path, opt)
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return res
}

func fingerprint(t testing.TB, s *testStore, only ...string) string {
	t.Helper()
	return testkit.Fingerprint(t, s.Store, only...)
}

// lineReason is a rejected row as a test expects it: its line and reason.
type lineReason struct {
	Line   int64
	Reason string
}

// lineReasons are the rows an import rejected, in its order.
func lineReasons(res *Result) []lineReason {
	var out []lineReason
	for _, e := range res.Errors {
		out = append(out, lineReason{e.Line, e.Reason})
	}
	return out
}
