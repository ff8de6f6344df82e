package storage_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/internal/testkit"
	"github.com/verzuim/absence/ingest/storage"
)

// purgeToday is the day the retention tests run as: with 2 years kept, an
// employee whose last day was before 2023-06-30 is past the retention period.
var purgeToday = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)

// Employees of the retention tests, by their last day of employment:
//
//	L3   left 2022-06-30 (3 years ago), after two contracts  → purged
//	B1   left 2023-06-29, one day past the 2 years           → purged
//	B0   left 2023-06-30, exactly 2 years ago                → kept
//	L1   left 2024-06-30 (1 year ago)                        → kept
//	EMP  still employed                                      → kept
//	RE   old contract ended 2019, a current one since 2024   → kept
//	LATE old contract ended 2019, a later one ended 2024-12  → kept
const (
	retentionEmployments = `employee_id,start_date,end_date,department,team,location,contract_hours,fulltime_hours,birth_year,gender
L3,2018-01-01,2019-12-31,Zorg,,Utrecht,24,36,1970,F
L3,2020-01-01,2022-06-30,Zorg,,Utrecht,36,36,1970,F
B1,2020-01-01,2023-06-29,Zorg,,Utrecht,36,36,1980,M
B0,2020-01-01,2023-06-30,Zorg,,Utrecht,36,36,1980,M
L1,2019-01-01,2024-06-30,Kantoor,,Utrecht,36,36,1985,F
EMP,2015-01-01,,Kantoor,,Utrecht,36,36,1990,X
RE,2017-01-01,2019-12-31,Zorg,,Utrecht,36,36,1975,M
RE,2024-01-01,,Zorg,,Utrecht,36,36,1975,M
LATE,2017-01-01,2019-12-31,Zorg,,Utrecht,36,36,1975,F
LATE,2021-01-01,2024-12-31,Zorg,,Utrecht,36,36,1975,F
`
	retentionPeriods = `employee_id,case_ref,start_date,end_date,absence_pct,absence_type,end_reason
L3,L3-1,2021-03-01,2021-03-07,100,sickness,
L3,L3-1,2021-03-08,2021-03-14,50,sickness,full_return
L3,L3-2,2022-01-10,2022-01-20,100,sickness,full_return
B1,B1-1,2023-01-02,2023-01-03,100,sickness,full_return
B0,B0-1,2023-01-02,2023-01-03,100,sickness,full_return
L1,L1-1,2023-02-01,2023-02-05,100,sickness,full_return
EMP,EMP-1,2020-05-04,2020-05-06,100,sickness,full_return
RE,RE-1,2019-05-01,2019-05-02,100,sickness,full_return
RE,RE-2,2024-09-02,2024-09-03,100,sickness,full_return
LATE,LATE-1,2019-05-01,2019-05-02,100,sickness,full_return
`
	retentionInterventions = `employee_id,intervention_type,provider,start_date,end_date,sessions,outcome,cost
L3,intervention_talk,Arbo,2021-03-05,2021-03-05,1,completed,100.00
L1,intervention_talk,Arbo,2023-02-03,2023-02-03,1,completed,100.00
RE,intervention_talk,Arbo,2019-05-02,2019-05-02,1,completed,100.00
`
	retentionMilestones = `employee_id,first_sick_day,milestone,done_date
L3,2022-01-10,problem_analysis,2022-01-15
L1,2023-02-01,problem_analysis,2023-02-03
`
)

// loadRetentionOrg imports the employees above through the real import path.
func loadRetentionOrg(t *testing.T, s *testStore) { t.Helper(); loadRetentionOrgFor(t, s, "") }

// loadRetentionOrgFor imports them for an employer ("" the default one).
func loadRetentionOrgFor(t *testing.T, s *testStore, employer string) {
	t.Helper()
	for _, f := range []struct{ profile, name, content string }{
		{"native-employments", "employments.csv", retentionEmployments},
		{"native-periods", "periods.csv", retentionPeriods},
		{"native-interventions", "interventions.csv", retentionInterventions},
		{"native-milestones", "milestones.csv", retentionMilestones},
	} {
		p, err := ingest.LoadProfile(f.profile)
		if err != nil {
			t.Fatal(err)
		}
		res := mustImport(t, s, writeFile(t, f.name, f.content), ingest.ImportOptions{Profile: p, Employer: employer, ExtractDate: purgeToday})
		if res.Rejected > 0 {
			t.Fatalf("%s: %v", f.name, res.Errors)
		}
	}
}

// rowsPerEmployee counts each employee's rows per table, e.g. "L3 cases=2
// segments=3 …", for the personnel numbers given.
func rowsPerEmployee(t *testing.T, s *testStore, employees ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, e := range employees {
		var parts []string
		for _, table := range []string{"absence_cases", "case_segments", "interventions", "milestones", "employments"} {
			var n int
			if err := s.DB.QueryRow(fmt.Sprintf(`SELECT count(*) FROM %s JOIN employees USING (employee_key) WHERE pseudonym = ?`, table), s.Pseudonym(e)).Scan(&n); err != nil {
				t.Fatal(err)
			}
			parts = append(parts, fmt.Sprintf("%s=%d", table, n))
		}
		out[e] = strings.Join(parts, " ")
	}
	return out
}

// employeeKeys are the keys of the default employer's employees by
// personnel number (0: none).
func employeeKeys(t *testing.T, s *testStore, numbers ...string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, e := range numbers {
		var key sql.NullInt64
		if err := s.DB.QueryRow(`SELECT max(employee_key) FROM employees WHERE employer_id = ? AND pseudonym = ?`, storage.DefaultEmployerID, s.Pseudonym(e)).Scan(&key); err != nil {
			t.Fatal(err)
		}
		out[e] = key.Int64
	}
	return out
}

func TestPurgeRemovesOnlyEmployeesPastTheRetentionPeriod(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	loadRetentionOrg(t, s)
	kept := []string{"B0", "L1", "EMP", "RE", "LATE"}
	keptBefore := rowsPerEmployee(t, s, kept...)
	keysBefore := employeeKeys(t, s, kept...)
	for e, key := range employeeKeys(t, s, "L3", "B1") {
		if key == 0 {
			t.Fatalf("%s has no key before the purge", e)
		}
	}
	before := fingerprint(t, s)
	v0, _ := s.DataVersion(ctx)
	c0 := s.Commits()

	dry, err := s.Purge(ctx, storage.PurgeOptions{Today: purgeToday, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if after := fingerprint(t, s); after != before {
		t.Errorf("a dry run changed the database:\nbefore %s\nafter  %s", before, after)
	}
	want := storage.PurgeResult{KeepYears: 2, Cutoff: time.Date(2023, 6, 30, 0, 0, 0, 0, time.UTC),
		Employees: 2, Cases: 3, Segments: 4, Interventions: 1, Milestones: 1, Employments: 3, DryRun: true}
	if d := cmp.Diff(want, dry); d != "" {
		t.Errorf("dry run (-want +got):\n%s", d)
	}

	res, err := s.Purge(ctx, storage.PurgeOptions{Today: purgeToday, By: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if res.PurgeID == 0 {
		t.Error("the purge has no row in the import history")
	}
	want.DryRun = false
	if d := cmp.Diff(want, res, cmpopts.IgnoreFields(storage.PurgeResult{}, "PurgeID")); d != "" {
		t.Errorf("purge (-want +got):\n%s", d)
	}
	gone := "absence_cases=0 case_segments=0 interventions=0 milestones=0 employments=0"
	for e, rows := range rowsPerEmployee(t, s, "L3", "B1") {
		if rows != gone {
			t.Errorf("%s still has %s", e, rows)
		}
	}
	if d := cmp.Diff(keptBefore, rowsPerEmployee(t, s, kept...)); d != "" {
		t.Errorf("kept employees lost rows (-before +after):\n%s", d)
	}
	// The purged employees' keys, and with them their pseudonyms, go too;
	// the others keep theirs.
	if d := cmp.Diff(map[string]int64{"L3": 0, "B1": 0}, employeeKeys(t, s, "L3", "B1")); d != "" {
		t.Errorf("the purged employees' keys (-want +got):\n%s", d)
	}
	if d := cmp.Diff(keysBefore, employeeKeys(t, s, kept...)); d != "" {
		t.Errorf("the kept employees' keys changed (-before +after):\n%s", d)
	}

	// The history shows the purge: when, by whom, how many; and figures
	// cached by data version are recomputed.
	history, err := s.Imports(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if h := history[0]; h.ID != res.PurgeID || h.Kind != "purge" || h.Status != "committed" || h.File != "retention purge" ||
		!strings.Contains(h.Message, "removed the data of 2 employees whose last employment ended before 2023-06-30 (kept 2 years): 3 absence cases, 4 case periods, 1 intervention, 1 milestone, 3 employment records") ||
		!strings.Contains(h.Message, "requested by test") || !h.ExtractDate.Equal(purgeToday) {
		t.Errorf("history %+v", h)
	}
	if v, _ := s.DataVersion(ctx); v != res.PurgeID || v == v0 {
		t.Errorf("data version %d after the purge, want %d", v, res.PurgeID)
	}
	if c := s.Commits(); c != c0+1 {
		t.Errorf("commit count %d after a dry run and a purge, want %d: the dashboard would keep showing purged data", c, c0+1)
	}
	log, err := s.Purges(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	wantLog := []storage.PurgeRecord{{ID: res.PurgeID, KeepYears: 2, Cutoff: want.Cutoff, By: "test",
		Employees: 2, Cases: 3, Segments: 4, Interventions: 1, Milestones: 1, Employments: 3}}
	if d := cmp.Diff(wantLog, log, cmpopts.IgnoreFields(storage.PurgeRecord{}, "At")); d != "" {
		t.Errorf("purge log (-want +got):\n%s", d)
	}

	// A second purge finds nothing, and is logged all the same.
	again, err := s.Purge(ctx, storage.PurgeOptions{Today: purgeToday, By: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if again.Employees != 0 || again.Cases != 0 || again.PurgeID <= res.PurgeID {
		t.Errorf("second purge %+v", again)
	}
	if log, _ := s.Purges(ctx, 10); len(log) != 2 {
		t.Errorf("purge log has %d rows, want 2", len(log))
	}
}

func TestPurgeKeepYears(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	loadRetentionOrg(t, s)
	for _, tt := range []struct {
		keep   int
		purged []string
		cutoff string
	}{
		{0, []string{"B1", "L3"}, "2023-06-30"},
		{1, []string{"B0", "B1", "L3"}, "2024-06-30"}, // L1 left on the cutoff day: kept
		{3, nil, "2022-06-30"},                        // L3 left on the cutoff day: kept
		{5, nil, "2020-06-30"},
	} {
		res, err := s.Purge(ctx, storage.PurgeOptions{KeepYears: tt.keep, Today: purgeToday, DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Employees != int64(len(tt.purged)) || res.Cutoff.Format(time.DateOnly) != tt.cutoff {
			t.Errorf("keep %d years: %d employees before %s, want %v before %s", tt.keep, res.Employees, res.Cutoff.Format(time.DateOnly), tt.purged, tt.cutoff)
		}
	}
	if _, err := s.Purge(ctx, storage.PurgeOptions{KeepYears: -1}); err == nil || !strings.Contains(err.Error(), "positive") {
		t.Errorf("keep -1 years: err = %v", err)
	}
}

// BenchmarkPurge times a dry run on the benchmark organisation, then reports
// one real purge (purge-s) with what it removed.
func BenchmarkPurge(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	today := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Purge(ctx, storage.PurgeOptions{Today: today, DryRun: true}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	began := time.Now()
	res, err := s.Purge(ctx, storage.PurgeOptions{Today: today, By: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(time.Since(began).Seconds(), "purge-s")
	b.ReportMetric(float64(res.Employees), "employees")
	b.ReportMetric(float64(res.Cases+res.Segments+res.Interventions+res.Employments), "rows")
}

// A purge of one employer removes only its employees past the retention
// period, is logged as that employer's, and its rule applies to that
// employer's imports only.
func TestPurgeOfOneEmployer(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	klant, err := s.AddEmployer(ctx, "Klant")
	if err != nil {
		t.Fatal(err)
	}
	loadRetentionOrg(t, s)
	loadRetentionOrgFor(t, s, "Klant")
	ownBefore := rowsPerEmployee(t, s, "L3", "B1")

	res, err := s.Purge(ctx, storage.PurgeOptions{Today: purgeToday, EmployerID: klant.ID, By: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Employees != 2 || res.Cases != 3 || res.Employments != 3 {
		t.Errorf("the purge of one employer: %+v; want its 2 employees past the period (3 cases, 3 employment records)", res)
	}
	if d := cmp.Diff(ownBefore, rowsPerEmployee(t, s, "L3", "B1")); d != "" {
		t.Errorf("the default employer's leavers changed by another employer's purge (-before +after):\n%s", d)
	}
	for _, e := range []string{"L3", "B1"} {
		id, _ := s.EmployerPseudonym(ctx, klant.ID, e)
		var n int
		testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(*) FROM employments JOIN employees USING (employee_key) WHERE pseudonym = ?`, id), &n)
		if n != 0 {
			t.Errorf("Klant's %s keeps %d employment records after its purge", e, n)
		}
	}
	if _, _, ok, _ := s.RetentionCutoff(ctx, storage.DefaultEmployerID, purgeToday); ok {
		t.Error("another employer's purge sets a retention rule for the default employer's imports")
	}
	if _, keep, ok, _ := s.RetentionCutoff(ctx, klant.ID, purgeToday); !ok || keep != 2 {
		t.Errorf("the purged employer's rule for its imports: %v, %d years; want 2", ok, keep)
	}
	list, err := s.Imports(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if list[0].Kind != "purge" || list[0].Employer != "Klant" {
		t.Errorf("the purge in the history: %+v, want Klant's", list[0])
	}
}
