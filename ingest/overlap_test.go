package ingest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOverlapNamesThePeriodThatReachesFurthest: a period that starts inside
// an earlier one names the earlier period that reaches furthest, which need
// not be the one just before it; employees without an overlap keep every
// period. Both layouts of periods, with and without case numbers.
func TestOverlapNamesThePeriodThatReachesFurthest(t *testing.T) {
	rows := []string{
		"E001,A,2024-01-01,2024-03-31", // 2
		"E001,A,2024-01-10,2024-01-20", // 3: inside line 2
		"E001,A,2024-02-01,2024-02-10", // 4: inside line 2, after line 3
		"E002,B,2024-02-01,2024-02-29", // 5
		"E002,B,2024-02-10,2024-03-10", // 6: starts inside line 5
		"E004,C,2024-01-01,2024-01-05", // 7: no overlap
		"E004,C,2024-01-06,2024-01-09", // 8
	}
	overlaps := func(line int64, earlier int) lineReason {
		return lineReason{line, fmt.Sprintf("overlaps the absence period on line %d of the same employee", earlier)}
	}
	for _, tc := range []struct {
		name   string
		header string
		row    func(fields []string) string
		want   []lineReason // by line
	}{
		// With case numbers the rest of a case with a rejected row goes too.
		{"case numbers", "employee_id,case_ref,start_date,end_date,absence_pct",
			func(f []string) string { return strings.Join(f, ",") + ",100" },
			[]lineReason{{2, "not imported because line 3 of the same case was rejected"}, overlaps(3, 2), overlaps(4, 2),
				{5, "not imported because line 6 of the same case was rejected"}, overlaps(6, 5)}},
		{"dates only", "employee_id,start_date,end_date,absence_pct",
			func(f []string) string { return f[0] + "," + f[2] + "," + f[3] + ",100" },
			[]lineReason{overlaps(3, 2), overlaps(4, 2), overlaps(6, 5)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTestStore(t)
			mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
			lines := []string{tc.header}
			for _, r := range rows {
				lines = append(lines, tc.row(strings.Split(r, ",")))
			}
			res := mustImport(t, s, writeFile(t, "periods.csv", strings.Join(lines, "\n")+"\n"), ImportOptions{ExtractDate: extract2024})
			if d := cmp.Diff(tc.want, lineReasons(res)); d != "" {
				t.Errorf("rejected rows (-want +got):\n%s", d)
			}
		})
	}
}
