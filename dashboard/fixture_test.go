package dashboard

import (
	"context"
	"database/sql"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// testSite is a real server over a real database filled with a generated
// organisation, with one account per role.
type testSite struct {
	url       string
	dataDir   string // the generated exports that were imported
	store     *storage.Store
	server    *Server
	depts     []string // departments, largest first
	locations []string // locations, for load tests (siteLocations)
	password  string
}

var testExtract = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)

// testProvider is the organisation of the test sites' provider account,
// one of the generated providers.
const testProvider = "ArboPlus Nederland"

func newTestSite(t *testing.T) *testSite { return newTestSiteSized(t, 1500) }

func newTestSiteSized(t testing.TB, employees int) *testSite {
	return newTestSiteFrom(t, employees, nil)
}

// newTestSiteFrom lets prepare change the generated exports before they
// are imported.
func newTestSiteFrom(t testing.TB, employees int, prepare func(t testing.TB, dataDir string)) *testSite {
	t.Helper()
	dir := t.TempDir()
	ctx := context.Background()
	store, err := storage.Open(ctx, filepath.Join(dir, "site.duckdb"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if employees > 0 { // none: the default employer holds nothing (a provider installation)
		importTestData(t, store, filepath.Join(dir, "data"), employees, prepare)
	}
	b, err := analytics.Breakdown(ctx, store.Reader(), analytics.Filter{From: testExtract.AddDate(-1, 0, 1), To: testExtract}, analytics.ByDepartment, analytics.Options{})
	if err != nil {
		t.Fatal(err)
	}
	site := &testSite{store: store, password: "a-long-test-password", dataDir: filepath.Join(dir, "data")}
	for _, g := range b.Groups {
		site.depts = append(site.depts, g.Key)
	}
	accounts, err := OpenAccounts(filepath.Join(dir, "users.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []User{{Name: "admin", Role: RoleAdmin}, {Name: "hr", Role: RoleHR}, {Name: "manager", Role: RoleManager, Departments: site.depts[:min(1, len(site.depts))]},
		{Name: "provider", Role: RoleProvider, Provider: testProvider}} {
		if u.Role == RoleManager && len(u.Departments) == 0 {
			continue // no data: no department to manage
		}
		if err := accounts.PutUser(u, site.password); err != nil {
			t.Fatal(err)
		}
	}
	if site.server, err = New(store, accounts, Config{}); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(site.server.Handler())
	t.Cleanup(ts.Close)
	t.Cleanup(site.server.Close) // first: no computation outlives the test's store
	site.url = ts.URL
	return site
}

// importTestData generates the test site's exports into dataDir and
// imports them into the default employer.
func importTestData(t testing.TB, store *storage.Store, dataDir string, employees int, prepare func(t testing.TB, dataDir string)) {
	t.Helper()
	paths, err := datasets.WriteFiles(dataDir, datasets.Config{Employees: employees, Seed: 3, ExtractDate: testExtract}, "native")
	if err != nil {
		t.Fatal(err)
	}
	if prepare != nil {
		prepare(t, dataDir)
	}
	var files []string
	for _, p := range paths {
		if filepath.Base(p) != "absence_events.csv" {
			files = append(files, p)
		}
	}
	importer := ingest.NewImporter(store, ingest.Config{})
	plan, err := ingest.Plan(files, nil, importer.Limits())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range plan {
		if _, err := importer.Import(context.Background(), f, ingest.ImportOptions{ExtractDate: testExtract}); err != nil {
			t.Fatal(err)
		}
	}
}

// milestoneFile writes the site's milestone export again with one date a
// day later: a snapshot that changes one row, which the site accepts (a
// one-row file would trip the shrink guard).
func (site *testSite) milestoneFile(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(site.dataDir, "milestones.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	f := strings.Split(lines[1], ",") // employee_id,first_sick_day,milestone,done_date
	done, err := time.Parse("2006-01-02", f[3])
	if err != nil {
		t.Fatal(err)
	}
	f[3] = done.AddDate(0, 0, 1).Format("2006-01-02")
	lines[1] = strings.Join(f, ",")
	path := filepath.Join(t.TempDir(), "milestones.csv")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// extraCaseFile writes an export of a second absence source holding one
// new closed sickness case, 30 to 21 days before the extract date, of an
// employee employed throughout who had no absence then: importing it adds
// one new case to the figures of the last 12 months and removes nothing.
func (site *testSite) extraCaseFile(t *testing.T) (path string, profile *ingest.Profile) {
	t.Helper()
	return extraCaseFileOf(t, site.dataDir)
}

// extraCaseFileOf is extraCaseFile for the exports in dataDir.
func extraCaseFileOf(t *testing.T, dataDir string) (path string, profile *ingest.Profile) {
	t.Helper()
	path = extraCase(t, func(name string) string { return filepath.Join(dataDir, name) }, "absence_periods.csv", "employments.csv", testExtract)
	profile, err := ingest.LoadProfile("native-periods")
	if err != nil {
		t.Fatal(err)
	}
	profile.Source = "second-source"
	return path, profile
}

// extraCase writes one new closed sickness case, 30 to 21 days before
// extract, of an employee of the exports (file gives a file's path by
// name) who is employed throughout and had no absence near then.
func extraCase(t testing.TB, file func(name string) string, periods, employments string, extract time.Time) string {
	t.Helper()
	rows := func(name string) [][]string {
		data, err := os.ReadFile(file(name))
		if err != nil {
			t.Fatal(err)
		}
		var out [][]string
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n")[1:] {
			out = append(out, strings.Split(line, ","))
		}
		return out
	}
	from, to := extract.AddDate(0, 0, -30), extract.AddDate(0, 0, -21)
	// Employees with a period that may touch [from-60d, to]; the columns are
	// employee_id,case_ref,start_date,end_date,...
	recent := map[string]bool{}
	for _, r := range rows(periods) {
		if r[3] == "" || r[3] >= from.AddDate(0, 0, -60).Format(time.DateOnly) {
			recent[r[0]] = true
		}
	}
	employee := ""
	for _, r := range rows(employments) { // employee_id,start_date,end_date,...
		if r[2] == "" && r[1] < from.AddDate(-1, 0, 0).Format(time.DateOnly) && !recent[r[0]] {
			employee = r[0]
			break
		}
	}
	if employee == "" {
		t.Fatal("no employee without recent absence in the exports")
	}
	path := filepath.Join(t.TempDir(), "extra_source.csv")
	content := "employee_id,case_ref,start_date,end_date,absence_pct,absence_type,end_reason\n" +
		fmt.Sprintf("%s,EXTRA-1,%s,%s,100,sickness,full_return\n", employee, from.Format(time.DateOnly), to.Format(time.DateOnly))
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// scanRow scans a one-row query into dest and fails the test if the query
// does: a count that could not be read must not pass as zero.
func scanRow(t testing.TB, row *sql.Row, dest ...any) {
	t.Helper()
	if err := row.Scan(dest...); err != nil {
		t.Fatal(err)
	}
}
