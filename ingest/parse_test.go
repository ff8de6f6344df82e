package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/verzuim/absence/ingest/internal/sqlparts"
	"github.com/verzuim/absence/ingest/storage"
)

// The import reads dates and decimal-point numbers typed and takes plain
// rows without trimming; every other row is read again as text. Whatever a
// file holds, that must give what reading every row as text gives (as the
// import did before): the same counts, the same errors (line, column,
// value, reason) and the same stored data.
func TestTypedReadingAgreesWithText(t *testing.T) {
	tests := []struct{ name, content string }{
		{"native periods", "\ufeffemployee_id,case_ref,start_date,end_date,absence_pct,absence_type,end_reason\n" +
			"E001,C1,2024-01-08,2024-01-14,100,sickness,\n" +
			"E001,C1,2024-01-15,2024-01-28,50%,Sickness,full_return\n" +
			"E001,C1,2024-01-08,2024-01-14,100,sickness,\n" + // a repeat
			"E001,\"C1\",2024-01-08,2024-01-14,\"100\",sickness,\n" + // the same values, quoted
			"E002,C2, 2024-02-01,2024-2-5, 60 ,SICKNESS ,\n" +
			"E002,C3,2024-02-30,,100,sickness,\n" +
			"E002,C4,1850-03-01,,100,sickness,\n" +
			"E002,C5,,2024-03-09,100,sickness,\n" +
			"\"\",C6,2024-04-01,,100,sickness,\n" +
			"E003,C7,2024-04-11,2024-04-13,1.000,sickness,\n" +
			"E003,C8,2024-04-21,2024-04-23,abc,sickness,\n" +
			"E003,C9,2024-05-01,2024-05-03,150,sickness,\n" +
			"E003,C10,2024-05-11,2024-05-13,100,griep,\n" +
			"E003,Cé,2024-05-21,2024-05-23,100,sickness,\n" +
			"E003,\tC11,2024-06-01\t,2024-06-03,100,sickness,\n" +
			"E003,C12,2024-06-11,2024-06-13,100,sickness,\u00a0full_return\n" +
			"E003,’C16,2024-06-21,2024-06-23,100,sickness,full_return\n" + // plain: ’ is no space
			"E003,C17\u3000,2024-06-25,2024-06-27,100,sickness,\n" +
			"E001,C13,20240301,2024-03-05,100,sickness,\n" +
			"E001 ,C14,2024-06-01,2024-06-03,100,sickness,\n" +
			"E002,C15,2024-06-01,2024-06-03,100,\"\",\n" +
			// Percentages a plain row may hold, with and without what the
			// number expression rewrites.
			"E003,C20,2024-03-11,2024-03-12,1e1,sickness,\n" +
			"E003,C21,2024-03-14,2024-03-15,+50,sickness,\n" +
			"E003,C22,2024-03-17,2024-03-18,37.5,sickness,\n" +
			"E003,C23,2024-03-20,2024-03-21,0x10,sickness,\n" +
			"E003,C24,2024-03-23,2024-03-24,\"1,5\",sickness,\n" +
			"E003,C25,2024-03-26,2024-03-27,nan,sickness,\n" +
			"E003,C26,2024-03-29,2024-03-30,inf,sickness,\n" +
			"E003,C27,2024-04-02,2024-04-03,-0,sickness,\n" +
			"E003,C28,2024-04-05,2024-04-06,1_0,sickness,\n" +
			"E003,C29,2024-04-08,2024-04-09,75 %,sickness,\n" +
			"E003,C30,2024-04-11,2024-04-12,62.5,sickness,\n" +
			"E003,C31,2024-04-14,2024-04-15,\"1,5e1\",sickness,\n" +
			"E003,C32,2024-04-17,2024-04-18,\"-,5\",sickness,\n" +
			"E003,C33,2024-04-20,2024-04-21,1_000,sickness,\n" +
			"E003,C34,2024-04-23,2024-04-24,1e400,sickness,\n" +
			"E003,C35,2024-04-26,2024-04-27,1.5e1,sickness,\n" +
			"E003,C36,2024-04-29,2024-04-30,50%,sickness,\n"},
		// Empty, known, unknown and differently written values of the
		// enumerations and the yes-or-no field.
		{"native periods with vangnet", "employee_id,case_ref,start_date,end_date,absence_pct,absence_type,end_reason,vangnet\n" +
			"E001,C1,2024-01-08,2024-01-14,100,sickness,,\n" +
			"E001,C1,2024-01-15,2024-01-28,50,sickness,full_return,ja\n" +
			"E001,C1,2024-01-15,2024-01-28,50,sickness,full_return,ja\n" + // a repeat
			"E002,C2,2024-02-01,2024-02-05,100,,other,Nee\n" +
			"E002,C3,2024-03-01,2024-03-05,100,other,FULL_RETURN,1\n" +
			"E002,C4,2024-04-01,2024-04-05,100,sickness,,misschien\n" +
			"E002,C5,2024-05-01,2024-05-05,100,Griep,,0\n" +
			"E003,C6,2024-05-11,2024-05-15,100,sickness,\"\",\"\"\n" +
			"E003,C7,2024-05-21,2024-05-25,100,pregnancy_leave,employment_ended,false\n" +
			"E003,C8,2024-06-01,2024-06-05,100,sickness,herstel,\n"},
		// Dates up to the extract date, 2024-06-30, so that rows land.
		{"visma periods (decimal point)", "\ufeffPersoneelsnummer,Verzuimnummer,Begindatum,Einddatum,Verzuimpercentage,Verzuimsoort,Reden einde\n" +
			"E001,V1,2024-01-08,2024-01-14,100,Ziekte,\n" +
			"E001,V1,2024-01-15,2024-01-28,50.5,Ziekte,\n" +
			"E002,V2,2024-02-01,2024-02-05,inf,Ziekte,\n" +
			"E002,V3,2024-03-01,2024-03-05,1e400,Ziekte,\n" +
			"E002,V4,2024-04-01,2024-04-05, 75 ,Ziekte,\n" +
			"E002,V5,2024-05-01,2024-05-05,1 000,Ziekte,\n" +
			"E002,V6,2024-06-01,2024-06-05,-5,Ziekte,\n" +
			"E003,V7,2024-07-01,2024-07-05,5.,Ziekte,\n" +
			"E003,V8,2024-08-01,2024-08-05,1e1,Ziekte,\n" +
			"E003,V9,2024-09-01,2024-09-05,nan,Ziekte,\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "periods.csv")
			if err := os.WriteFile(file, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			var results []*Result
			var data []string
			for _, textOnly := range []bool{false, true} {
				// One pseudonym key, so both store the same pseudonyms.
				s := openStore(t, filepath.Join(t.TempDir(), "test.duckdb"), storage.Options{MemoryLimit: "500MB", Threads: 2, PseudonymKey: []byte("0123456789abcdef0123456789abcdef")}, Config{textOnly: textOnly})
				mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
				res, err := s.ImportFile(context.Background(), file, ImportOptions{ExtractDate: extract2024})
				if err != nil {
					t.Fatalf("textOnly=%v: %v", textOnly, err)
				}
				results = append(results, res)
				data = append(data, fingerprint(t, s, "absence_cases", "case_segments"))
			}
			typed, text := results[0], results[1]
			if text.Rejected == 0 || text.Duplicate == 0 && strings.HasPrefix(tt.name, "native") {
				t.Fatalf("the file should have rejected and repeated rows: %+v", text)
			}
			if d := cmp.Diff([]int64{text.Read, text.Accepted, text.Rejected, text.Duplicate}, []int64{typed.Read, typed.Accepted, typed.Rejected, typed.Duplicate}); d != "" {
				t.Errorf("read, accepted, rejected, duplicate (-text +typed):\n%s", d)
			}
			if d := cmp.Diff(text.Errors, typed.Errors); d != "" {
				t.Errorf("errors (-text +typed):\n%s", d)
			}
			if data[0] != data[1] {
				t.Errorf("stored data differ:\ntyped:\n%s\ntext:\n%s", data[0], data[1])
			}
		})
	}
}

// Date detection tests a format's literal characters before parsing with
// it (holdsLiterals): no value that parses with a candidate may fail that
// test, or detection would miss the format. The values are dates written
// in every candidate format, and spellings strptime takes loosely.
func TestDetectionSkipsOnlyValuesThatCannotParse(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	day := time.Date(2024, 3, 7, 9, 5, 0, 0, time.UTC)
	values := []string{" 7-3-2024", "7-3-2024 9:05", "2024-3-7", "20240307 ", "7 /3/2024", "07.03.2024\t", "2024-03-07T09:05:00", "2024-03-07  09:05:00", "+2024-03-07"}
	for _, f := range dateCandidates {
		values = append(values, strftime(day, f))
	}
	parses, skipped := 0, 0
	for _, f := range dateCandidates {
		for _, v := range values {
			var parsed, holds bool
			q := fmt.Sprintf("SELECT try_strptime(NULLIF(trim(v), ''), %s) IS NOT NULL, %s FROM (SELECT $1::VARCHAR AS v)", sqlparts.Quote(f), holdsLiterals("v", f))
			if err := db.QueryRow(q, v).Scan(&parsed, &holds); err != nil {
				t.Fatal(err)
			}
			if parsed && !holds {
				t.Errorf("%q parses with %s but detection would not try it", v, f)
			}
			if parsed {
				parses++
			}
			if !holds {
				skipped++
			}
		}
	}
	if parses < len(dateCandidates) || skipped == 0 {
		t.Errorf("%d values parse, %d are skipped: the test tests nothing", parses, skipped)
	}
}

// strftime writes t in a strptime format of dateCandidates.
func strftime(t time.Time, format string) string {
	return t.Format(strings.NewReplacer("%Y", "2006", "%m", "01", "%d", "02", "%H", "15", "%M", "04", "%S", "05").Replace(format))
}

// A file that writes its dates in two formats, one in each date column, is
// read with both: detection looks at the values of every date column.
func TestDetectionFindsEveryFormatOfTheFile(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	file := filepath.Join(t.TempDir(), "periods.csv")
	content := nativePeriods + "E001,C1,2024-01-08,14-01-2024,100\nE001,C2,2024-02-05,09-02-2024,50\nE002,C3,2023-03-01,03-03-2023,100\n"
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	res := mustImport(t, s, file, ImportOptions{ExtractDate: extract2024})
	if !strings.Contains(res.Detected, "dates yyyy-mm-dd or dd-mm-yyyy") || res.Accepted != 3 {
		t.Errorf("detected %q, accepted %d of 3 rows: %+v", res.Detected, res.Accepted, res.Errors)
	}
}
