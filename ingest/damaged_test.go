package ingest

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/verzuim/absence/ingest/internal/sqlparts"
	"github.com/verzuim/absence/ingest/internal/testkit"
	"github.com/verzuim/absence/ingest/storage"
)

var damaged = fixtures + "damaged/"

var engineText = testkit.EngineText

// Any error DuckDB raises while reading the user's file lies in the file,
// unless it is the machine's: out of memory, disk or I/O, an interrupted
// query. The errors here are real ones from the engine.
func TestReadErrorsAreBadFilesUnlessTheMachineFails(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	query := func(ctx context.Context, q string) error {
		_, err := conn.ExecContext(ctx, q)
		if err == nil {
			t.Fatalf("%s: no error", q)
		}
		return err
	}
	crInside := writeFile(t, "cr.csv", "a,b\n1,2\r3\n")
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	tests := []struct {
		name    string
		err     error
		badFile bool
	}{
		{"the parser's invalid state", query(ctx, "SELECT * FROM read_csv("+sqlparts.Quote(crInside)+", delim=',', quote='\"', new_line='\\n', header=true, auto_detect=false, columns={'a': 'VARCHAR', 'b': 'VARCHAR'}, strict_mode=true)"), true},
		{"a value DuckDB cannot convert", query(ctx, "SELECT 'x'::INTEGER"), true},
		{"a file that is gone (I/O)", query(ctx, "SELECT * FROM read_csv('/nonexistent/absence.csv')"), false},
		{"out of memory", func() error {
			if _, err := conn.ExecContext(ctx, "SET memory_limit = '2MB'"); err != nil {
				t.Fatal(err)
			}
			defer conn.ExecContext(ctx, "RESET memory_limit")
			return query(ctx, "CREATE TEMP TABLE big AS SELECT string_agg(i::VARCHAR, ',') FROM range(3000000) t(i) GROUP BY i % 100000")
		}(), false},
		{"an interrupted query", query(canceled, "SELECT count(*) FROM range(10000000000)"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readFault("export.csv", tt.err)
			if IsBadFile(got) != tt.badFile {
				t.Fatalf("bad file %v, want %v, for %v", IsBadFile(got), tt.badFile, tt.err)
			}
			if tt.badFile && (engineText.MatchString(got.Error()) || !strings.Contains(got.Error(), "cannot be read as CSV")) {
				t.Errorf("message %q", got)
			}
			if !tt.badFile && !errors.Is(got, tt.err) {
				t.Errorf("a machine fault lost its cause: %v", got)
			}
		})
	}
}

// A quote that opens a value and is never closed: on the last row, that row
// is rejected; earlier, it swallows the rows after it, and the file is
// refused rather than imported as one rejected row (a snapshot would then
// have replaced its source with what came before the quote).
func TestUnclosedQuote(t *testing.T) {
	rows := []string{
		"E001,A1,2024-06-01,2024-06-03,100",
		"E002,A2,2024-06-01,2024-06-03,100",
		"E003,A3,2024-06-01,2024-06-03,100",
		"E004,A4,2024-06-01,2024-06-03,100",
	}
	tests := []struct {
		name    string
		quoted  int // index of the row that gets the quote
		badFile string
	}{
		{"on the last row", 3, ""},
		{"on the second row", 1, `line 3 has a quote (") that opens a value which is never closed, so the rest of the file (3 lines) cannot be read`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTestStore(t)
			mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
			damaged := slices.Clone(rows)
			damaged[tt.quoted] = strings.Replace(damaged[tt.quoted], ",A", `,"A`, 1)
			file := writeFile(t, "quote.csv", nativePeriods+strings.Join(damaged, "\n")+"\n")
			res, err := s.ImportFile(context.Background(), file, ImportOptions{ExtractDate: extract2024})
			if tt.badFile != "" {
				if !IsBadFile(err) || !strings.Contains(err.Error(), tt.badFile) {
					t.Fatalf("err = %v, read %d; want a bad file saying %q", err, res.Read, tt.badFile)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := []storage.RowError{{File: "quote.csv", Line: 5, Reason: `has a quote (") that opens a value which is never closed`}}
			if d := cmp.Diff(want, res.Errors); d != "" || res.Accepted != 3 {
				t.Errorf("accepted %d; rejected rows (-want +got):\n%s", res.Accepted, d)
			}
		})
	}
}
