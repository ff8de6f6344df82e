package ingest

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/ingest/internal/testkit"
)

// A rolling export (window = "file") replaces only the period it covers: the
// nightly file of the last twelve months neither trips the shrink guard nor
// removes the older cases, while the same file cut in half is refused — and
// without the window, the complete file would have been refused too.
func TestRollingWindowSnapshot(t *testing.T) {
	s := openTestStore(t)
	dir := testkit.GeneratedOrg(t)
	for _, f := range []string{"employments.csv", "absence_periods.csv"} {
		mustImport(t, s, filepath.Join(dir, f), ImportOptions{ExtractDate: testkit.OrgExtract})
	}
	rolling := `
name = "rolling-periods"
kind = "absence"
layout = "periods"
mode = "snapshot"
source = "native-periods"
window = "file"
[columns]
employee_id = "employee_id"
case_ref = "case_ref"
start_date = "start_date"
end_date = "end_date"
absence_pct = "absence_pct"
absence_type = "absence_type"
end_reason = "end_reason"
vangnet = "vangnet"
`
	p, err := ParseProfile([]byte(rolling), "rolling-periods.toml")
	if err != nil {
		t.Fatal(err)
	}
	full := fingerprint(t, s, testkit.DataTables...)
	cases := testkit.Count(t, s.Store, "absence_cases")
	lastYear := casesFrom(t, filepath.Join(dir, "absence_periods.csv"), testkit.OrgExtract.AddDate(-1, 0, 0))
	nightly := writeFile(t, "nightly.csv", strings.Join(lastYear, "\n")+"\n")

	res := mustImport(t, s, nightly, ImportOptions{Profile: p, ExtractDate: testkit.OrgExtract})
	c := res.Change
	if c.Shrink() != 0 || c.Before != c.After || c.Unchanged != c.After || c.WindowFrom.Before(testkit.OrgExtract.AddDate(-1, 0, 0)) {
		t.Errorf("nightly rolling file: change %+v; want the last year's cases, all unchanged", c)
	}
	if testkit.Count(t, s.Store, "absence_cases") != cases || fingerprint(t, s, testkit.DataTables...) != full {
		t.Error("the nightly rolling file changed the data")
	}

	truncated := writeFile(t, "nightly_cut.csv", strings.Join(lastYear[:len(lastYear)/2], "\n")+"\n")
	_, err = s.ImportFile(context.Background(), truncated, ImportOptions{Profile: p, ExtractDate: testkit.OrgExtract})
	var shrink *ShrinkError
	if !errors.As(err, &shrink) || !strings.Contains(err.Error(), "with a first sick day from ") {
		t.Errorf("truncated rolling file: err = %v; want a shrink refusal that names the window", err)
	}
	// (A blank line at the end makes it another file to the ledger.)
	_, err = s.ImportFile(context.Background(), writeFile(t, "nightly_as_full.csv", strings.Join(lastYear, "\n")+"\n\n"), ImportOptions{ExtractDate: testkit.OrgExtract})
	if !errors.As(err, &shrink) {
		t.Errorf("the rolling file read as a whole-source snapshot: err = %v; want a shrink refusal", err)
	}
	if fingerprint(t, s, testkit.DataTables...) != full {
		t.Error("a refused import changed the data")
	}
}

// casesFrom returns the header and the rows of the period file whose case
// (same employee and case number) starts on or after from.
func casesFrom(t *testing.T, path string, from time.Time) []string {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(string(mustRead(t, path))), "\n")
	start := map[string]string{}
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		if k := f[0] + "/" + f[1]; start[k] == "" || f[2] < start[k] {
			start[k] = f[2]
		}
	}
	out := lines[:1]
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		if start[f[0]+"/"+f[1]] >= from.Format(time.DateOnly) {
			out = append(out, l)
		}
	}
	return out
}
