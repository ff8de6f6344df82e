package dashboard

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Follow-up of issue 14: the survival, landmark and per-provider tables
// download as XLSX (with a Toelichting) and CSV like every other table,
// linked from their pages; the XLSX holds the figures the page shows.
func TestOutcomeTablesDownloadAsXLSXAndCSV(t *testing.T) {
	site := newTestSiteSized(t, 300)
	for _, tc := range []struct {
		page, path, sheet, what, csvHeader string
	}{
		{"/durations", "/durations/survival", "nog verzuimend", "Nog verzuimend na … dagen", "t;n_risk;n_event;surv_pct;lower_pct;upper_pct"},
		{"/interventions", "/interventions/landmark", "Landmarkvergelijking", "landmarkanalyse", "comparison;type;landmark;arm;suppressed;cases;median_days"},
		{"/interventions", "/interventions/providers", "Per type en aanbieder", "Per type en aanbieder", "type;provider;suppressed;interventions;days_to_start_median;return_to_work_91_pct"},
	} {
		_, body := getAs(t, site, "hr", tc.page)
		for _, ext := range []string{".xlsx", ".csv"} {
			if !strings.Contains(body, `href="`+tc.path+ext+`"`) {
				t.Errorf("%s links no %s%s", tc.page, tc.path, ext)
			}
		}
		code, csv := getAs(t, site, "hr", tc.path+".csv")
		if code != 200 || !strings.HasPrefix(strings.TrimPrefix(csv, "\uFEFF"), tc.csvHeader) {
			t.Errorf("%s.csv: %d, starts %.120q; want the header %q", tc.path, code, csv, tc.csvHeader)
			continue
		}
		f, err := excelize.OpenReader(bytes.NewReader(downloadAs(t, site, "hr", tc.path+".xlsx")))
		if err != nil {
			t.Fatalf("%s.xlsx: %v", tc.path, err)
		}
		rows, err := f.GetRows(tc.sheet, excelize.Options{RawCellValue: true})
		if err != nil || len(rows) < 2 {
			t.Errorf("%s.xlsx: sheet %q has %d rows (%v)", tc.path, tc.sheet, len(rows), err)
			continue
		}
		if n := strings.Count(strings.TrimSpace(csv), "\n"); n != len(rows)-1 {
			t.Errorf("%s: the CSV has %d rows, the XLSX %d", tc.path, n, len(rows)-1)
		}
		notes, _ := f.GetRows("Toelichting")
		if len(notes) == 0 || notes[0][0] != "Inhoud" || !strings.Contains(notes[0][1], tc.what) {
			t.Errorf("%s.xlsx: the Toelichting starts %q; want what it holds (%q)", tc.path, notes, tc.what)
		}
		if tc.path == "/durations/survival" {
			// The numbers at risk the page shows under the curve are the
			// XLSX's at the first day on or after each.
			days := regexp.MustCompile(`<td>(\d+)</td>`).FindAllStringSubmatch(sectionOf(t, body, "at-risk"), -1)
			half := len(days) / 2
			for i := range half {
				day, _ := strconv.Atoi(days[i][1])
				for _, r := range rows[1:] {
					if d, _ := strconv.Atoi(r[0]); d >= day {
						if r[1] != days[half+i][1] {
							t.Errorf("day %d: the page shows %s still followed, the XLSX %s", day, days[half+i][1], r[1])
						}
						break
					}
				}
			}
		}
	}
}
