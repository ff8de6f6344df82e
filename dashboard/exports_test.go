package dashboard

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/workbook"
)

// download GETs path as user and returns the body and the file name the
// answer gives.
func download(t *testing.T, site *testSite, user, path string) (body []byte, name string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(sessionCookieFor(t, site, user))
	rec := httptest.NewRecorder()
	site.server.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: %d %s", path, rec.Code, rec.Body.String())
	}
	d := rec.Header().Get("Content-Disposition")
	if i := strings.Index(d, `filename="`); i >= 0 {
		name = strings.TrimSuffix(d[i+len(`filename="`):], `"`)
	}
	return rec.Body.Bytes(), name
}

// readDownloadCSV reads a download as Excel does: a UTF-8 BOM, then records
// separated by the language's delimiter.
func readDownloadCSV(t *testing.T, body []byte, lang string) [][]string {
	t.Helper()
	if !bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) {
		t.Fatalf("no UTF-8 BOM: %q", body[:min(20, len(body))])
	}
	r := csv.NewReader(bytes.NewReader(body[3:]))
	if lang == "nl" {
		r.Comma = ';'
	}
	records, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read the CSV with delimiter %q: %v", r.Comma, err)
	}
	return records
}

// decimal reads a CSV number written in lang's way and says how many
// decimals it has.
func decimal(t *testing.T, s, lang string) (float64, int) {
	t.Helper()
	other := ","
	if lang == "nl" {
		s, other = strings.Replace(s, ",", ".", 1), "."
		if strings.Count(s, ".") > 1 {
			t.Fatalf("%q: more than one decimal separator", s)
		}
	} else if strings.Contains(s, other) {
		t.Fatalf("%q: a decimal comma in English", s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q is not a number: %v", s, err)
	}
	decimals := 0
	if i := strings.Index(s, "."); i >= 0 {
		decimals = len(s) - i - 1
	}
	return v, decimals
}

// The breakdown downloads as CSV for scripts and XLSX for Excel. The CSV
// has the catalogue's field names, a BOM, and in Dutch ';' with decimal
// commas, each figure with the catalogue's decimals; the XLSX has typed
// numbers under headers in the user's language and a Toelichting sheet
// with period, filter, data date and definitions. Both say the same as the
// JSON API, and their file names carry the period and filter.
func TestBreakdownDownloadsReadBack(t *testing.T) {
	site := newTestSiteSized(t, 400)
	dept := site.depts[0]
	q := url.Values{"from": {"2025-01-01"}, "to": {"2025-12-31"}, "dept": {dept}, "by": {"team"}}.Encode()
	body, _ := download(t, site, "hr", "/api/v1/breakdown?"+q)
	var api struct{ Data []map[string]any }
	if err := json.Unmarshal(body, &api); err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]any{} // group → field → value
	for _, g := range api.Data {
		want[g["group"].(string)] = g
	}
	figures := []string{"zvp_pct", "zmf", "gzvd_days", "employees"}
	for _, lang := range []string{"nl", "en"} {
		if err := site.server.accounts.SetLang("hr", lang); err != nil {
			t.Fatal(err)
		}
		body, name := download(t, site, "hr", "/breakdown.csv?"+q)
		if want := translate(lang, "file_absence") + "-team-2025-" + slug(dept) + ".csv"; name != want || strings.ContainsAny(name, " /\\\"ë") {
			t.Errorf("%s: CSV file name %q, want %q", lang, name, want)
		}
		records := readDownloadCSV(t, body, lang)
		header := records[0]
		if header[0] != "group" || header[2] != "suppressed" {
			t.Fatalf("%s: CSV header %q, want the catalogue's field names", lang, header)
		}
		col := map[string]int{}
		for i, h := range header {
			col[h] = i
		}
		if len(records)-1 != len(want) {
			t.Errorf("%s: CSV has %d groups, the API %d", lang, len(records)-1, len(want))
		}
		for _, r := range records[1:] {
			g, ok := want[r[0]]
			if !ok {
				t.Errorf("%s: CSV group %q not in the API", lang, r[0])
				continue
			}
			for _, key := range figures {
				fig, _ := analytics.FigureOf(key)
				cell := r[col[key]]
				jv, has := g[key].(float64)
				if !has || g["suppressed"] == true {
					if cell != "" {
						t.Errorf("%s %s %s: CSV %q where the API has none", lang, r[0], key, cell)
					}
					continue
				}
				v, decimals := decimal(t, cell, lang)
				if decimals != fig.Decimals || math.Abs(v-jv) > 0.5*math.Pow10(-fig.Decimals)+1e-9 {
					t.Errorf("%s %s %s: CSV %q, API %v (%d decimals)", lang, r[0], key, cell, jv, fig.Decimals)
				}
			}
		}

		body, name = download(t, site, "hr", "/breakdown.xlsx?"+q)
		if !strings.HasSuffix(name, "-2025-"+slug(dept)+".xlsx") {
			t.Errorf("%s: XLSX file name %q", lang, name)
		}
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		sheets := f.GetSheetList()
		if len(sheets) != 2 || sheets[1] != workbook.AboutSheet {
			t.Fatalf("%s: sheets %v", lang, sheets)
		}
		rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if rows[0][0] != translate(lang, "dim_team") {
			t.Errorf("%s: XLSX header %q, want the group's name in the user's language", lang, rows[0][:3])
		}
		for _, key := range figures {
			def, _ := analytics.DefinitionOf(key)
			i := indexOf(rows[0], def.In(lang).Label)
			if i < 0 {
				t.Errorf("%s: XLSX has no column %q: %q", lang, def.In(lang).Label, rows[0])
				continue
			}
			for n, r := range rows[1:] {
				g := want[r[0]]
				if n == 0 { // the total first
					g = want[analytics.TotalKey]
				}
				jv, has := g[key].(float64)
				cell := ""
				if i < len(r) {
					cell = r[i]
				}
				if !has || g["suppressed"] == true {
					if cell != "" {
						t.Errorf("%s %s %s: XLSX %q where the API has none", lang, r[0], key, cell)
					}
					continue
				}
				addr, _ := excelize.CoordinatesToCellName(i+1, n+2)
				if typ, _ := f.GetCellType(sheets[0], addr); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
					t.Errorf("%s %s: %s is not a number cell", lang, addr, key)
				}
				fig, _ := analytics.FigureOf(key)
				if v, err := strconv.ParseFloat(cell, 64); err != nil || math.Abs(v-jv) > 0.5*math.Pow10(-fig.Decimals)+1e-9 {
					t.Errorf("%s %s %s: XLSX %q, API %v", lang, r[0], key, cell, jv)
				}
			}
		}
		about, err := f.GetRows(workbook.AboutSheet)
		if err != nil {
			t.Fatal(err)
		}
		var text strings.Builder
		for _, r := range about {
			text.WriteString(strings.Join(r, " ") + "\n")
		}
		zvp, _ := analytics.DefinitionOf("zvp_pct")
		for _, w := range []string{"2025-01-01", "2025-12-31", dept, testExtract.Format("2006-01-02"), zvp.In(lang).Name} {
			if !strings.Contains(strings.ToLower(text.String()), strings.ToLower(w)) {
				t.Errorf("%s: the %s sheet lacks %q:\n%s", lang, workbook.AboutSheet, w, text.String())
			}
		}
		f.Close()
	}
}

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

// The list of frequent absentees downloads as CSV and XLSX with the same
// rows as the API, and the pages link both formats.
func TestAbsenteesDownloadsReadBack(t *testing.T) {
	site := newTestSiteSized(t, 400)
	body, _ := download(t, site, "hr", "/api/v1/absentees")
	var api struct {
		Data struct {
			Employees []struct {
				EmployeeID string
				SickDays   int64
				Bradford   float64
			}
		}
	}
	if err := json.Unmarshal(body, &api); err != nil {
		t.Fatal(err)
	}
	if len(api.Data.Employees) == 0 {
		t.Fatal("no frequent absentees: the test proves nothing")
	}
	records := readDownloadCSV(t, func() []byte { b, _ := download(t, site, "hr", "/absentees.csv"); return b }(), "nl")
	if want := []string{"employee_pseudonym", "new_cases", "spells", "sick_days", "bradford"}; !slices.Equal(records[0], want) {
		t.Errorf("CSV header %q, want %q", records[0], want)
	}
	body, name := download(t, site, "hr", "/absentees.xlsx")
	if !strings.HasPrefix(name, "frequent-verzuim-") {
		t.Errorf("XLSX file name %q", name)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != translate("nl", "pseudonym") || len(rows) != len(api.Data.Employees)+1 || len(records) != len(rows) {
		t.Fatalf("XLSX header %q and %d rows, CSV %d rows, API %d employees", rows[0], len(rows)-1, len(records)-1, len(api.Data.Employees))
	}
	for i, a := range api.Data.Employees {
		x, c := rows[i+1], records[i+1]
		if x[0] != a.EmployeeID || c[0] != a.EmployeeID || x[3] != strconv.FormatInt(a.SickDays, 10) || c[3] != x[3] || c[4] != strconv.FormatFloat(a.Bradford, 'f', 0, 64) || x[4] != c[4] {
			t.Errorf("row %d: XLSX %q, CSV %q, API %+v", i+1, x, c, a)
		}
	}
	for page, links := range map[string][]string{"/breakdown": {"/breakdown.xlsx?", "/breakdown.csv?"}, "/absentees": {"/absentees.xlsx", "/absentees.csv"}} {
		_, body := getAs(t, site, "hr", page)
		for _, l := range links {
			if !strings.Contains(body, `href="`+l) {
				t.Errorf("%s does not link %s", page, l)
			}
		}
	}
}
