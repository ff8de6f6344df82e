package ingest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/verzuim/absence/ingest/storage"
)

// departments counts the stored employments per department.
func departments(t *testing.T, s *testStore) map[string]int {
	t.Helper()
	rows, err := s.DB.Query(`SELECT department, count(*) FROM employments GROUP BY ALL`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]int{}
	for rows.Next() {
		var d string
		var n int
		if err := rows.Scan(&d, &n); err != nil {
			t.Fatal(err)
		}
		got[d] = n
	}
	return got
}

// One Windows-1252 byte in a UTF-8 file is reported on its line, and the
// rest of the file is read as the UTF-8 it is; a file that is Windows-1252
// throughout is still read as Windows-1252, and a profile that names an
// encoding is always obeyed.
func TestMixedEncodings(t *testing.T) {
	cp1252, err := LoadProfile("native-employments")
	if err != nil {
		t.Fatal(err)
	}
	cp1252.Encoding = "windows-1252"
	tests := []struct {
		name     string
		file     string
		profile  *Profile
		encoding string
		errors   []storage.RowError
		depts    map[string]int // a few departments with the count stored
	}{
		{name: "UTF-8 with one Windows-1252 byte", file: "employments_mixed_encoding.csv", encoding: "UTF-8 text,",
			errors: []storage.RowError{{File: "employments_mixed_encoding.csv", Line: 19, Column: "department",
				Reason: `holds a character that is not UTF-8 (byte 0xEB, "ë" in Windows-1252); correct it, or export the file again as UTF-8`}},
			depts: map[string]int{"Financiën": 5, "Cliëntenservice": 15, "FinanciÃ«n": 0}},
		{name: "Windows-1252 throughout", file: "employments_windows1252.csv", encoding: "Windows text,",
			depts: map[string]int{"Financiën": 6, "Cliëntenservice": 15}},
		{name: "the profile says Windows-1252", file: "employments_mixed_encoding.csv", profile: cp1252, encoding: "Windows text,",
			depts: map[string]int{"Financiën": 1, "FinanciÃ«n": 5, "CliÃ«ntenservice": 15}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTestStore(t)
			res := mustImport(t, s, damaged+tt.file, ImportOptions{Profile: tt.profile})
			if !strings.Contains(res.Detected, tt.encoding) {
				t.Errorf("detected %q, want %q", res.Detected, tt.encoding)
			}
			if d := cmp.Diff(tt.errors, res.Errors); d != "" {
				t.Errorf("rejected rows (-want +got):\n%s", d)
			}
			if res.Read != 117 || res.Accepted != 117-int64(len(tt.errors)) {
				t.Errorf("read %d, accepted %d", res.Read, res.Accepted)
			}
			got := departments(t, s)
			for d, n := range tt.depts {
				if got[d] != n {
					t.Errorf("department %q: %d rows, want %d", d, got[d], n)
				}
			}
		})
	}
}

// The rule that tells a damaged UTF-8 file from a Windows-1252 one.
func TestEncodingRule(t *testing.T) {
	tests := []struct {
		multiByte, invalid int64
		want               string
	}{
		{0, 0, "utf-8"},
		{30, 1, "utf-8"},         // "Financiën" on 30 rows, one stray byte
		{1, 1, "utf-8"},          // undecided: rejected rows are reported, wrong letters would not be
		{0, 1, "windows-1252"},   // one "ë" in an otherwise plain file
		{0, 500, "windows-1252"}, // Windows-1252 throughout
		{2, 500, "windows-1252"}, // with two accidental UTF-8 look-alikes, noted
	}
	for _, tt := range tests {
		if got := (utf8Evidence{multiByte: tt.multiByte, invalid: tt.invalid}).encoding(); got != tt.want {
			t.Errorf("%d multi-byte sequences, %d invalid bytes: %s, want %s", tt.multiByte, tt.invalid, got, tt.want)
		}
	}
}

// A Windows-1252 file that also holds a UTF-8 sequence is read as
// Windows-1252, and the user is told where the sequence is.
func TestWindows1252WithAUTF8LookalikeIsNoted(t *testing.T) {
	s := openTestStore(t)
	file := writeFile(t, "emp.csv", "employee_id,start_date,end_date,department,team,location,contract_hours,fulltime_hours,birth_year,gender\n"+
		"E001,2020-01-01,,Financi\xebn,Team A,Utrecht,40,40,1980,F\n"+
		"E002,2020-01-01,,Financi\xebn,Team A,Utrecht,40,40,1980,F\n"+
		"E003,2020-01-01,,Cli\xc3\xabntenservice,Team A,Utrecht,40,40,1980,F\n"+
		"E004,2020-01-01,,Financi\xebn,Team A,Utrecht,40,40,1980,F\n")
	res := mustImport(t, s, file, ImportOptions{})
	if !strings.Contains(res.Detected, "Windows text") {
		t.Errorf("detected %q", res.Detected)
	}
	want := `line 4 holds characters that look like UTF-8 in a file read as Windows-1252 ("Ã«"); check that line`
	if !strings.Contains(strings.Join(res.Notes, "\n"), want) {
		t.Errorf("notes %q, want %q", res.Notes, want)
	}
}

// The scan of a file's encoding finds the same however the file is cut
// into chunks: a run of ASCII chunks (counted by lines only), a multi-byte
// sequence cut between two chunks, a stray byte.
func TestUTF8ScanIsTheSameInAnyChunks(t *testing.T) {
	ascii := strings.Repeat("E001,2020-01-01,,Zorg\n", 1000)
	tests := []struct {
		name, text string
		want       utf8Scan
	}{
		{"ASCII throughout", ascii, utf8Scan{valid: true, lines: 1000}},
		{"UTF-8 after 1000 lines", ascii + "E002,2020-01-01,,Financiën\n" + ascii, utf8Scan{valid: true, lines: 1000,
			evidence: utf8Evidence{multiByte: 1, firstLine: 1001, firstSeen: "Ã«"}}},
		{"a Windows-1252 byte after 1000 lines", ascii + "E002,2020-01-01,,Financi\xebn\n" + ascii, utf8Scan{lines: 2001,
			evidence: utf8Evidence{invalid: 1}}},
		{"cut short in a sequence", ascii + "Financi\xc3", utf8Scan{lines: 1000, evidence: utf8Evidence{invalid: 1}}},
	}
	for _, tt := range tests {
		for _, size := range []int{1, 2, 3, 7, 4096, len(tt.text)} {
			got := utf8Scan{valid: true}
			for b := []byte(tt.text); len(b) > 0; b = b[min(size, len(b)):] {
				got.Write(b[:min(size, len(b))])
			}
			got.finish()
			got.carry = nil
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(utf8Scan{}, utf8Evidence{})); diff != "" {
				t.Errorf("%s in chunks of %d bytes (-want +got):\n%s", tt.name, size, diff)
			}
		}
	}
}
