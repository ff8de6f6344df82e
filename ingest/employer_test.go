package ingest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/verzuim/absence/ingest/internal/testkit"
	"github.com/verzuim/absence/ingest/storage"
)

// The same personnel numbers imported for two employers are two sets of
// people, each row in its employer; the default employer's pseudonyms are
// the HMAC of the personnel number alone, as before employers existed.
func TestSamePersonnelNumberAtTwoEmployersIsTwoEmployees(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	bakery, err := s.AddEmployer(ctx, "Bakkerij Jansen")
	if err != nil {
		t.Fatal(err)
	}
	for _, employer := range []string{"", "Bakkerij Jansen"} {
		mustImport(t, s, fixtures+"employments.csv", ImportOptions{Employer: employer, ExtractDate: extract2024})
		mustImport(t, s, fixtures+"org_native_periods.csv", ImportOptions{Employer: employer, ExtractDate: extract2024})
	}
	var employees, perEmployer, cases, caseEmployers int64
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(DISTINCT pseudonym), count(DISTINCT (employer_id, pseudonym)) FROM employments JOIN employees USING (employer_id, employee_key)`), &employees, &perEmployer)
	if employees != 8 || perEmployer != 8 {
		t.Errorf("employees: %d distinct pseudonyms (%d per employer), want 8: the four personnel numbers at two employers", employees, perEmployer)
	}
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(*), count(DISTINCT employer_id) FROM absence_cases`), &cases, &caseEmployers)
	var segmentsOff int64
	if err := s.DB.QueryRow(`SELECT count(*) FROM case_segments s ANTI JOIN absence_cases c USING (employer_id, employee_key, first_sick_day)`).Scan(&segmentsOff); err != nil {
		t.Fatal(err)
	}
	if cases == 0 || cases%2 != 0 || caseEmployers != 2 || segmentsOff != 0 {
		t.Errorf("absence cases: %d in %d employers, %d case periods not with their case's employer; want the same cases for both", cases, caseEmployers, segmentsOff)
	}
	var defaultID, bakeryID string
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT pseudonym FROM employments JOIN employees USING (employer_id, employee_key) WHERE employer_id = ? AND birth_year = 1975`, storage.DefaultEmployerID), &defaultID)
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT pseudonym FROM employments JOIN employees USING (employer_id, employee_key) WHERE employer_id = ? AND birth_year = 1975`, bakery.ID), &bakeryID)
	if defaultID != s.Pseudonym("E003") {
		t.Errorf("the default employer's E003 is %q, want %q, its pseudonym from before employers", defaultID, s.Pseudonym("E003"))
	}
	if want, _ := s.EmployerPseudonym(ctx, bakery.ID, "E003"); bakeryID != want || bakeryID == defaultID {
		t.Errorf("the bakery's E003 is %q, want %q and not the default employer's %q", bakeryID, want, defaultID)
	}
}

// A snapshot replaces its own employer's source only; the shrink guard,
// the ledger and undo count per employer and source.
func TestSnapshotAndUndoStayWithinTheirEmployer(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	if _, err := s.AddEmployer(ctx, "Zorggroep Noord"); err != nil {
		t.Fatal(err)
	}
	emp := writeFile(t, "employments.csv", "employee_id,start_date,end_date,department,contract_hours,fulltime_hours\nA,2020-01-01,,Zorg,40,40\nB,2020-01-01,,Zorg,40,40\nC,2020-01-01,,Zorg,40,40\n")
	three := writeFile(t, "three.csv", nativePeriods+"A,1,2024-01-01,2024-01-05,100\nB,1,2024-02-01,2024-02-05,100\nC,1,2024-03-01,2024-03-05,100\n")
	one := writeFile(t, "one.csv", nativePeriods+"A,1,2024-01-01,2024-01-05,100\n")
	for _, employer := range []string{"", "Zorggroep Noord"} {
		mustImport(t, s, emp, ImportOptions{Employer: employer, ExtractDate: extract2024})
		mustImport(t, s, three, ImportOptions{Employer: employer, ExtractDate: extract2024})
	}
	before := fingerprint(t, s, "employments", "absence_cases", "case_segments")
	countOf := func(employer int64) (n int64) {
		testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(*) FROM absence_cases WHERE employer_id = ?`, employer), &n)
		return n
	}

	_, err := s.ImportFile(ctx, one, ImportOptions{Employer: "Zorggroep Noord", ExtractDate: extract2024})
	var shrink *ShrinkError
	if !errors.As(err, &shrink) || shrink.Change.Before != 3 || shrink.Change.After != 1 || !strings.Contains(err.Error(), `of source "native-periods" of employer "Zorggroep Noord"`) {
		t.Fatalf("a snapshot of 1 of the employer's 3 cases: %v; want the shrink guard counting 3 before and 1 after, naming the employer", err)
	}
	res := mustImport(t, s, one, ImportOptions{Employer: "Zorggroep Noord", ExtractDate: extract2024, AllowShrink: true})
	if got := countOf(2); got != 1 {
		t.Errorf("Zorggroep Noord holds %d cases after its snapshot of one, want 1", got)
	}
	if got := countOf(storage.DefaultEmployerID); got != 3 {
		t.Errorf("the default employer holds %d cases after another employer's snapshot, want its 3", got)
	}

	list, err := s.Imports(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if list[0].ID != res.ImportID || list[0].Employer != "Zorggroep Noord" || !list[0].Undoable {
		t.Errorf("latest import in the history: %+v, want import %d of Zorggroep Noord, undoable", list[0], res.ImportID)
	}
	// The default employer's latest absence import is still undoable: the
	// later import of the same source belongs to another employer.
	for _, r := range list {
		if r.Kind == "absence" && r.Employer == storage.DefaultEmployer && !r.Undoable {
			t.Errorf("import %d of the default employer is not undoable after another employer's import of the same source", r.ID)
		}
	}
	if _, err := s.Undo(ctx, res.ImportID, storage.UndoOptions{By: "test"}); err != nil {
		t.Fatal(err)
	}
	if after := fingerprint(t, s, "employments", "absence_cases", "case_segments"); after != before {
		t.Errorf("after the undo the data differ from before the snapshot")
	}
}

// An unknown employer is refused with the nearest name, and nothing is
// imported; the same file for another employer is not "already imported".
func TestImportForAnUnknownEmployerSuggestsTheNearest(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	if _, err := s.AddEmployer(ctx, "Bakkerij Jansen"); err != nil {
		t.Fatal(err)
	}
	_, err := s.ImportFile(ctx, fixtures+"employments.csv", ImportOptions{Employer: "Bakkerij Jansn", ExtractDate: extract2024})
	if !errors.Is(err, storage.ErrUnknownEmployer) || !strings.Contains(err.Error(), `did you mean "Bakkerij Jansen"?`) {
		t.Errorf("import for an unknown employer: %v; want ErrUnknownEmployer with the nearest name", err)
	}
	if _, err := s.AddEmployer(ctx, " bakkerij jansen "); !errors.Is(err, storage.ErrEmployerExists) {
		t.Errorf("adding the same name in other case: %v, want ErrEmployerExists", err)
	}
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{ExtractDate: extract2024})
	res := mustImport(t, s, fixtures+"employments.csv", ImportOptions{Employer: "bakkerij jansen", ExtractDate: extract2024})
	if res.AlreadyImported || res.Accepted == 0 || res.Employer != "Bakkerij Jansen" {
		t.Errorf("the default employer's file imported for the bakery: %+v; want it imported, for the bakery", res)
	}
}

// A failed import belongs to the employer it was for: its history shows
// it (and an alert for it names that employer), the default employer's
// does not. A failure for an employer the installation does not know is
// nobody's history: it is told to whoever ran it, not recorded.
func TestFailedImportIsItsEmployers(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	clinic, err := s.AddEmployer(ctx, "Kliniek Oost")
	if err != nil {
		t.Fatal(err)
	}
	empty := writeFile(t, "leeg.csv", "")
	noDates := writeFile(t, "periods.csv", nativePeriods+"A,1,gisteren,,100\n")
	for _, tc := range []struct {
		file, employer string
		want           int64 // employer the failure is recorded for; 0: none
	}{
		{empty, "Kliniek Oost", clinic.ID},     // fails while the file is read
		{noDates, "Kliniek Oost", clinic.ID},   // fails on its rows
		{empty, "", storage.DefaultEmployerID}, // an installation of one employer
		{noDates, "Bakkerij Onbekend", 0},      // no such employer
	} {
		var before int64
		testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(*) FROM imports WHERE status = 'failed'`), &before)
		if _, err := s.ImportFile(ctx, tc.file, ImportOptions{Employer: tc.employer, ExtractDate: extract2024}); err == nil {
			t.Fatalf("%s for %q: imported, want a failure", tc.file, tc.employer)
		}
		var after, got int64
		testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(*), arg_max(employer_id, import_id) FROM imports WHERE status = 'failed'`), &after, &got)
		switch {
		case tc.want == 0 && after != before:
			t.Errorf("%s for unknown employer %q: recorded as a failed import of employer %d, want it recorded for no employer", tc.file, tc.employer, got)
		case tc.want != 0 && (after != before+1 || got != tc.want):
			t.Errorf("%s for %q: %d new failures, the last for employer %d; want one, for employer %d", tc.file, tc.employer, after-before, got, tc.want)
		}
	}
}
