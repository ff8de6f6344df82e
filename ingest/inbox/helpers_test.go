package inbox

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/internal/testkit"
	"github.com/verzuim/absence/ingest/storage"
)

// TestMain lets the test binary act as a child process (testkit.Main):
//
//	inbox|DB|DIR[|PATTERN=PROFILE]  run the inbox DIR once against DB,
//	                                printing "FILE OUTCOME MESSAGE" per file
func TestMain(m *testing.M) {
	testkit.Main(m, map[string]testkit.Mode{
		"inbox": func(s *storage.Store, args []string) error {
			var rules []Rule
			if len(args) > 1 {
				pattern, profile, _ := strings.Cut(args[1], "=")
				rules = append(rules, Rule{Pattern: pattern, Profile: profile})
			}
			in, err := New(ingest.NewImporter(s, ingest.Config{}), Options{Dir: args[0], Rules: rules, StableFor: time.Millisecond})
			if err != nil {
				return err
			}
			events, err := in.Run(context.Background())
			for _, ev := range events {
				fmt.Printf("%s %s %s\n", ev.File, ev.Outcome, ev.Message)
			}
			return err
		},
	})
}

var (
	fixtures   = testkit.Fixtures
	mustRead   = testkit.MustRead
	startChild = testkit.StartChild
	dataTables = testkit.DataTables
	orgExtract = testkit.OrgExtract
)

const nativePeriods = "employee_id,case_ref,start_date,end_date,absence_pct\n"

// testStore is a database opened for a test: the store, an importer into
// it, and DB, through which the test reads and pokes with plain SQL.
type testStore struct {
	*storage.Store
	*ingest.Importer
	DB testkit.SQL
}

func openStore(t testing.TB, path string, opt storage.Options) *testStore {
	t.Helper()
	s, err := storage.Open(context.Background(), path, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &testStore{Store: s, Importer: ingest.NewImporter(s, ingest.Config{}), DB: testkit.SQL{Store: s}}
}

func openTestStore(t testing.TB) *testStore {
	t.Helper()
	return openStore(t, filepath.Join(t.TempDir(), "test.duckdb"), storage.Options{MemoryLimit: "500MB", Threads: 2})
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

// mustReadKey reads the pseudonymisation key kept beside a database.
func mustReadKey(t *testing.T, db string) []byte {
	t.Helper()
	key, err := hex.DecodeString(strings.TrimSpace(string(mustRead(t, storage.KeyPath(db)))))
	if err != nil {
		t.Fatalf("key: %v", err)
	}
	return key
}

// eventsIncrement is a profile for native event rows delivered as
// increments: each export carries what happened since the previous one.
func eventsIncrement(t *testing.T) []byte { return mustRead(t, fixtures+"events_increment.toml") }

func exists(path string) bool { _, err := os.Stat(path); return err == nil }
