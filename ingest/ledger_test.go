package ingest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/verzuim/absence/ingest/internal/testkit"
)

func TestSecondImportOfTheSameFileIsANoOp(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	first := mustImport(t, s, fixtures+"org_native_periods.csv", ImportOptions{ExtractDate: extract2024})
	before := fingerprint(t, s)

	// Same content under another name is the same file.
	copyPath := writeFile(t, "renamed.csv", string(mustRead(t, fixtures+"org_native_periods.csv")))
	for _, path := range []string{fixtures + "org_native_periods.csv", copyPath} {
		again := mustImport(t, s, path, ImportOptions{ExtractDate: extract2024})
		if !again.AlreadyImported || again.ImportID != first.ImportID {
			t.Errorf("%s: AlreadyImported=%v ImportID=%d, want true and %d", path, again.AlreadyImported, again.ImportID, first.ImportID)
		}
	}
	if after := fingerprint(t, s); after != before {
		t.Errorf("second import changed the database:\nbefore %s\nafter  %s", before, after)
	}
}

// A dry run leaves no trace; a strict import that finds bad rows stores
// nothing and records itself as failed in the history, with the reason.
func TestDryRunAndStrictWriteNothing(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	before := testkit.Data(t, s.Store)
	afas, _ := LoadProfile("afas-verloop")

	res := mustImport(t, s, fixtures+"messy_afas_verzuim.csv", ImportOptions{Profile: afas, DryRun: true, ExtractDate: extract2024})
	if res.Accepted != 5 || res.Rejected != 8 || res.ImportID != 0 {
		t.Errorf("dry run: accepted %d rejected %d import %d", res.Accepted, res.Rejected, res.ImportID)
	}
	_, err := s.ImportFile(context.Background(), fixtures+"messy_afas_verzuim.csv", ImportOptions{Profile: afas, Strict: true, ExtractDate: extract2024})
	if !errors.Is(err, ErrRejectedRows) || !strings.Contains(err.Error(), "8 of 14 rows rejected") {
		t.Errorf("strict: err = %v", err)
	}
	if after := testkit.Data(t, s.Store); after != before {
		t.Errorf("dry run or strict import changed the database")
	}
	if f := testkit.Failures(t, s.Store); len(f) != 1 || !strings.HasPrefix(f[0], "messy_afas_verzuim.csv: ") || !strings.Contains(f[0], "8 of 14 rows rejected") {
		t.Errorf("failures in the history: %q; want the strict import's alone", f)
	}
	// And the file can still be imported for real afterwards.
	if res := mustImport(t, s, fixtures+"messy_afas_verzuim.csv", ImportOptions{Profile: afas, ExtractDate: extract2024}); res.ImportID == 0 {
		t.Error("not imported after the dry run")
	}
}

// A newer snapshot replaces what its source delivered before: the case that
// was open gets its recovery date, a case no longer in the export goes. That
// takes the only case of one of the source's four employees, more than the
// shrink guard lets pass unconfirmed, so the import is confirmed.
func TestNewerSnapshotReplacesTheSource(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	mustImport(t, s, fixtures+"org_visma_periods.csv", ImportOptions{ExtractDate: extract2024})
	newer := strings.Replace(string(mustRead(t, fixtures+"org_visma_periods.csv")), "E002,V3,2024-04-01,,62.5,Ziekte,", "E002,V3,2024-04-01,2024-07-14,62.5,Ziekte,Hersteld", 1)
	newer = strings.Replace(newer, "E004,V5,2024-05-10,2024-05-11,100,Ziekte,Hersteld\n", "", 1)
	mustImport(t, s, writeFile(t, "visma_newer.csv", newer), ImportOptions{ExtractDate: extract2024.AddDate(0, 1, 0), AllowShrink: true})

	got := storedCases(t, s, "E002", "E004")
	want := []storedCase{{"E002", "2024-02-05", "2024-07-15", "sickness", "full_return", "2024-02-05..2024-04-01:100.0 2024-04-01..2024-07-15:62.5"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("cases (-want +got):\n%s", d)
	}
}

// An increment carries only what happened since the last export: events of a
// case already stored continue it.
func TestIncrementContinuesAStoredCase(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	profile := writeFile(t, "events-increment.toml", eventsIncrement)
	p, err := LoadProfile(profile)
	if err != nil {
		t.Fatal(err)
	}
	header := "employee_id,first_sick_day,event_date,event,absence_pct,end_reason\n"
	week1 := writeFile(t, "week1.csv", header+"E002,2024-02-05,2024-02-05,sick,100,\nE001,2024-02-01,2024-02-01,sick,100,\n")
	week2 := writeFile(t, "week2.csv", header+"E002,2024-02-05,2024-04-01,partial,40,\nE002,2024-02-05,2024-05-01,recovered,,full_return\n")
	mustImport(t, s, week1, ImportOptions{Profile: p, ExtractDate: extract2024})
	mustImport(t, s, week2, ImportOptions{Profile: p, ExtractDate: extract2024})

	want := []storedCase{
		{"E001", "2024-02-01", "open", "sickness", "", "2024-02-01..open:100.0"},
		{"E002", "2024-02-05", "2024-05-01", "sickness", "full_return", "2024-02-05..2024-04-01:100.0 2024-04-01..2024-05-01:40.0"},
	}
	if d := cmp.Diff(want, storedCases(t, s, "E001", "E002")); d != "" {
		t.Errorf("cases (-want +got):\n%s", d)
	}
}

func TestFileLevelProblemsSayWhatToDo(t *testing.T) {
	s := openTestStore(t)
	tests := []struct {
		name, content, profile, want string
	}{
		{"empty.csv", "", "", "is empty (0 bytes)"},
		{"binary.csv", "PK\x03\x04\x00\x00binary", "", "not a text file"},
		{"unknown.csv", "foo,bar\n1,2\n", "", "no built-in profile fits this header"},
		{"nodelim.csv", "just some text\n", "", "cannot tell the delimiter"},
		{"missing.csv", "Medewerker;Datum\nE001;01-01-2024\n", "afas-verloop", `lacks column "Eerste ziektedag" (first_sick_day)`},
		{"header.csv", "employee_id,start_date,end_date\n", "", "has a header but no rows"},
		{"allbad.csv", "employee_id,start_date,end_date\nE001,soon,later\n", "", "none of the 1 rows is valid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := ImportOptions{}
			if tt.profile != "" {
				opt.Profile, _ = LoadProfile(tt.profile)
			}
			path := writeFile(t, tt.name, tt.content)
			_, err := s.ImportFile(context.Background(), path, opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.name) {
				t.Errorf("err = %v, want the file name and %q", err, tt.want)
			}
			if !IsBadFile(err) {
				t.Errorf("%v is not marked as a problem of the file", err)
			}
		})
	}
}

func TestProfileErrorsNameTheProblem(t *testing.T) {
	tests := []struct{ toml, want string }{
		{"kind = \"absense\"\n", `kind is "absense"`},
		{"kind = \"absence\"\nlayout = \"events\"\n[columns]\nemployee_id = \"a\"\n", `must map "first_sick_day"`},
		{"kind = \"employment\"\ncolour = 1\n", `unknown key "colour"`},
		{"kind = \"absence\"\nlayout = \"periods\"\n[columns]\nemployee_id = \"a\"\nstart_date = \"b\"\n[values.absence_type]\nZiek = \"sick\"\n", `maps "Ziek" to "sick"`},
		{"kind = \"absence\"\nlayout = \"periods\"\ndate_formats = [\"dd-mm-yyyy\"]\n[columns]\nemployee_id = \"a\"\nstart_date = \"b\"\n", "not a strptime format"},
		{"kind = [\n", "profile p.toml"},
		{"kind = \"absence\"\nlayout = \"periods\"\nwindow = \"last year\"\n[columns]\nemployee_id = \"a\"\nstart_date = \"b\"\n", `window is "last year"`},
		{"kind = \"absence\"\nlayout = \"periods\"\nmode = \"increment\"\nwindow = \"file\"\n[columns]\nemployee_id = \"a\"\nstart_date = \"b\"\n", `window = "file" is for absence snapshots`},
	}
	for _, tt := range tests {
		_, err := ParseProfile([]byte(tt.toml), "p.toml")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.toml, err, tt.want)
		}
	}
	if _, err := LoadProfile("afsa-verloop"); err == nil || !strings.Contains(err.Error(), "afas-verloop") {
		t.Errorf("unknown name should list the built-ins, got %v", err)
	}
}

// A snapshot whose every row is bad must not wipe what its source delivered.
func TestAllBadSnapshotKeepsTheSource(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	mustImport(t, s, fixtures+"org_visma_periods.csv", ImportOptions{ExtractDate: extract2024})
	before := testkit.Data(t, s.Store)
	bad := "\ufeffPersoneelsnummer,Verzuimnummer,Begindatum,Einddatum,Verzuimpercentage,Verzuimsoort,Reden einde\nE001,V9,gisteren,,100,Ziekte,\n"
	_, err := s.ImportFile(context.Background(), writeFile(t, "visma_bad.csv", bad), ImportOptions{ExtractDate: extract2024})
	if !errors.Is(err, ErrNoValidRows) {
		t.Fatalf("err = %v", err)
	}
	if after := testkit.Data(t, s.Store); after != before {
		t.Error("an all-bad snapshot changed the database")
	}
	if f := testkit.Failures(t, s.Store); len(f) != 1 || !strings.Contains(f[0], "none of the 1 rows is valid") {
		t.Errorf("failures in the history: %q; want the all-bad snapshot", f)
	}
}

func TestSnapshotSaysWhatItReplaces(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	mustImport(t, s, fixtures+"org_visma_periods.csv", ImportOptions{ExtractDate: extract2024})
	newer := strings.Replace(string(mustRead(t, fixtures+"org_visma_periods.csv")), "E004,V5,2024-05-10,2024-05-11,100,Ziekte,Hersteld\n", "", 1)
	res := mustImport(t, s, writeFile(t, "visma_newer.csv", newer), ImportOptions{DryRun: true, ExtractDate: extract2024, AllowShrink: true})
	want := `replaces the absence cases of source "visma": 5 stored (4 employees), 4 after the import (3 employees), 4 of them unchanged`
	if !strings.Contains(strings.Join(res.Notes, "\n"), want) {
		t.Errorf("notes %q lack %q", res.Notes, want)
	}
}
