package ingest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCaseNumbersFollowOnFromEachOther: the periods of one case number must
// follow on from each other. A gap within a case rejects the case, and so
// does a case number that comes back after another case of the same
// employee, which would otherwise store two cases that overlap.
func TestCaseNumbersFollowOnFromEachOther(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	file := writeFile(t, "periods.csv", nativePeriods+
		"E001,A,2024-01-01,2024-01-05,100\n"+ // 2
		"E001,B,2024-01-06,2024-01-10,100\n"+ // 3
		"E001,A,2024-01-11,2024-01-15,50\n"+ // 4: case A again, after case B
		"E002,G,2024-03-01,2024-03-05,100\n"+ // 5
		"E002,G,2024-03-10,2024-03-12,50\n"+ // 6: a gap in case G
		"E003,C,2024-02-01,2024-02-03,100\n"+ // 7: fine
		"E003,D,2024-02-04,2024-02-06,100\n") // 8: fine, the next case right after
	res := mustImport(t, s, file, ImportOptions{ExtractDate: extract2024})
	got := lineReasons(res)
	const interrupted = "the periods of this case (same case number) do not follow on from each other: another case of this employee lies between them"
	const gap = "the periods of this case (same case number) leave a gap at 2024-03-10"
	want := []lineReason{{2, interrupted}, {4, interrupted}, {5, gap}, {6, gap}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("rejects (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]storedCase{
		{Employee: "E001", FirstSickDay: "2024-01-06", Recovery: "2024-01-11", Type: "sickness", Segments: "2024-01-06..2024-01-11:100.0"},
		{Employee: "E003", FirstSickDay: "2024-02-01", Recovery: "2024-02-04", Type: "sickness", Segments: "2024-02-01..2024-02-04:100.0"},
		{Employee: "E003", FirstSickDay: "2024-02-04", Recovery: "2024-02-07", Type: "sickness", Segments: "2024-02-04..2024-02-07:100.0"},
	}, storedCases(t, s, "E001", "E002", "E003")); d != "" {
		t.Errorf("stored cases (-want +got):\n%s", d)
	}
}
