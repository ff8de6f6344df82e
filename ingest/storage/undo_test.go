package storage_test

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/internal/testkit"
	"github.com/verzuim/absence/ingest/storage"
)

// mostlyBrokenPeriods is the file of issue 9, finding 3 for the organisation
// in dir: six period rows of which five are bad.
func mostlyBrokenPeriods(t *testing.T, dir string) string {
	t.Helper()
	path, err := datasets.MostlyBrokenPeriods(dir, orgExtract)
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func importStatus(t *testing.T, s *testStore, id int64) string {
	t.Helper()
	var status string
	if err := s.DB.QueryRow(`SELECT status FROM imports WHERE import_id = ?`, id).Scan(&status); err != nil {
		t.Fatal(err)
	}
	return status
}

// Issue 9, finding 3: a six-row periods file with five bad rows replaced all
// of its source's cases. Now it is refused with the counts; confirmed, it
// lands; undone, the data is exactly as before, and the file can be
// imported again.
func TestMostlyBrokenSnapshotIsRefusedAndAnImportCanBeUndone(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	dir := generatedOrg(t, s)
	cases := countCases(t, s)
	if cases < 300 {
		t.Fatalf("the organisation has %d cases; the test needs hundreds", cases)
	}
	good := fingerprint(t, s, dataTables...)
	bad := mostlyBrokenPeriods(t, dir)

	res, err := s.ImportFile(ctx, bad, ingest.ImportOptions{ExtractDate: orgExtract})
	var shrink *ingest.ShrinkError
	if !errors.As(err, &shrink) || !ingest.IsBadFile(err) {
		t.Fatalf("err = %v; want a shrink refusal that marks the file as bad", err)
	}
	if c := shrink.Change; c.Before != cases || c.After != 1 || c.EmployeesAfter != 1 || res.Accepted != 1 || res.Rejected != 5 {
		t.Errorf("change %+v, accepted %d, rejected %d; want %d cases before, 1 after", c, res.Accepted, res.Rejected, cases)
	}
	for _, want := range []string{"would leave 1 of the " + strconv.FormatInt(cases, 10) + " absence cases of source \"native-periods\"", "more than the 20%", "nothing was imported", "--allow-shrink"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	if fingerprint(t, s, dataTables...) != good {
		t.Fatal("a refused import changed the data")
	}

	confirmed := mustImport(t, s, bad, ingest.ImportOptions{ExtractDate: orgExtract, AllowShrink: true})
	if n := countCases(t, s); n != 1 {
		t.Fatalf("after the confirmed import %d cases are stored, want 1", n)
	}
	commits := s.Commits()
	version, _ := s.DataVersion(ctx)
	totals, _ := s.ImportTotals(ctx)

	undo, err := s.Undo(ctx, confirmed.ImportID, storage.UndoOptions{By: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if undo.Removed != 1 || undo.Restored != cases || undo.Before != 1 || undo.After != cases {
		t.Errorf("undo %+v; want 1 removed and %d restored", undo, cases)
	}
	if fingerprint(t, s, dataTables...) != good {
		t.Error("after the undo the data is not exactly as before the import")
	}
	if st := importStatus(t, s, confirmed.ImportID); st != "undone" {
		t.Errorf("the undone import has status %q", st)
	}
	if v, _ := s.DataVersion(ctx); s.Commits() == commits || v <= version {
		t.Errorf("commits %d → %d, data version %d → %d: cached figures would not be refreshed", commits, s.Commits(), version, v)
	}
	if now, _ := s.ImportTotals(ctx); now.Committed < totals.Committed || now.Accepted < totals.Accepted {
		t.Errorf("import totals went down after the undo (%+v → %+v); they are counters", totals, now)
	}
	if _, err := s.Undo(ctx, confirmed.ImportID, storage.UndoOptions{}); !errors.Is(err, storage.ErrCannotUndo) || !strings.Contains(err.Error(), "already undone") {
		t.Errorf("second undo: err = %v", err)
	}

	// An undone import no longer counts as imported: the file lands again.
	again := mustImport(t, s, bad, ingest.ImportOptions{ExtractDate: orgExtract, AllowShrink: true})
	if again.AlreadyImported || again.ImportID <= undo.UndoID || countCases(t, s) != 1 {
		t.Errorf("re-import after undo: already imported %v, import %d, %d cases", again.AlreadyImported, again.ImportID, countCases(t, s))
	}
}

// Each kind and mode of import is undone exactly, and only the latest import
// of a source can be undone.
func TestUndoRestoresEveryKindAndModeExactly(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	dir := generatedOrg(t, s)
	mustImport(t, s, filepath.Join(dir, "interventions.csv"), ingest.ImportOptions{ExtractDate: orgExtract})
	increment, err := ingest.ParseProfile(mustRead(t, fixtures+"events_increment.toml"), "events-increment.toml")
	if err != nil {
		t.Fatal(err)
	}
	periods := strings.Split(string(mustRead(t, filepath.Join(dir, "absence_periods.csv"))), "\n")
	first := strings.Split(periods[1], ",") // employee_id,case_ref,start_date,...
	employments := string(mustRead(t, filepath.Join(dir, "employments.csv")))
	interventions := strings.Split(string(mustRead(t, filepath.Join(dir, "interventions.csv"))), "\n")

	steps := []struct {
		name    string
		file    string
		profile *ingest.Profile
	}{
		// A newer employment snapshot: one contract more hours, one less.
		{"employment snapshot", writeFile(t, "employments_newer.csv", strings.Replace(employments, ",40,40,", ",36,40,", 1)), nil},
		// Interventions: one provider renamed, one dropped.
		{"intervention snapshot", writeFile(t, "interventions_newer.csv", strings.Join(append([]string{interventions[0],
			renameProvider(interventions[1])}, interventions[3:]...), "\n")), nil},
		// An increment that says the first stored case ended after a day.
		{"absence increment", writeFile(t, "events_week.csv", "employee_id,first_sick_day,event_date,event,absence_pct,end_reason\n"+
			first[0]+","+first[2]+","+first[2]+",sick,100,\n"+first[0]+","+first[2]+","+nextDay(t, first[2])+",recovered,,full_return\n"), increment},
	}
	for _, step := range steps {
		before := fingerprint(t, s, dataTables...)
		res := mustImport(t, s, step.file, ingest.ImportOptions{Profile: step.profile, ExtractDate: orgExtract, AllowShrink: true})
		if fingerprint(t, s, dataTables...) == before {
			t.Fatalf("%s: the import changed nothing, so undoing it proves nothing", step.name)
		}
		if _, err := s.Undo(ctx, res.ImportID, storage.UndoOptions{By: "test"}); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if fingerprint(t, s, dataTables...) != before {
			t.Errorf("%s: undo did not restore the data exactly", step.name)
		}
	}

	// Two snapshots of one source: the earlier can only go after the later.
	newer := writeFile(t, "employments_v2.csv", strings.Replace(employments, ",40,40,", ",32,40,", 1))
	newest := writeFile(t, "employments_v3.csv", strings.Replace(employments, ",40,40,", ",24,40,", 1))
	original := fingerprint(t, s, dataTables...)
	v2 := mustImport(t, s, newer, ingest.ImportOptions{})
	v3 := mustImport(t, s, newest, ingest.ImportOptions{})
	_, err = s.Undo(ctx, v2.ImportID, storage.UndoOptions{})
	if !errors.Is(err, storage.ErrCannotUndo) || !strings.Contains(err.Error(), "undo the later imports first, newest first: "+strconv.FormatInt(v3.ImportID, 10)) {
		t.Errorf("undo of the earlier import: err = %v", err)
	}
	for _, id := range []int64{v3.ImportID, v2.ImportID} {
		if _, err := s.Undo(ctx, id, storage.UndoOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if fingerprint(t, s, dataTables...) != original {
		t.Error("undoing both snapshots, newest first, did not restore the data")
	}
	for id, want := range map[int64]error{999: storage.ErrNoSuchImport, v3.ImportID: storage.ErrCannotUndo} {
		if _, err := s.Undo(ctx, id, storage.UndoOptions{}); !errors.Is(err, want) {
			t.Errorf("undo %d: err = %v, want %v", id, err, want)
		}
	}
}

func nextDay(t *testing.T, day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		t.Fatal(err)
	}
	return d.AddDate(0, 0, 1).Format(time.DateOnly)
}

func renameProvider(line string) string {
	f := strings.Split(line, ",") // employee_id,intervention_type,provider,...
	f[2] += " B.V."
	return strings.Join(f, ",")
}

// What an import replaced is kept for undo only as long as the retention
// rule allows: a purge removes it for the employees it purges, and for
// imports older than its cutoff, which then cannot be undone.
func TestRetentionPurgesWhatImportsReplaced(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	dir := generatedOrg(t, s)
	employments := string(mustRead(t, filepath.Join(dir, "employments.csv")))
	newer := mustImport(t, s, writeFile(t, "employments_newer.csv", strings.Replace(employments, ",40,40,", ",36,40,", 1)), ingest.ImportOptions{})
	var kept int64
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(*) FROM replaced_employments`), &kept)
	if kept != 1 {
		t.Fatalf("%d replaced employment rows kept, want 1", kept)
	}
	// A purge as of three years from now: the newer import is then older
	// than the retention period.
	res, err := s.Purge(ctx, storage.PurgeOptions{KeepYears: 2, Today: time.Now().AddDate(3, 0, 0), By: "test"})
	if err != nil {
		t.Fatal(err)
	}
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(*) FROM replaced_employments`), &kept)
	if res.Replaced != 1 || kept != 0 || !strings.Contains(res.String(), "1 replaced row kept for undoing imports") {
		t.Errorf("purge removed %d replaced rows (%q); %d still kept", res.Replaced, res.String(), kept)
	}
	if _, err := s.Undo(ctx, newer.ImportID, storage.UndoOptions{}); !errors.Is(err, storage.ErrCannotUndo) || !strings.Contains(err.Error(), "older than the retention period") {
		t.Errorf("undo after the purge: err = %v", err)
	}
}
