package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/datasets/speed"
	"github.com/verzuim/absence/ingest/storage"
)

// An employer's import must cost about the same however many other
// employers the installation holds (issue 12): every query of an import
// reads its own employer's rows only. The growth tests import one
// employer's four exports into a database holding a few employers and into
// one holding many more (the same rows copied under other employers, with
// other employees), interleaved in one run, and compare.

// Each check of an import reads its own employer's stored rows only. The
// other employer here has the same pseudonyms (its pseudonym salt made
// equal) and the same employee keys, as keys unique per employer only
// would give; its employments, cases and milestones must count for nothing
// in this employer's import, neither accepting nor rejecting a row.
func TestImportChecksReadOnlyItsOwnEmployer(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	for _, name := range []string{"Eigen", "Ander"} {
		if _, err := s.AddEmployer(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.DB.Exec(`UPDATE employers SET pseudonym_salt = (SELECT pseudonym_salt FROM employers WHERE name = 'Eigen') WHERE name = 'Ander'`); err != nil {
		t.Fatal(err)
	}
	employments := writeFile(t, "employments.csv", "employee_id,start_date,end_date,department,contract_hours,fulltime_hours\nA,2020-01-01,,Zorg,40,40\nB,2020-01-01,,Zorg,40,40\n")
	onlyA := writeFile(t, "employments-a.csv", "employee_id,start_date,end_date,department,contract_hours,fulltime_hours\nA,2020-01-01,,Zorg,40,40\n")
	periods := writeFile(t, "periods.csv", nativePeriods+"A,1,2024-01-01,2024-01-05,100\nB,1,2024-02-01,2024-02-05,100\n")
	interventions := writeFile(t, "interventions.csv", "employee_id,intervention_type,provider,start_date,end_date,sessions,outcome,cost\nA,intervention_talk,Arbo,2024-01-03,2024-01-03,1,completed,100.00\n")
	milestones := writeFile(t, "milestones.csv", "employee_id,first_sick_day,milestone,done_date\nA,2024-01-01,problem_analysis,2024-01-04\n")
	for _, f := range []string{employments, periods, interventions, milestones} {
		mustImport(t, s, f, ImportOptions{Employer: "Ander", ExtractDate: extract2024})
	}
	// Keys are handed out once per installation; Eigen's employees are
	// given Ander's keys, as keys unique per employer only would be.
	if _, err := s.DB.Exec(`INSERT INTO employees SELECT employee_key, (SELECT employer_id FROM employers WHERE name = 'Eigen'), pseudonym
		FROM employees WHERE employer_id = (SELECT employer_id FROM employers WHERE name = 'Ander')`); err != nil {
		t.Fatal(err)
	}

	own := ImportOptions{Employer: "Eigen", ExtractDate: extract2024}
	for _, tc := range []struct{ file, want string }{
		{interventions, "no employment for this employee"},
		{milestones, "no absence case of this employee starts on this first sick day"},
	} {
		res, err := s.ImportFile(ctx, tc.file, own)
		if !errors.Is(err, ErrNoValidRows) || len(res.Errors) == 0 || !strings.Contains(res.Errors[0].Reason, tc.want) {
			t.Errorf("%s before Eigen has employments or cases: %v %+v; want it refused: %q", filepath.Base(tc.file), err, res.Errors, tc.want)
		}
	}
	mustImport(t, s, onlyA, own)
	res := mustImport(t, s, periods, own)
	if res.Accepted != 1 || len(res.Errors) != 1 || res.Errors[0].Line != 3 || !strings.Contains(res.Errors[0].Reason, "not in the employment data") {
		t.Errorf("Eigen's periods: %d accepted, errors %+v; want A's case stored (Ander's same case is no overlap) and B's refused (Ander's employment is not Eigen's)", res.Accepted, res.Errors)
	}
}

// growthFiles are an employer's exports in the order they import.
var growthFiles = []string{"employments.csv", "absence_periods.csv", "interventions.csv", "milestones.csv"}

// growthSetup writes the exports of base+1 generated employers (the last
// is the one imported in the comparison) and opens two databases holding
// the base employers, the big one copied copies times more.
func growthSetup(t testing.TB, base, size, copies int) (small, big *testStore, subject string) {
	t.Helper()
	dir := t.TempDir()
	clients := datasets.ProviderClients(base+1, size, size, 1, extract2024, 7)
	if _, err := datasets.ExportEmployers(dir, datasets.Config{Seed: 7}, clients, datasets.FormatNative); err != nil {
		t.Fatal(err)
	}
	open := func(name string, copies int) *testStore {
		s := openStore(t, filepath.Join(dir, name), storage.Options{}, Config{})
		for _, c := range clients[:base] {
			growthImport(t, s, filepath.Join(dir, c.Name), c.Name)
		}
		if copies > 0 {
			copyEmployers(t, s, copies)
		}
		return s
	}
	return open("small.duckdb", 0), open("big.duckdb", copies), filepath.Join(dir, clients[base].Name)
}

// growthImport adds the employer and imports its four exports.
func growthImport(t testing.TB, s *testStore, folder, employer string) time.Duration {
	t.Helper()
	if _, err := s.AddEmployer(context.Background(), employer); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for _, f := range growthFiles {
		if res := mustImport(t, s, filepath.Join(folder, f), ImportOptions{Employer: employer, ExtractDate: extract2024}); res.Rejected > 0 {
			t.Fatalf("%s/%s: %d rows rejected: %v", employer, f, res.Rejected, res.Errors[:min(3, len(res.Errors))])
		}
	}
	return time.Since(start)
}

// copyEmployers adds copies employers, each holding the stored rows of one
// of the employers there are, under other employee keys, with their
// imports in the ledger: a database that many employers' imports made.
func copyEmployers(t testing.TB, s *testStore, copies int) {
	t.Helper()
	stmts := []string{fmt.Sprintf(`INSERT INTO employers (name, pseudonym_salt, created_at)
		SELECT 'Kopie ' || k, md5(k::VARCHAR), now() FROM range(%d) r(k)`, copies)}
	// c maps each copy to the employer it copies.
	const c = `(SELECT e.employer_id, b.employer_id AS base, e.employer_id::VARCHAR AS k FROM employers e
		JOIN (SELECT employer_id, row_number() OVER (ORDER BY employer_id) - 1 AS i, count(*) OVER () AS n FROM employers WHERE name NOT LIKE 'Kopie %' AND employer_id <> 1) b
		ON e.name LIKE 'Kopie %' AND b.i = CAST(substr(e.name, 7) AS INTEGER) % b.n)`
	// copied_keys gives each copied employee a key and a pseudonym of its
	// own, as an import would.
	stmts = append(stmts, fmt.Sprintf(`CREATE TABLE copied_keys AS SELECT e.employee_key AS base_key, c.employer_id,
			(SELECT max(employee_key) FROM employees) + row_number() OVER (ORDER BY c.employer_id, e.employee_key) AS employee_key, e.pseudonym || '.' || c.k AS pseudonym
		FROM employees e JOIN %s c ON e.employer_id = c.base`, c),
		`INSERT INTO employees BY NAME SELECT employee_key, employer_id, pseudonym FROM copied_keys ORDER BY employee_key`)
	for _, table := range []string{"employments", "absence_cases", "case_segments", "interventions", "milestones"} {
		stmts = append(stmts, fmt.Sprintf(`INSERT INTO %s BY NAME SELECT t.* REPLACE (k.employer_id AS employer_id, k.employee_key AS employee_key)
			FROM %s t JOIN copied_keys k ON t.employee_key = k.base_key ORDER BY k.employer_id`, table, table))
	}
	stmts = append(stmts, fmt.Sprintf(`INSERT INTO imports BY NAME SELECT i.* REPLACE (nextval('import_seq') AS import_id, c.employer_id AS employer_id)
		FROM imports i JOIN %s c ON i.employer_id = c.base ORDER BY c.employer_id`, c), "DROP TABLE copied_keys", "CHECKPOINT")
	for _, q := range stmts {
		if _, err := s.DB.Exec(q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
}

// BenchmarkImportGrowth imports one employer (ABSENCE_BENCH_SIZE employees,
// 300) into a database of a few employers and into one of
// ABSENCE_BENCH_COPIES (200) more, interleaved; it reports the medians and
// their ratio, and with -v the import steps that grew most.
//
//	go test -run '^$' -bench ImportGrowth -benchtime 3x -timeout 30m -v ./ingest/
func BenchmarkImportGrowth(b *testing.B) {
	size, copies := speed.Knob(b, "ABSENCE_BENCH_SIZE", 300), speed.Knob(b, "ABSENCE_BENCH_COPIES", 200)
	small, big, subject := growthSetup(b, 4, size, copies)
	steps := &stepTimes{}
	restore := steps.capture()
	defer restore()
	// The checkpoint that writes the imports into the file is timed on its
	// own: DuckDB runs it once the log has grown enough, after some import.
	var smallT, bigT, smallC, bigC []time.Duration
	for i := 0; i < b.N; i++ {
		employer := "Nieuw " + strconv.Itoa(i)
		steps.into("small")
		smallT = append(smallT, growthImport(b, small, subject, employer))
		smallC = append(smallC, checkpoint(b, small))
		steps.into("big")
		bigT = append(bigT, growthImport(b, big, subject, employer))
		bigC = append(bigC, checkpoint(b, big))
	}
	s, g := speed.Median(smallT), speed.Median(bigT)
	b.ReportMetric(s.Seconds(), "small-median-s")
	b.ReportMetric(g.Seconds(), "big-median-s")
	b.ReportMetric(g.Seconds()/s.Seconds(), "ratio")
	b.ReportMetric(speed.Median(smallC).Seconds(), "small-checkpoint-s")
	b.ReportMetric(speed.Median(bigC).Seconds(), "big-checkpoint-s")
	b.Log("\n" + steps.grown(b.N, 25))
}

func checkpoint(t testing.TB, s *testStore) time.Duration {
	t.Helper()
	start := time.Now()
	if _, err := s.DB.Exec("CHECKPOINT"); err != nil {
		t.Fatal(err)
	}
	return time.Since(start)
}

var digits = regexp.MustCompile(`[0-9]+`)

// stepTimes sums the import's debug-logged step times per database.
type stepTimes struct {
	mu  sync.Mutex
	db  string
	sum map[string]map[string]time.Duration // db → step → total
}

func (s *stepTimes) into(db string) { s.mu.Lock(); s.db = db; s.mu.Unlock() }

// capture routes the debug log into s until restored.
func (s *stepTimes) capture() (restore func()) {
	s.sum = map[string]map[string]time.Duration{}
	old := slog.Default()
	slog.SetDefault(slog.New(s))
	return func() { slog.SetDefault(old) }
}

func (s *stepTimes) Enabled(context.Context, slog.Level) bool { return true }
func (s *stepTimes) WithAttrs([]slog.Attr) slog.Handler       { return s }
func (s *stepTimes) WithGroup(string) slog.Handler            { return s }
func (s *stepTimes) Handle(_ context.Context, r slog.Record) error {
	var step string
	var took time.Duration
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "sql", "step":
			step = a.Value.String()
		case "took":
			took = a.Value.Duration()
		}
		return true
	})
	if step == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sum[s.db] == nil {
		s.sum[s.db] = map[string]time.Duration{}
	}
	s.sum[s.db][digits.ReplaceAllString(truncate(step, 90), "N")] += took
	return nil
}

// grown lists the n steps whose time grew most from the small database to
// the big one, per import.
func (s *stepTimes) grown(imports, n int) string {
	type row struct {
		step       string
		small, big time.Duration
	}
	var rows []row
	for step, big := range s.sum["big"] {
		rows = append(rows, row{step, s.sum["small"][step] / time.Duration(imports), big / time.Duration(imports)})
	}
	slices.SortFunc(rows, func(a, b row) int { return int((b.big - b.small) - (a.big - a.small)) })
	var out strings.Builder
	var small, big time.Duration
	for _, r := range rows {
		small, big = small+r.small, big+r.big
	}
	fmt.Fprintf(&out, "%8.0f ms %8.0f ms  all logged steps\n", small.Seconds()*1000, big.Seconds()*1000)
	for _, r := range rows[:min(n, len(rows))] {
		fmt.Fprintf(&out, "%8.0f ms %8.0f ms  %s\n", r.small.Seconds()*1000, r.big.Seconds()*1000, r.step)
	}
	return out.String()
}
