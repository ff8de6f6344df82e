package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The formats are detected from the first rows of the file (sampleRows),
// whichever rows DuckDB's threads read first: a file whose dates switch
// format after them imports the same way every time.
func TestFormatsComeFromTheFirstRows(t *testing.T) {
	var b, emp strings.Builder
	b.WriteString("employee_id,case_ref,start_date,end_date,absence_pct,absence_type,end_reason\n")
	emp.WriteString("employee_id,start_date,end_date,department,team,location,contract_hours,fulltime_hours,birth_year,gender\n")
	day := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	const rows = 4 * sampleRows
	for i := range rows {
		format := "02-01-2006" // dd-mm-yyyy for the first rows, then yyyy-mm-dd
		if i >= sampleRows {
			format = time.DateOnly
		}
		s := day.AddDate(0, 0, i%1000)
		fmt.Fprintf(&emp, "E%06d,2019-01-01,,Zorg,Team,Utrecht,36,36,1980,F\n", i)
		fmt.Fprintf(&b, "E%06d,C%06d,%s,%s,100,sickness,full_return\n", i, i, s.Format(format), s.AddDate(0, 0, 3).Format(format))
	}
	dir := t.TempDir()
	path, employments := filepath.Join(dir, "switching_dates.csv"), filepath.Join(dir, "employments.csv")
	for f, content := range map[string]string{path: b.String(), employments: emp.String()} {
		if err := os.WriteFile(f, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s, opt := openTestStore(t), ImportOptions{ExtractDate: day.AddDate(5, 0, 0)}
	mustImport(t, s, employments, opt)
	res := mustImport(t, s, path, opt)
	if res.Accepted != sampleRows || res.Rejected != rows-sampleRows {
		t.Fatalf("%d accepted, %d rejected; want the %d rows in the format of the first rows, the others rejected (detected: %s)",
			res.Accepted, res.Rejected, sampleRows, res.Detected)
	}
}
