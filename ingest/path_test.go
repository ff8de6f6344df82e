package ingest

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/verzuim/absence/ingest/internal/testkit"
)

// Every import records its own outcome: each way a file can fail — before
// it is read (empty), at its header (beyond the limits), while staged (no
// valid row) or at the shrink guard — adds one failed import to the
// history, naming the file and the reason; a dry run leaves no trace.
func TestImportRecordsItsOwnFailure(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	mustImport(t, s, fixtures+"org_native_periods.csv", ImportOptions{ExtractDate: extract2024})
	data := testkit.Data(t, s.Store)
	for _, tt := range []struct {
		name, content string
		opt           ImportOptions
		reason        string // "" for a dry run: nothing recorded
	}{
		{"empty.csv", "", ImportOptions{}, "is empty (0 bytes)"},
		{"wide.csv", fieldsLine(300) + "\n", ImportOptions{}, "line 1 (the header) has 300 fields"},
		{"allbad.csv", nativePeriods + "E001,A1,gisteren,,100\n", ImportOptions{ExtractDate: extract2024}, "none of the 1 rows is valid"},
		{"shrinks.csv", nativePeriods + "E001,A1,2024-06-01,2024-06-03,100\n", ImportOptions{ExtractDate: extract2024}, "would leave 1 of the 5 absence cases"},
		{"dryrun.csv", nativePeriods + "E001,A1,gisteren,,100\n", ImportOptions{ExtractDate: extract2024, DryRun: true}, ""},
	} {
		before := len(testkit.Failures(t, s.Store))
		if _, err := s.ImportFile(context.Background(), writeFile(t, tt.name, tt.content), tt.opt); err == nil {
			t.Fatalf("%s imported", tt.name)
		}
		failures := testkit.Failures(t, s.Store)[before:]
		switch {
		case tt.reason == "" && len(failures) != 0:
			t.Errorf("%s: a dry run recorded %q", tt.name, failures)
		case tt.reason != "" && (len(failures) != 1 || !strings.HasPrefix(failures[0], tt.name+": ") || !strings.Contains(failures[0], tt.reason)):
			t.Errorf("%s: recorded %q, want one failure saying %q", tt.name, failures, tt.reason)
		}
	}
	if testkit.Data(t, s.Store) != data {
		t.Error("a failed import changed the data")
	}
}

// The import builds on its inspection and reads the file once more, for the
// copy DuckDB reads; a file that changed in between is not imported (its
// hash would not describe what is stored), and the import says so: whether
// it grew or a value changed in place, leaving its length as it was.
func TestAFileChangedSinceItsInspectionIsNotImported(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	original := string(mustRead(t, fixtures+"org_native_periods.csv"))
	for _, tt := range []struct{ name, changed string }{
		{"a row added", original + "E001,A9,2024-06-20,2024-06-21,100\n"},
		{"a value changed in place", strings.Replace(original, "15-1-2024", "16-1-2024", 1)},
	} {
		path := writeFile(t, "periods.csv", original)
		plan, err := Plan([]string{path}, nil, s.Limits())
		if err != nil {
			t.Fatal(err)
		}
		if tt.changed == original {
			t.Fatalf("%s: the fixture no longer holds the value changed", tt.name)
		}
		if err := os.WriteFile(path, []byte(tt.changed), 0o644); err != nil {
			t.Fatal(err)
		}
		data := testkit.Data(t, s.Store)
		if _, err := s.Import(context.Background(), plan[0], ImportOptions{ExtractDate: extract2024}); err == nil || !strings.Contains(err.Error(), "changed while it was being imported") || IsBadFile(err) {
			t.Errorf("%s: err = %v; want a refusal to try again, not a bad file", tt.name, err)
		}
		if testkit.Data(t, s.Store) != data {
			t.Errorf("%s: the changed file was imported", tt.name)
		}
	}
}

// Planning with a profile named keeps a file that cannot be read for its
// own import to fail, so the other files still import; without a profile
// such a file stops the plan, since its kind is unknown.
func TestPlanKeepsAnUnreadableFileForItsOwnImport(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	empty := writeFile(t, "empty.csv", "")
	if _, err := Plan([]string{empty, fixtures + "org_native_periods.csv"}, nil, Limits{}); err == nil || !strings.Contains(err.Error(), "is empty") {
		t.Errorf("plan without a profile: err = %v", err)
	}
	periods, _ := LoadProfile("native-periods")
	plan, err := Plan([]string{empty, fixtures + "org_native_periods.csv"}, periods, Limits{})
	if err != nil || len(plan) != 2 {
		t.Fatalf("plan with a profile: %d files, %v", len(plan), err)
	}
	if _, err := s.Import(context.Background(), plan[0], ImportOptions{ExtractDate: extract2024}); err == nil || !strings.Contains(err.Error(), "is empty") {
		t.Errorf("the empty file: err = %v", err)
	}
	if res, err := s.Import(context.Background(), plan[1], ImportOptions{ExtractDate: extract2024}); err != nil || res.Cases != 5 {
		t.Errorf("the good file: %v", err)
	}
}
