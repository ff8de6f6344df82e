package ingest

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/datasets/speed"
	"github.com/verzuim/absence/ingest/internal/testkit"
	"github.com/verzuim/absence/ingest/storage"
)

// fieldsLine is one line of n one-letter fields.
func fieldsLine(n int) string { return strings.Repeat("y,", n-1) + "y" }

const goodPeriod = "E001,A1,2024-06-01,2024-06-03,100\n"

// hostileInputs are the files of issue 9, finding 9, made on the fly: one row
// of 40,000 fields took 39 s and 1.5 GB, a 200 KB file of 100,000 fields 159 s
// and 3.3 GB, and a 2.6 MB single line more than 15 minutes. Each one is here
// as the header and as a row, alone and among good rows.
var hostileInputs = []struct {
	name, content string
	badFile       string // the message of a refused file; "" = imported, with rows rejected
	rejected      int64  // rows rejected between two good ones; 0 means 1
	line          int64  // the first rejected row
	column        string
	reason        string
	heavy         bool // took gigabytes on the old code
}{
	{name: "one row of 40,000 fields among good rows", content: nativePeriods + goodPeriod + fieldsLine(40000) + "\n" + "E002,A2,2024-06-01,2024-06-03,100\n",
		line: 3, reason: "has 40,000 fields; at most 200 are allowed", heavy: true},
	{name: "a row of 40,000 fields alone", content: nativePeriods + fieldsLine(40000) + "\n",
		badFile: "line 2 has 40,000 fields; at most 200 are allowed"},
	{name: "a 200 KB header of 100,000 fields", content: fieldsLine(100000) + "\n",
		badFile: "line 1 (the header) has 100,000 fields; at most 200 are allowed"},
	{name: "a 200 KB row of 100,000 fields", content: nativePeriods + goodPeriod + fieldsLine(100000) + "\n",
		badFile: "line 3 has 100,000 fields; at most 200 are allowed", heavy: true},
	{name: "a 2.6 MB row of 1,300,000 fields", content: nativePeriods + fieldsLine(1300000) + "\n",
		badFile: "line 2 has 1,300,000 fields; at most 200 are allowed (no row of it can be read, so the file is refused)", heavy: true},
	{name: "a 2.6 MB single line", content: "employee_id,case_ref,start_date,end_date,absence_pct" + strings.Repeat("x", 2600000),
		badFile: "line 1 (the header) is more than 1 MB long; at most 1 MB is allowed"},
	{name: "a 2.6 MB row among good rows", content: nativePeriods + goodPeriod + "E002,A2,2024-06-01,2024-06-03," + strings.Repeat("9", 2600000) + "\n" + "E003,A3,2024-06-01,2024-06-03,100\n",
		line: 3, reason: "is 2.5 MB long; at most 1 MB is allowed per row"},
	{name: "1,001 rows of 201 fields among 3,000 good ones", content: nativePeriods + strings.Repeat(goodPeriod, 3000) + strings.Repeat(fieldsLine(201)+"\n", 1001),
		badFile: "more than 1,000 rows cannot be read, the first on line 3002: has 201 fields; at most 200 are allowed; the file is refused"},
	{name: "5,000 rows of 199 fields", content: nativePeriods + goodPeriod + strings.Repeat("E002,A2,2024-06-01,2024-06-03,100"+strings.Repeat(",x", 194)+"\n", 5000) + "E003,A3,2024-06-01,2024-06-03,100\n",
		rejected: 5000, line: 3, reason: "has 199 fields where the header has 5", heavy: true},
	{name: "20,000 rows of one field too many", content: nativePeriods + strings.Repeat("E001,A1,2024-06-01,2024-06-03,100,x\n", 20000),
		badFile: "none of the 20000 rows is valid"},
	{name: "a 100 KB value", content: nativePeriods + goodPeriod + "E002,A2,2024-06-01,2024-06-03," + strings.Repeat("9", 100<<10) + "\n" + "E003,A3,2024-06-01,2024-06-03,100\n",
		line: 3, column: "absence_pct", reason: "the value is 100 KB long; at most 32 KB is allowed"},
}

// A hostile file is refused, or its hostile row rejected, in about a second,
// with a message that says which line and which limit; DuckDB never sees it.
func TestHostileRowsAreStoppedWhileReading(t *testing.T) {
	const bound = 5 * time.Second
	for _, tt := range hostileInputs {
		t.Run(tt.name, func(t *testing.T) {
			s := openTestStore(t)
			mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
			path := writeFile(t, "hostile.csv", tt.content)
			ctx, cancel := context.WithTimeout(context.Background(), bound)
			defer cancel()
			start := time.Now()
			res, err := s.ImportFile(ctx, path, ImportOptions{ExtractDate: extract2024})
			if took := time.Since(start); took > bound || errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("took %s (bound %s): %v", took, bound, err)
			}
			if tt.badFile != "" {
				if !IsBadFile(err) || !strings.Contains(err.Error(), tt.badFile) {
					t.Fatalf("err = %.300v\nwant a bad file saying %q", err, tt.badFile)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %.300v", err)
			}
			if len(res.Errors) == 0 || res.Errors[0].Line != tt.line || res.Errors[0].Column != tt.column || res.Errors[0].Reason != tt.reason {
				t.Fatalf("errors %.300v\nwant line %d, column %q: %q", res.Errors, tt.line, tt.column, tt.reason)
			}
			rejected := max(tt.rejected, 1)
			if res.Read != rejected+2 || res.Rejected != rejected || res.Accepted != 2 {
				t.Errorf("read %d, accepted %d, rejected %d; want %d, 2, %d", res.Read, res.Accepted, res.Rejected, rejected+2, rejected)
			}
		})
	}
}

// The hostile inputs that took gigabytes, imported by a child process: its
// peak memory stays near that of an ordinary small import.
func TestHostileRowsStayInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("child processes")
	}
	dir := t.TempDir()
	const bound = 300 << 20 // bytes of peak RSS; a small import needs about 100 MB
	for _, tt := range hostileInputs {
		if !tt.heavy {
			continue
		}
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".duckdb")
			path := writeFile(t, "hostile.csv", tt.content)
			// The child reports its own peak: the kernel's count would
			// include this test process's memory (speed.Child).
			child := startChild(t, "import|"+db+"|"+path, speed.ReportPeakEnv+"=1")
			child.Stderr = nil
			start := time.Now()
			out, _ := child.CombinedOutput()
			rss, err := speed.Peak(out)
			if err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			t.Logf("peak RSS %d MB, %s: %.200s", rss>>20, time.Since(start).Round(time.Millisecond), out)
			if rss > bound {
				t.Errorf("peak RSS %d MB, want at most %d MB", rss>>20, bound>>20)
			}
		})
	}
}

// Planning reads a header before any limit is known (the command line plans
// before it opens the database): a hostile header still makes a short,
// readable message.
func TestPlanNamesAHostileHeaderBriefly(t *testing.T) {
	tests := map[string]string{
		"100,000 fields": fieldsLine(100000) + "\n",
		"a 20 KB name":   "name,birth_date," + strings.Repeat("x", 20000),
	}
	for name, content := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Plan([]string{writeFile(t, "hostile.csv", content)}, nil, Limits{})
			if err == nil || !strings.Contains(err.Error(), "no built-in profile fits this header") || len(err.Error()) > 2000 {
				t.Errorf("err (%d bytes) = %.300v", len(fmt.Sprint(err)), err)
			}
		})
	}
}

// Raised limits reach DuckDB's reader too: a 3 MB value, beyond DuckDB's
// own default of 2 MB per line, lands when the limits allow it.
func TestRaisedLimitsReachTheCSVReader(t *testing.T) {
	big := Limits{MaxFields: 20, MaxFieldBytes: 4 << 20, MaxLineBytes: 4 << 20}
	if err := big.Check(); err != nil {
		t.Fatal(err)
	}
	s := openStore(t, filepath.Join(t.TempDir(), "big.duckdb"), storage.Options{}, Config{Limits: big})
	team := strings.Repeat("t", 3<<20)
	file := writeFile(t, "emp.csv", "employee_id,start_date,end_date,department,team,location,contract_hours,fulltime_hours,birth_year,gender\n"+
		"E001,2020-01-01,,Zorg,"+team+",Utrecht,40,40,1980,F\n")
	res := mustImport(t, s, file, ImportOptions{})
	var stored int
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT length(team) FROM employments`), &stored)
	if res.Accepted != 1 || stored != len(team) {
		t.Errorf("accepted %d, stored team of %d bytes; want 1 and %d: %v", res.Accepted, stored, len(team), res.Errors)
	}
}

// The reading pass measures rows as the CSV reader will split them: quoted
// delimiters and line breaks are inside a value, a stray quote inside a
// value opens nothing, and a CR outside quotes is noted. The fast path for
// lines without quotes measures the widest value exactly only when it could
// be over the limit (maxField).
func TestRowScanner(t *testing.T) {
	tests := []struct {
		lines    []string // fed one after another, as the physical lines of a row
		maxField int
		want     rowShape
		quoted   bool // still inside a quoted value
		strayCR  bool
	}{
		{[]string{"a,bb,ccc"}, 0, rowShape{fields: 3, bytes: 8, widest: 3, widestField: 2}, false, false},
		{[]string{"a,bb,ccc"}, 100, rowShape{fields: 3, bytes: 8, widest: 3, widestField: 2}, false, false},
		{[]string{"aaaa,b,"}, 2, rowShape{fields: 3, bytes: 7, widest: 4, widestField: 0}, false, false},
		{[]string{",,"}, 0, rowShape{fields: 3, bytes: 2}, false, false},
		{[]string{`a,"b,c",d`}, 0, rowShape{fields: 3, bytes: 9, widest: 5, widestField: 1}, false, false},
		{[]string{`a,b"c,d`}, 0, rowShape{fields: 3, bytes: 7, widest: 3, widestField: 1}, false, false},
		{[]string{`a,"b`, "\n", `c",d`}, 0, rowShape{fields: 3, bytes: 9, widest: 5, widestField: 1}, false, false},
		{[]string{`a,"b`}, 0, rowShape{fields: 2, bytes: 4, widest: 2, widestField: 1}, true, false},
		{[]string{`a,"b""c",d`}, 0, rowShape{fields: 3, bytes: 10, widest: 6, widestField: 1}, false, false},
		{[]string{"a,b\rc,d"}, 100, rowShape{fields: 3, bytes: 7, widest: 3, widestField: 1}, false, true},
		{[]string{`a,"b` + "\r" + `c",d`}, 0, rowShape{fields: 3, bytes: 9, widest: 5, widestField: 1}, false, false},
		{[]string{`a,"b"` + "\r" + `,d`}, 0, rowShape{fields: 3, bytes: 8, widest: 4, widestField: 1}, false, true},
		{[]string{"abc", "def,g"}, 4, rowShape{fields: 2, bytes: 8, widest: 6, widestField: 0}, false, false},
	}
	for _, tt := range tests {
		scan := rowScanner{delim: ',', maxField: tt.maxField}
		scan.reset()
		for _, l := range tt.lines {
			scan.feed([]byte(l))
		}
		got := scan.shape()
		if tt.maxField > 0 && got.widest <= tt.maxField && tt.want.widest <= tt.maxField {
			got.widest, got.widestField = tt.want.widest, tt.want.widestField // need not be exact
		}
		if got != tt.want || scan.inQuotes() != tt.quoted || scan.strayCR != tt.strayCR {
			t.Errorf("%q (maxField %d): %+v quoted %v strayCR %v; want %+v quoted %v strayCR %v",
				tt.lines, tt.maxField, got, scan.inQuotes(), scan.strayCR, tt.want, tt.quoted, tt.strayCR)
		}
	}
}
