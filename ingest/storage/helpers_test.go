package storage_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/internal/testkit"
	"github.com/verzuim/absence/ingest/storage"
)

// importedPhase is printed by a child in mode import when its import is done.
const importedPhase = "imported"

// TestMain lets the test binary act as a child process (testkit.Main):
//
//	import|DB|FILE[|EXTRACT]         import FILE into DB (extract date YYYY-MM-DD,
//	                                 default 2024-06-30), printing each phase,
//	                                 testkit.EngineCommitPhase when the database
//	                                 commits and importedPhase when it is done
//	import-unclosed|DB|FILE|EXTRACT  the same, with automatic checkpoints off,
//	                                 and exit without closing: the import is
//	                                 then only in the write-ahead log
//	undo-unclosed|DB|ID              undo import ID so, likewise
func TestMain(m *testing.M) {
	importFile := func(unclosed bool) testkit.Mode {
		return func(s *storage.Store, args []string) error {
			extract := extract2024
			if len(args) > 1 {
				var err error
				if extract, err = time.Parse(time.DateOnly, args[1]); err != nil {
					return err
				}
			}
			if unclosed {
				if err := testkit.StopCheckpoints(s); err != nil {
					return err
				}
			}
			progress := func(phase string) { fmt.Println("phase", phase) }
			if _, err := ingest.NewImporter(s, ingest.Config{}).ImportFile(context.Background(), args[0], ingest.ImportOptions{ExtractDate: extract, Progress: progress}); err != nil {
				return err
			}
			progress(importedPhase)
			if unclosed {
				os.Exit(0) // without Close, which would checkpoint
			}
			return nil
		}
	}
	testkit.Main(m, map[string]testkit.Mode{
		"import":          importFile(false),
		"import-unclosed": importFile(true),
		"undo-unclosed": func(s *storage.Store, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return err
			}
			if err := testkit.StopCheckpoints(s); err != nil {
				return err
			}
			if _, err := s.Undo(context.Background(), id, storage.UndoOptions{By: "test"}); err != nil {
				return err
			}
			os.Exit(0) // without Close, which would checkpoint
			return nil
		},
	})
}

var (
	fixtures    = testkit.Fixtures
	writeFile   = testkit.WriteFile
	mustRead    = testkit.MustRead
	startChild  = testkit.StartChild
	extract2024 = time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)
	dataTables  = testkit.DataTables
	orgExtract  = testkit.OrgExtract
)

const nativePeriods = "employee_id,case_ref,start_date,end_date,absence_pct\n"

// testStore is a database opened for a test: the store, an importer into
// it, and DB, through which the test reads and pokes with plain SQL.
type testStore struct {
	*storage.Store
	*ingest.Importer
	DB testkit.SQL
}

func openTestStore(t testing.TB) *testStore {
	t.Helper()
	return openStore(t, filepath.Join(t.TempDir(), "test.duckdb"), storage.Options{MemoryLimit: "500MB", Threads: 2})
}

func openStore(t testing.TB, path string, opt storage.Options) *testStore {
	t.Helper()
	s, err := storage.Open(context.Background(), path, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return asTestStore(s)
}

func asTestStore(s *storage.Store) *testStore {
	return &testStore{Store: s, Importer: ingest.NewImporter(s, ingest.Config{}), DB: testkit.SQL{Store: s}}
}

func mustImport(t testing.TB, s *testStore, path string, opt ingest.ImportOptions) *ingest.Result {
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

// generatedOrg imports the employments and absence periods of a generated
// organisation (testkit.GeneratedOrg) and returns its folder.
func generatedOrg(t *testing.T, s *testStore) string {
	t.Helper()
	dir := testkit.GeneratedOrg(t)
	mustImport(t, s, filepath.Join(dir, "employments.csv"), ingest.ImportOptions{ExtractDate: orgExtract})
	mustImport(t, s, filepath.Join(dir, "absence_periods.csv"), ingest.ImportOptions{ExtractDate: orgExtract})
	return dir
}

func countCases(t *testing.T, s *testStore) int64 {
	t.Helper()
	return testkit.Count(t, s.Store, "absence_cases")
}
