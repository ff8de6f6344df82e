package ingest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/verzuim/absence/ingest/storage"
)

// TestCaseWithSeveralProblemsGetsTheFirstReason: a case can fail more than
// one check. Its rows then get one reason, always the same one, in the
// order the checks are listed (checkCases): a problem within the file, then
// an overlap with a case stored from another export, then the employment.
// Which reason came out used to depend on how DuckDB happened to run: with
// enough cases for both threads, sometimes one, sometimes the other.
func TestCaseWithSeveralProblemsGetsTheFirstReason(t *testing.T) {
	const n = 250_000 // two row groups (122,880 rows each) and more: both threads aggregate
	var emp, stored, file strings.Builder
	emp.WriteString("employee_id,start_date,end_date,department,contract_hours,fulltime_hours\n")
	stored.WriteString(nativePeriods)
	file.WriteString(nativePeriods)
	for i := range n {
		// Works from 2022-06-01; a case from another export runs from
		// 2022-06-10; the file's case starts before the employment and
		// runs into the stored one.
		fmt.Fprintf(&emp, "E%d,2022-06-01,,Zorg,36,36\n", i)
		fmt.Fprintf(&stored, "E%d,X,2022-06-10,,100\n", i)
		fmt.Fprintf(&file, "E%d,A,2022-05-01,2022-07-01,100\n", i)
	}
	s := openTestStore(t)
	mustImport(t, s, writeFile(t, "employments.csv", emp.String()), ImportOptions{})
	mustImport(t, s, writeFile(t, "other.csv", stored.String()), ImportOptions{ExtractDate: extract2024})
	if _, err := s.DB.Exec(`UPDATE absence_cases SET source = 'other export'`); err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, "periods.csv", file.String())
	const want = "overlaps an absence case imported earlier (from another export) starting 2022-06-10"
	rejected, other, example := 0, 0, ""
	_, err := s.ImportFile(t.Context(), path, ImportOptions{ExtractDate: extract2024, OnRejects: func(rows []storage.RowError) error {
		for _, r := range rows {
			rejected++
			if r.Reason != want {
				other, example = other+1, r.Reason
			}
		}
		return nil
	}})
	if err == nil {
		t.Fatal("import of a file without one valid case succeeded")
	}
	if rejected != n || other > 0 {
		t.Fatalf("%d rows rejected (want %d), %d of them with another reason, e.g. %q; want %q", rejected, n, other, example, want)
	}
}
