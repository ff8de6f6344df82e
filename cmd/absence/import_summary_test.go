package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// The summary shows the first 20 reasons and counts the rejected rows it did
// not show; one row can have many reasons, so that count is never negative.
func TestImportSummaryCountsTheRowsNotShown(t *testing.T) {
	reasons := func(lines ...int64) []storage.RowError {
		var errs []storage.RowError
		for _, l := range lines {
			errs = append(errs, storage.RowError{File: "x.csv", Line: l, Reason: "has 9 fields where the header has 8"})
		}
		return errs
	}
	many := make([]int64, 25)
	for i := range many {
		many[i] = int64(i + 2)
	}
	tests := []struct {
		name     string
		rejected int64
		errors   []storage.RowError
		want     string // the last line of the list; "" = no such line
	}{
		{"one row with 25 reasons", 1, reasons(3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3), "  … and more reasons for the rows above (write them all with --rejects FILE)"},
		{"25 rows", 25, reasons(many...), "  … and 5 more rejected rows (write them all with --rejects FILE)"},
		{"rows beyond the 100 kept", 1000, reasons(many...), "  … and 980 more rejected rows (write them all with --rejects FILE)"},
		{"20 rows", 20, reasons(many[:20]...), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			printResult(&out, &ingest.Result{File: "x.csv", Read: 2000, Rejected: tt.rejected, Errors: tt.errors}, "")
			text := out.String()
			if strings.Contains(text, "and -") {
				t.Fatalf("negative count:\n%s", text)
			}
			if tt.want == "" {
				if strings.Contains(text, "… and") {
					t.Errorf("unexpected remainder line:\n%s", text)
				}
				return
			}
			if !strings.Contains(text, tt.want+"\n") {
				t.Errorf("summary:\n%s\nwant the line %q", text, tt.want)
			}
		})
	}
}

// Rows left out as past the retention period are counted on the summary
// line, so its numbers add up to the rows read; without them the line is
// as it always was.
func TestImportSummaryCountsRowsPastRetention(t *testing.T) {
	for _, tt := range []struct {
		res  ingest.Result
		want string
	}{
		{ingest.Result{File: "x.csv", Read: 10, Accepted: 7, Duplicate: 1, PastRetention: 2}, "  rows read 10, accepted 7, rejected 0, duplicate 1, past the retention period 2\n"},
		{ingest.Result{File: "x.csv", Read: 10, Accepted: 9, Duplicate: 1}, "  rows read 10, accepted 9, rejected 0, duplicate 1\n"},
	} {
		var out bytes.Buffer
		printResult(&out, &tt.res, "")
		if !strings.Contains(out.String(), tt.want) {
			t.Errorf("summary:\n%s\nwant the line %q", out.String(), tt.want)
		}
	}
}
