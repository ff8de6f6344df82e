package storage_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/internal/sqlparts"
	"github.com/verzuim/absence/ingest/storage"
)

// loadExportOrg fills s with a generated organisation (several years, every
// table in use, rejected rows and a purge in the history).
func loadExportOrg(t *testing.T, s *testStore, employees int) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	extract := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	if _, err := datasets.WriteFiles(dir, datasets.Config{Employees: employees, Seed: 5, ExtractDate: extract}, "native"); err != nil {
		t.Fatal(err)
	}
	events := filepath.Join(dir, "absence_events.csv")
	plan, err := ingest.Plan([]string{filepath.Join(dir, "employments.csv"), events, filepath.Join(dir, "interventions.csv")}, nil, ingest.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range plan {
		if _, err := s.ImportFile(ctx, f.Path, ingest.ImportOptions{Profile: f.Profile, ExtractDate: extract}); err != nil {
			t.Fatal(err)
		}
	}
	// A milestone of the first case, and one dated before its case: rejected.
	f, err := os.Open(events)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Read()
	first, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := ingest.LoadProfile("native-milestones")
	res, err := s.ImportFile(ctx, writeFile(t, "milestones.csv", fmt.Sprintf("employee_id,first_sick_day,milestone,done_date\n%s,%s,problem_analysis,%s\n%[1]s,%[2]s,action_plan,2000-01-01\n",
		first[0], first[1], first[1])), ingest.ImportOptions{Profile: ms, ExtractDate: extract})
	if err != nil || res.Accepted != 1 || res.Rejected != 1 {
		t.Fatalf("milestones: %+v, %v", res, err)
	}
	if _, err := s.Purge(ctx, storage.PurgeOptions{Today: extract, By: "test"}); err != nil {
		t.Fatal(err)
	}
}

// tableSum is a table's row count and the sum of its rows' hashes.
func tableSum(t *testing.T, s *testStore, from string) string {
	t.Helper()
	var n int64
	var h string
	if err := s.DB.QueryRow(`SELECT count(*), coalesce(sum(hash(t))::VARCHAR, '') FROM (`+from+`) t`).Scan(&n, &h); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d rows, hash %s", n, h)
}

func readBack(dir, table string) string {
	return fmt.Sprintf(`FROM read_parquet(%s, hive_partitioning = true)`, sqlparts.Quote(filepath.Join(dir, table, "**", "*.parquet")))
}

// checkExport compares every exported table with the database: the same
// rows (count and checksum), in the year partitions the data has.
func checkExport(t *testing.T, s *testStore, dir string, res storage.ExportResult) {
	t.Helper()
	if len(res.Tables) != len(storage.ExportTables()) {
		t.Fatalf("exported %d tables, want %d", len(res.Tables), len(storage.ExportTables()))
	}
	for i, et := range res.Tables {
		want := storage.ExportTables()[i]
		if et.Name != want.Name || et.YearOf != want.YearOf || et.Path != filepath.Join(dir, want.Name) {
			t.Errorf("table %d: %+v, want %s by %q", i, et, want.Name, want.YearOf)
		}
		exported := `*` // the columns an export holds
		if et.Name == "employers" {
			exported = `* EXCLUDE (pseudonym_salt)`
			var salts int
			if err := s.DB.QueryRow(`SELECT count(*) FROM (DESCRIBE SELECT * ` + readBack(dir, et.Name) + `) WHERE column_name = 'pseudonym_salt'`).Scan(&salts); err != nil || salts != 0 {
				t.Errorf("the exported employers hold their pseudonym salt (%v)", err)
			}
		}
		from := et.Name
		if slices.Contains([]string{"employments", "absence_cases", "case_segments", "interventions", "milestones"}, et.Name) {
			// Employees are stored by key, exported by pseudonym, in the
			// first column as before keys.
			exported, from = `k.pseudonym AS employee_id, t.* EXCLUDE (employee_key)`, et.Name+` t JOIN employees k USING (employee_key)`
			if et.Name == "absence_cases" {
				// The ENUM columns are written as Parquet's text, and
				// read back as text.
				exported = `k.pseudonym AS employee_id, t.* EXCLUDE (employee_key) REPLACE (absence_type::VARCHAR AS absence_type, end_reason::VARCHAR AS end_reason)`
				var types string
				if err := s.DB.QueryRow(`SELECT string_agg(column_type, ' ') FROM (DESCRIBE SELECT * ` + readBack(dir, et.Name) + `) WHERE column_name IN ('absence_type', 'end_reason')`).Scan(&types); err != nil ||
					types != "VARCHAR VARCHAR" {
					t.Errorf("absence_cases: the export holds the absence type and end reason as %q (%v), want text", types, err)
				}
			}
			var first string
			if err := s.DB.QueryRow(`SELECT string_agg(column_name || ' ' || column_type, ', ') FROM (DESCRIBE SELECT * ` + readBack(dir, et.Name) + `) WHERE column_name LIKE 'employee%' OR column_name = 'employer_id'`).Scan(&first); err != nil ||
				first != "employee_id VARCHAR, employer_id INTEGER" {
				t.Errorf("%s: the export names employees by %q (%v), want the pseudonym as employee_id VARCHAR", et.Name, first, err)
			}
		}
		db := tableSum(t, s, `SELECT `+exported+` FROM `+from)
		var n int64
		fmt.Sscan(db, &n)
		if et.Rows != n {
			t.Errorf("%s: reported %d rows, the database has %d", et.Name, et.Rows, n)
		}
		columns := `*`
		if et.YearOf != "" {
			columns = `* EXCLUDE (year)`
			var wrongYear int64
			if err := s.DB.QueryRow(`SELECT count(*) ` + readBack(dir, et.Name) + ` WHERE year IS DISTINCT FROM year(` + et.YearOf + `)`).Scan(&wrongYear); err != nil {
				t.Fatalf("%s: %v", et.Name, err)
			}
			if wrongYear > 0 {
				t.Errorf("%s: %d rows in the wrong year partition", et.Name, wrongYear)
			}
			var years []int
			rows, err := s.DB.Query(`SELECT DISTINCT year(` + et.YearOf + `)::INTEGER FROM ` + et.Name + ` ORDER BY 1`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var y int
				if err := rows.Scan(&y); err != nil {
					t.Fatal(err)
				}
				years = append(years, y)
				if _, err := os.Stat(filepath.Join(dir, et.Name, fmt.Sprintf("year=%d", y))); err != nil {
					t.Errorf("%s: partition for %d: %v", et.Name, y, err)
				}
			}
			rows.Close()
			if !slices.Equal(years, et.Years) {
				t.Errorf("%s: reported years %v, the data has %v", et.Name, et.Years, years)
			}
		}
		if got := tableSum(t, s, `SELECT `+columns+` `+readBack(dir, et.Name)); got != db {
			t.Errorf("%s: read back %s; the database has %s", et.Name, got, db)
		}
		if et.Files == 0 {
			t.Errorf("%s: no files", et.Name)
		}
	}
	// Nothing but the table folders, and readable by the owner only.
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	for _, want := range storage.ExportTables() {
		if !slices.Contains(names, want.Name) {
			t.Errorf("folder %s missing in %v", want.Name, names)
		}
	}
	for _, n := range names {
		if strings.HasPrefix(n, ".") && strings.Contains(n, "-") {
			t.Errorf("left behind: %s", n)
		}
	}
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want owner-only", path, info.Mode().Perm())
		}
		return nil
	})
}

func TestExportParquetRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	loadExportOrg(t, s, 300)
	out := filepath.Join(t.TempDir(), "export")

	res, err := s.ExportParquet(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	checkExport(t, s, out, res)
	byName := map[string]storage.ExportedTable{}
	for _, et := range res.Tables {
		byName[et.Name] = et
	}
	for name, yearOf := range map[string]string{"absence_cases": "first_sick_day", "case_segments": "valid_from", "employments": "start_date",
		"interventions": "start_date", "milestones": "first_sick_day", "imports": "", "import_errors": "", "purges": ""} {
		if byName[name].YearOf != yearOf {
			t.Errorf("%s partitioned by the year of %q, want %q", name, byName[name].YearOf, yearOf)
		}
	}
	for _, name := range []string{"employments", "absence_cases", "case_segments", "interventions", "milestones", "imports", "import_errors", "purges"} {
		if byName[name].Rows == 0 {
			t.Errorf("%s: no rows exported; the test data should fill every table", name)
		}
	}
	if cases := byName["absence_cases"]; len(cases.Years) < 3 || cases.Files < len(cases.Years) {
		t.Errorf("absence_cases: %d files over years %v, want at least 3 years", cases.Files, cases.Years)
	}

	// Re-export into the same folder after data changed: a year with no data
	// left and an emptied table leave nothing stale behind, and an empty
	// table still reads back (with its year column). A killed export's
	// leftovers go; other files in the folder stay.
	firstYear := byName["absence_cases"].Years[0]
	for _, q := range []string{
		fmt.Sprintf(`DELETE FROM case_segments WHERE year(first_sick_day) = %d`, firstYear),
		fmt.Sprintf(`DELETE FROM absence_cases WHERE year(first_sick_day) = %d`, firstYear),
		`DELETE FROM milestones`,
	} {
		if _, err := s.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	stale := filepath.Join(out, ".absence_cases.tmp-123")
	os.MkdirAll(filepath.Join(stale, "year=1999"), 0o700)
	os.WriteFile(filepath.Join(out, "README.txt"), []byte("ours"), 0o600)
	res2, err := s.ExportParquet(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	checkExport(t, s, out, res2)
	if _, err := os.Stat(filepath.Join(out, "absence_cases", fmt.Sprintf("year=%d", firstYear))); !os.IsNotExist(err) {
		t.Errorf("partition %d is still there after its data went: %v", firstYear, err)
	}
	var n int64
	if err := s.DB.QueryRow(`SELECT count(year) ` + readBack(out, "milestones")).Scan(&n); err != nil || n != 0 {
		t.Errorf("emptied milestones read back as %d rows, %v; want 0 rows with a year column", n, err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("a killed export's folder is still there: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(out, "README.txt")); string(b) != "ours" {
		t.Errorf("another file in the folder was touched: %q, %v", b, err)
	}
}

// A failed export leaves the earlier export as it was and no half-written
// folders.
func TestExportParquetFailureKeepsTheEarlierExport(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	loadExportOrg(t, s, 100)
	out := t.TempDir()
	res, err := s.ExportParquet(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	before := tableSum(t, s, `SELECT * EXCLUDE (year) `+readBack(out, "absence_cases"))
	if _, err := s.DB.Exec(`DELETE FROM absence_cases; DROP TABLE purges`); err != nil { // the last table exported
		t.Fatal(err)
	}
	if _, err := s.ExportParquet(ctx, out); err == nil || !strings.Contains(err.Error(), "export purges") {
		t.Fatalf("err = %v, want the failing table named", err)
	}
	if after := tableSum(t, s, `SELECT * EXCLUDE (year) `+readBack(out, "absence_cases")); after != before || res.Tables[1].Rows == 0 {
		t.Errorf("the earlier export changed: %s, was %s", after, before)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != len(storage.ExportTables()) {
		t.Errorf("folder holds %d entries after a failed export, want the %d tables", len(entries), len(storage.ExportTables()))
	}
	if _, err := s.ExportParquet(ctx, ""); err == nil {
		t.Error("export to an empty path succeeded")
	}
}

// benchStore imports the benchmark organisation (ABSENCE_BENCH_EMPLOYEES,
// default 1M) into a fresh database.
func benchStore(b *testing.B) *testStore {
	b.Helper()
	dir, err := datasets.BenchFiles(datasets.Config{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	s := openStore(b, filepath.Join(b.TempDir(), "bench.duckdb"), storage.Options{})
	plan, err := ingest.Plan([]string{filepath.Join(dir, "employments.csv"), filepath.Join(dir, "absence_periods.csv"), filepath.Join(dir, "interventions.csv")}, nil, ingest.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range plan {
		if _, err := s.Import(ctx, f, ingest.ImportOptions{ExtractDate: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)}); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

// BenchmarkExportParquet exports the benchmark organisation.
func BenchmarkExportParquet(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	var err error
	out := b.TempDir()
	b.ResetTimer()
	var res storage.ExportResult
	for i := 0; i < b.N; i++ {
		if res, err = s.ExportParquet(ctx, out); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var rows int64
	var files int
	for _, t := range res.Tables {
		rows += t.Rows
		files += t.Files
	}
	var size int64
	filepath.Walk(out, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			size += info.Size()
		}
		return nil
	})
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(float64(files), "files")
	b.ReportMetric(float64(size)/1e6, "MB")
}
