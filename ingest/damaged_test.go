package ingest

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const damaged = fixtures + "damaged/"

// engineText is what DuckDB's own messages look like; none may reach a user.
var engineText = regexp.MustCompile(`(?i)(\w+ Error:|state machine|strict_mode|possible fixes|read_csv|import-tmp)`)

// Files a CSV reader cannot parse are bad files with a message a payroll
// administrator understands, through ImportFile and through the inbox, which
// moves them to failed/ with the reason beside them instead of trying them
// again on every run.
func TestDamagedFilesAreBadFiles(t *testing.T) {
	tests := []struct{ file, want string }{
		{"mixed_line_endings.csv", "line 3 holds a carriage return (CR) inside the row: the file mixes line endings or is damaged"},
		{"byte_flipped.csv", "line 166 holds a carriage return (CR) inside the row"},
		{"binary.csv", "line 5 holds a carriage return (CR) inside the row"},
		{"nul_bytes.csv", "line 198 contains a NUL byte: this is not a text file"},
	}
	extract := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			s, _, inbox := inboxFixture(t)
			mustImport(t, s, damaged+"employments.csv", ImportOptions{})
			_, err := s.ImportFile(context.Background(), damaged+tt.file, ImportOptions{ExtractDate: extract})
			if !IsBadFile(err) || !strings.Contains(err.Error(), tt.want) || engineText.MatchString(err.Error()) {
				t.Fatalf("err = %v\nwant a bad file saying %q, in words", err, tt.want)
			}
			var cases int
			s.DB.QueryRow(`SELECT count(*) FROM absence_cases`).Scan(&cases)
			if cases != 0 {
				t.Errorf("%d cases stored from a bad file", cases)
			}

			content, err := os.ReadFile(damaged + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			drop(t, inbox, tt.file, string(content), extract)
			in, err := s.NewInbox(InboxOptions{Dir: inbox})
			if err != nil {
				t.Fatal(err)
			}
			events, err := in.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(events) != 1 || events[0].Outcome != "failed" || !strings.Contains(events[0].Message, tt.want) {
				t.Fatalf("inbox events %+v, want failed with %q", events, tt.want)
			}
			reason, err := os.ReadFile(filepath.Join(inbox, FailedDir, tt.file+".error.txt"))
			if err != nil || !strings.Contains(string(reason), tt.want) || engineText.Match(reason) {
				t.Errorf("failed/%s.error.txt = %q (%v)", tt.file, reason, err)
			}
		})
	}
}

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
		{"the parser's invalid state", query(ctx, "SELECT * FROM read_csv("+sqlString(crInside)+", delim=',', quote='\"', new_line='\\n', header=true, auto_detect=false, columns={'a': 'VARCHAR', 'b': 'VARCHAR'}, strict_mode=true)"), true},
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
			want := []RowError{{File: "quote.csv", Line: 5, Reason: `has a quote (") that opens a value which is never closed`}}
			if d := cmp.Diff(want, res.Errors); d != "" || res.Accepted != 3 {
				t.Errorf("accepted %d; rejected rows (-want +got):\n%s", res.Accepted, d)
			}
		})
	}
}
