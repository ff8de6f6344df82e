package inbox

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/internal/testkit"
	"github.com/verzuim/absence/ingest/storage"
)

// inboxFixture is a database with employments and an inbox folder.
func inboxFixture(t *testing.T) (*testStore, string, string) {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "inbox.duckdb")
	s := openStore(t, db, storage.Options{})
	mustImport(t, s, fixtures+"employments.csv", ingest.ImportOptions{})
	inbox := filepath.Join(dir, "inbox")
	if err := os.Mkdir(inbox, 0o755); err != nil {
		t.Fatal(err)
	}
	return s, db, inbox
}

// drop writes a file into the inbox as a finished export: written, then
// given a modification time in the past (the night it arrived).
func drop(t *testing.T, dir, name, content string, at time.Time) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, at, at); err != nil {
		t.Fatal(err)
	}
	return path
}

// Each fault of the issue: a clear message, nothing lost, the inbox keeps
// working.
func TestInboxFaults(t *testing.T) {
	night := time.Date(2024, 6, 30, 2, 0, 0, 0, time.UTC)
	good := nativePeriods + "E001,A1,2024-06-01,2024-06-03,100\n"
	tests := []struct {
		name     string
		content  string
		rules    []Rule
		fresh    bool   // modified just now: still being written
		outcome  string // of the file
		where    string // folder the file ends in: "" (still in the inbox), "failed", "archive"
		inReason string
	}{
		{name: "zero.csv", content: "", outcome: "failed", where: FailedDir, inReason: "is empty (0 bytes)"},
		{name: "writing.csv", content: good, fresh: true, outcome: "waiting", where: ""},
		{name: "allbad.csv", content: nativePeriods + "E001,A1,eergisteren,,100\nE002,A2,gisteren,,100\n", outcome: "failed", where: FailedDir, inReason: "none of the 2 rows is valid"},
		{name: "photo.csv", content: "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", outcome: "failed", where: FailedDir, inReason: "not a text file"},
		{name: "wrong.csv", content: good, rules: []Rule{{Pattern: "wrong*", Profile: "afas-verloop"}}, outcome: "failed", where: FailedDir, inReason: `lacks column "Medewerker"`},
		{name: "good.csv", content: good, outcome: "imported", where: ArchiveDir},
		{name: "part.csv.part", content: good, outcome: "", where: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, dir := inboxFixture(t)
			at := night
			if tt.fresh {
				at = time.Now()
			}
			path := drop(t, dir, tt.name, tt.content, at)
			in, err := New(s.Importer, Options{Dir: dir, Rules: tt.rules, StableFor: time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			events, err := in.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if tt.outcome == "" {
				if len(events) != 0 || !exists(path) {
					t.Errorf("a .part file was touched: %+v", events)
				}
				return
			}
			if len(events) != 1 || events[0].Outcome != tt.outcome || !strings.Contains(events[0].Message, tt.inReason) {
				t.Fatalf("events %+v, want outcome %s with %q", events, tt.outcome, tt.inReason)
			}
			switch tt.where {
			case "":
				if !exists(path) {
					t.Error("the file left the inbox")
				}
			case FailedDir:
				moved := filepath.Join(dir, FailedDir, tt.name)
				reason, err := os.ReadFile(moved + ".error.txt")
				if !exists(moved) || err != nil || !strings.Contains(string(reason), tt.inReason) {
					t.Errorf("failed/: file %v, reason %q (%v)", exists(moved), reason, err)
				}
			case ArchiveDir:
				if !strings.Contains(events[0].MovedTo, filepath.Join(ArchiveDir, time.Now().Format("2006"), time.Now().Format("01"))) || !exists(events[0].MovedTo) {
					t.Errorf("archived to %q", events[0].MovedTo)
				}
			}
			if tt.where != "" && exists(path) {
				t.Error("the file is still in the inbox")
			}
		})
	}
}

func TestInboxRecognisesTheSameFileUnderAnotherName(t *testing.T) {
	s, _, dir := inboxFixture(t)
	night := time.Date(2024, 6, 30, 2, 0, 0, 0, time.UTC)
	content := nativePeriods + "E001,A1,2024-06-01,2024-06-03,100\n"
	drop(t, dir, "export-monday.csv", content, night)
	drop(t, dir, "export-copy.csv", content, night)
	in, err := New(s.Importer, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	events, _ := in.Run(context.Background())
	var outcomes []string
	for _, ev := range events {
		outcomes = append(outcomes, ev.File+" "+ev.Outcome)
	}
	if d := cmp.Diff([]string{"export-copy.csv imported", "export-monday.csv duplicate"}, outcomes); d != "" {
		t.Errorf("outcomes (-want +got):\n%s", d)
	}
	var imports int
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(*) FROM imports WHERE kind = 'absence' AND status = 'committed'`), &imports)
	if imports != 1 {
		t.Errorf("%d absence imports, want 1", imports)
	}
}

func TestInboxProfileErrorsAndAMissingFolder(t *testing.T) {
	s, _, dir := inboxFixture(t)
	broken := filepath.Join(t.TempDir(), "broken.toml")
	os.WriteFile(broken, []byte("kind = [\n"), 0o644)
	if _, err := New(s.Importer, Options{Dir: dir, Rules: []Rule{{Pattern: "*.csv", Profile: broken}}}); err == nil || !strings.Contains(err.Error(), "broken.toml") {
		t.Errorf("a broken profile was accepted: %v", err)
	}
	in, err := New(s.Importer, Options{Dir: dir, Rules: []Rule{{Pattern: "*.csv", Profile: "native-periods"}}})
	if err != nil {
		t.Fatal(err)
	}
	// The profile breaks after the start: the file is set aside, with the reason.
	in.opt.Rules[0].Profile = broken
	drop(t, dir, "a.csv", nativePeriods+"E001,A1,2024-06-01,2024-06-03,100\n", time.Date(2024, 6, 30, 2, 0, 0, 0, time.UTC))
	events, _ := in.Run(context.Background())
	if len(events) != 1 || events[0].Outcome != "failed" || !strings.Contains(events[0].Message, "broken.toml") {
		t.Errorf("events %+v", events)
	}
	// The folder disappears (an unmounted share): the run says so, and the
	// next run after it is back works.
	os.Rename(dir, dir+".gone")
	if _, err := in.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "cannot read the inbox") {
		t.Errorf("err = %v", err)
	}
	if st := in.Status(); !strings.Contains(st.LastError, "cannot read the inbox") {
		t.Errorf("status does not show the error: %+v", st)
	}
	os.Rename(dir+".gone", dir)
	if _, err := in.Run(context.Background()); err != nil {
		t.Errorf("after the folder came back: %v", err)
	}
}

// Disk full while importing: the write fails, the database is as before and
// the file stays in the inbox for the next run.
func TestInboxDiskFullKeepsTheFile(t *testing.T) {
	s, db, dir := inboxFixture(t)
	var b strings.Builder
	b.WriteString(nativePeriods)
	for i := range 20000 {
		d := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 2*i)
		fmt.Fprintf(&b, "E001,C%d,%s,%s,100\n", i, d.Format("2006-01-02"), d.Format("2006-01-02"))
	}
	path := drop(t, dir, "big.csv", b.String(), time.Date(2024, 6, 30, 2, 0, 0, 0, time.UTC))
	before := testkit.Data(t, s.Store)
	s.Close()

	out, err := startChild(t, "inbox|"+db+"|"+dir, testkit.FileLimitEnv+"=200000").Output()
	if err != nil {
		t.Fatalf("the inbox run itself failed: %v", err)
	}
	if !strings.Contains(string(out), "big.csv retry") || !strings.Contains(string(out), "file too large") {
		t.Errorf("child said %q", out)
	}
	if !exists(path) {
		t.Error("the file left the inbox after a machine error")
	}
	s2 := openStore(t, db, storage.Options{})
	// The failure is recorded; nothing else changed.
	failed := testkit.Failures(t, s2.Store)
	if after := testkit.Data(t, s2.Store); after != before || len(failed) != 1 {
		t.Errorf("database changed by a failed import (failures %q):\nbefore %s\nafter  %s", failed, before, after)
	}
}

// The inbox's reject report neutralises a value a spreadsheet would run as a
// formula.
func TestInboxRejectReportNeutralisesFormulas(t *testing.T) {
	s, _, dir := inboxFixture(t)
	night := time.Date(2024, 6, 30, 2, 0, 0, 0, time.UTC)
	drop(t, dir, "formula.csv", nativePeriods+"E001,A1,2024-06-01,2024-06-03,100\nE002,A2,=cmd|' /C calc'!A0,,-3.5\n", night)
	in, err := New(s.Importer, Options{Dir: dir, StableFor: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	events, err := in.Run(context.Background())
	if err != nil || len(events) != 1 || events[0].MovedTo == "" {
		t.Fatalf("%v %+v", err, events)
	}
	report, err := os.ReadFile(events[0].MovedTo + ".rejects.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(report), ",'=cmd|' /C calc'!A0,") || strings.Contains(string(report), ",=cmd") || !strings.Contains(string(report), ",-3.5,") {
		t.Errorf("reject report:\n%s", report)
	}
}

// A folder per employer: its files are imported for that employer, with
// its own rules, and archived inside its folder; files in the inbox itself
// go to the default employer; a folder that names no employer is reported
// and its files wait.
func TestInboxFolderPerEmployer(t *testing.T) {
	ctx := context.Background()
	s, _, inbox := inboxFixture(t)
	if _, err := s.AddEmployer(ctx, "Klant A"); err != nil {
		t.Fatal(err)
	}
	night := time.Date(2024, 6, 30, 2, 0, 0, 0, time.UTC)
	for _, d := range []string{"klant a", "Onbekend"} {
		if err := os.Mkdir(filepath.Join(inbox, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	drop(t, inbox, "periods.csv", nativePeriods+"E001,A1,2024-06-01,2024-06-03,100\n", night)
	// The bakery's export has a layout of its own, named by its rule.
	drop(t, filepath.Join(inbox, "klant a"), "dienstverband.csv", string(mustRead(t, fixtures+"afas_dienstverband.csv")), night)
	drop(t, filepath.Join(inbox, "Onbekend"), "periods.csv", nativePeriods+"E001,A1,2024-06-01,2024-06-03,100\n", night)
	rules := []Rule{{Pattern: "dienstverband*.csv", Profile: "afas-dienstverband", Employer: "Klant A"}, {Pattern: "*.csv", Profile: "native-periods"}}
	in, err := New(s.Importer, Options{Dir: inbox, Rules: rules, StableFor: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	events, err := in.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ev := range events {
		got = append(got, ev.Employer+"|"+ev.File+"|"+ev.Outcome)
	}
	want := []string{"|periods.csv|imported", "Onbekend|Onbekend/|retry", "klant a|dienstverband.csv|imported"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("events (-want +got):\n%s\n%+v", diff, events)
	}
	if msg := events[1].Message; !strings.Contains(msg, `employer "Onbekend", which is not in the database`) || !strings.Contains(msg, "absence employers add") {
		t.Errorf("the unknown folder's message: %s", msg)
	}
	if !exists(filepath.Join(inbox, "Onbekend", "periods.csv")) || !strings.HasPrefix(events[2].MovedTo, filepath.Join(inbox, "klant a", ArchiveDir)+"/") {
		t.Error("the employer's file is not in its own archive, or the unknown folder's file did not wait")
	}
	var rows, inA int64
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(*), count(*) FILTER (WHERE employer_id = 2) FROM employments`), &rows, &inA)
	var cases, casesDefault int64
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(*), count(*) FILTER (WHERE employer_id = 1) FROM absence_cases`), &cases, &casesDefault)
	if inA == 0 || cases != 1 || casesDefault != 1 {
		t.Errorf("employments of Klant A: %d (of %d); absence cases %d, %d of the default employer; want Klant A's employments and the inbox's one case in the default employer", inA, rows, cases, casesDefault)
	}
}
