package ingest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCaseTakesItsTypeAndEndReasonFromItsRows: every absence type and every
// end reason is stored as the file gives it, in both layouts of periods. A
// case takes the type of its first period and the end reason of its last
// period that names one.
func TestCaseTakesItsTypeAndEndReasonFromItsRows(t *testing.T) {
	var rows []string
	var want []storedCase
	day := func(n int) string { return fmt.Sprintf("2024-01-%02d", n) }
	for i, typ := range absenceTypes {
		reason := endReasons[i]
		rows = append(rows, fmt.Sprintf("T%d,%s,%s,100,%s,%s", i, day(1+2*i), day(1+2*i), typ, reason))
		want = append(want, storedCase{"E001", day(1 + 2*i), day(2 + 2*i), typ, reason, day(1+2*i) + ".." + day(2+2*i) + ":100.0"})
	}
	for i, reason := range endReasons[len(absenceTypes):] {
		rows = append(rows, fmt.Sprintf("R%d,%s,%s,100,sickness,%s", i, day(20+2*i), day(20+2*i), reason))
		want = append(want, storedCase{"E001", day(20 + 2*i), day(21 + 2*i), "sickness", reason, day(20+2*i) + ".." + day(21+2*i) + ":100.0"})
	}
	// Three periods that follow on: the first one's type, the end reason of
	// the last that has one.
	rows = append(rows,
		"M,2024-02-01,2024-02-04,100,pregnancy_leave,second_track",
		"M,2024-02-05,2024-02-09,50,sickness,wia_iva",
		"M,2024-02-10,2024-02-12,50,sickness,")
	want = append(want, storedCase{"E001", "2024-02-01", "2024-02-13", "pregnancy_leave", "wia_iva",
		"2024-02-01..2024-02-05:100.0 2024-02-05..2024-02-10:50.0 2024-02-10..2024-02-13:50.0"})
	lines := []string{"employee_id,case_ref,start_date,end_date,absence_pct,absence_type,end_reason"}
	for _, r := range rows {
		lines = append(lines, "E001,"+r)
	}
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	res := mustImport(t, s, writeFile(t, "periods.csv", strings.Join(lines, "\n")+"\n"), ImportOptions{ExtractDate: extract2024})
	if res.Rejected != 0 {
		t.Fatalf("rejected: %v", res.Errors)
	}
	if d := cmp.Diff(want, storedCases(t, s, "E001")); d != "" {
		t.Errorf("cases (-want +got):\n%s", d)
	}
}
