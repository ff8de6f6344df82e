package ingest

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/ingest/storage"
)

// purgeToday is the day the retention tests run as: with 2 years kept, an
// employee whose last day was before 2023-06-30 is past the retention period.
// The employees of datasets/fixtures/retention_*.csv, by their last day:
//
//	L3   left 2022-06-30 (3 years ago), after two contracts  → purged
//	B1   left 2023-06-29, one day past the 2 years           → purged
//	B0   left 2023-06-30, exactly 2 years ago                → kept
//	L1   left 2024-06-30 (1 year ago)                        → kept
//	EMP  still employed                                      → kept
//	RE   old contract ended 2019, a current one since 2024   → kept
//	LATE old contract ended 2019, a later one ended 2024-12  → kept
var purgeToday = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)

// retentionStore is a database of those employees, imported through the
// real import path, whose importer's clock says today.
func retentionStore(t *testing.T, today time.Time) *testStore {
	t.Helper()
	s := openStore(t, filepath.Join(t.TempDir(), "retention.duckdb"), storage.Options{}, Config{Now: func() time.Time { return today }})
	for _, f := range []struct{ profile, file string }{
		{"native-employments", "retention_employments.csv"},
		{"native-periods", "retention_periods.csv"},
		{"native-interventions", "retention_interventions.csv"},
		{"native-milestones", "retention_milestones.csv"},
	} {
		p, err := LoadProfile(f.profile)
		if err != nil {
			t.Fatal(err)
		}
		if res := mustImport(t, s, fixtures+f.file, ImportOptions{Profile: p, ExtractDate: purgeToday}); res.Rejected > 0 {
			t.Fatalf("%s: %v", f.file, res.Errors)
		}
	}
	return s
}

// rowsOf counts an employee's rows per table, e.g. "absence_cases=2 …".
func rowsOf(t *testing.T, s *testStore, employee string) string {
	t.Helper()
	var parts []string
	for _, table := range []string{"absence_cases", "case_segments", "interventions", "milestones", "employments"} {
		var n int
		if err := s.DB.QueryRow(fmt.Sprintf(`SELECT count(*) FROM %s JOIN employees USING (employee_key) WHERE pseudonym = ?`, table), s.Pseudonym(employee)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, fmt.Sprintf("%s=%d", table, n))
	}
	return strings.Join(parts, " ")
}

func purgesLogged(t *testing.T, s *testStore) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRow(`SELECT count(*) FROM imports WHERE kind = 'purge'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Purged data never comes back, and an import never purges. Re-importing a
// file imported before the purge is a no-op; a newer export that still
// lists the leavers has their rows left out, counted and named, as part of
// its own validation, with no purge in the history. Data of employees
// without an employment on record is counted but kept.
func TestPurgedEmployeesAreLeftOutOfNewerExports(t *testing.T) {
	ctx := context.Background()
	s := retentionStore(t, purgeToday)
	if _, err := s.Purge(ctx, storage.PurgeOptions{Today: purgeToday}); err != nil {
		t.Fatal(err)
	}
	after := fingerprint(t, s)
	periods, _ := LoadProfile("native-periods")
	res := mustImport(t, s, fixtures+"retention_periods.csv", ImportOptions{Profile: periods, ExtractDate: purgeToday})
	if !res.AlreadyImported || fingerprint(t, s) != after {
		t.Errorf("re-importing an old file changed the database: %+v", res)
	}

	// A newer employment snapshot still lists the leavers L3 (two
	// contracts) and B1, as payroll exports do, and no longer EMP.
	employments, _ := LoadProfile("native-employments")
	withoutEMP := strings.Replace(string(mustRead(t, fixtures+"retention_employments.csv")), "EMP,2015-01-01,,Kantoor,,Utrecht,36,36,1990,X\n", "", 1)
	newer := mustImport(t, s, writeFile(t, "employments-newer.csv", withoutEMP), ImportOptions{Profile: employments})
	note := "left out 3 rows of 2 employees past the retention period: their last employment ended before 2023-06-30 (the last purge keeps 2 years)"
	if newer.PastRetention != 3 || newer.Rejected != 0 || newer.Accepted != newer.Read-3 || !strings.Contains(strings.Join(newer.Notes, "\n"), note) {
		t.Errorf("read %d, accepted %d, rejected %d, past retention %d, notes %q; want 3 rows left out, saying %q",
			newer.Read, newer.Accepted, newer.Rejected, newer.PastRetention, newer.Notes, note)
	}
	for _, e := range []string{"L3", "B1"} {
		if rows := rowsOf(t, s, e); rows != "absence_cases=0 case_segments=0 interventions=0 milestones=0 employments=0" {
			t.Errorf("%s came back: %s", e, rows)
		}
	}
	if n := purgesLogged(t, s); n != 1 {
		t.Errorf("%d purges in the history, want the 1 the operator ran: an import never purges", n)
	}
	res2, err := s.Purge(ctx, storage.PurgeOptions{Today: purgeToday})
	if err != nil {
		t.Fatal(err)
	}
	if got := [4]int64{res2.Employees, res2.Employments, res2.Cases, res2.WithoutEmployment}; got != [4]int64{0, 0, 0, 1} {
		t.Errorf("purge after a newer snapshot: employees, employments, cases, without employment = %v, want [0 0 0 1]", got)
	}
	if rows := rowsOf(t, s, "EMP"); rows != "absence_cases=1 case_segments=1 interventions=0 milestones=0 employments=0" {
		t.Errorf("EMP: %s", rows)
	}
}

// A year after the purge, B0 (left 2023-06-30) is past the retention period
// too. An absence import then leaves B0's new rows out and leaves what is
// stored of B0 alone — neither replaced nor purged — until the purge the
// operator runs; the other rows land.
func TestImportLeavesEmployeesPastRetentionForThePurge(t *testing.T) {
	ctx := context.Background()
	s := retentionStore(t, purgeToday.AddDate(1, 0, 0))
	if _, err := s.Purge(ctx, storage.PurgeOptions{Today: purgeToday}); err != nil {
		t.Fatal(err)
	}
	b0 := rowsOf(t, s, "B0")
	if b0 == "absence_cases=0 case_segments=0 interventions=0 milestones=0 employments=0" {
		t.Fatal("B0 has nothing stored; the test would prove nothing")
	}
	// A newer snapshot of the periods source: the purged L3 and B1 are no
	// longer in it, B0's case is replaced by another, and EMP has a new one.
	var periods strings.Builder
	for _, line := range strings.SplitAfter(string(mustRead(t, fixtures+"retention_periods.csv")), "\n") {
		switch {
		case strings.HasPrefix(line, "L3,") || strings.HasPrefix(line, "B1,"):
		case strings.HasPrefix(line, "B0,"):
			periods.WriteString("B0,B0-2,2023-05-01,2023-05-02,100,sickness,full_return\n")
		default:
			periods.WriteString(line)
		}
	}
	periods.WriteString("EMP,EMP-2,2025-03-03,2025-03-04,100,sickness,full_return\n")
	p, _ := LoadProfile("native-periods")
	res := mustImport(t, s, writeFile(t, "periods-newer.csv", periods.String()), ImportOptions{Profile: p, ExtractDate: purgeToday.AddDate(1, 0, 0)})
	if res.PastRetention != 1 || res.Rejected != 0 || !strings.Contains(strings.Join(res.Notes, "\n"), "left out 1 row of 1 employee past the retention period") {
		t.Errorf("past retention %d, rejected %d, notes %q; want B0's row left out", res.PastRetention, res.Rejected, res.Notes)
	}
	if got := rowsOf(t, s, "B0"); got != b0 {
		t.Errorf("B0 was changed by the import: %s, was %s", got, b0)
	}
	if got := rowsOf(t, s, "EMP"); !strings.HasPrefix(got, "absence_cases=2 ") {
		t.Errorf("EMP's new case did not land: %s", got)
	}
	if n := purgesLogged(t, s); n != 1 {
		t.Errorf("%d purges in the history, want 1: the import purged", n)
	}
	purge, err := s.Purge(ctx, storage.PurgeOptions{Today: purgeToday.AddDate(1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if got := rowsOf(t, s, "B0"); purge.Employees != 1 || got != "absence_cases=0 case_segments=0 interventions=0 milestones=0 employments=0" {
		t.Errorf("the scheduled purge removed %d employees; B0 has %s", purge.Employees, got)
	}
}
