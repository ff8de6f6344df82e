package ingest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSickDayCoveredByAnEarlierOfOverlappingEmployments: stored employments
// of one employee may overlap (from two sources). A first sick day covered
// only by an employment that started before the latest one is inside
// employment; one covered by none is not.
func TestSickDayCoveredByAnEarlierOfOverlappingEmployments(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	// E003 works from 2022-06-01 with no end date; a second, short
	// employment from another source lies within it.
	if _, err := s.DB.Exec(`INSERT INTO employments BY NAME
		SELECT * REPLACE (DATE '2023-01-01' AS start_date, DATE '2023-03-31' AS end_date, 'other' AS source)
		FROM employments WHERE employee_key = (SELECT employee_key FROM employees WHERE pseudonym = ?)`, s.Pseudonym("E003")); err != nil {
		t.Fatal(err)
	}
	file := writeFile(t, "periods.csv", nativePeriods+
		"E003,A,2023-06-01,2023-06-05,100\n"+ // 2: after the short employment, within the long one
		"E003,B,2022-01-03,2022-01-05,100\n") // 3: before both
	res := mustImport(t, s, file, ImportOptions{ExtractDate: extract2024})
	var got []string
	for _, e := range res.Errors {
		got = append(got, e.Reason)
	}
	want := []string{"the employment of this employee runs from 2022-06-01 with no end date; the first sick day 2022-01-03 lies outside it"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("rejects (-want +got):\n%s", d)
	}
	if res.Accepted != 1 {
		t.Errorf("accepted %d rows, want 1", res.Accepted)
	}
}
