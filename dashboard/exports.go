package dashboard

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/unicode/norm"

	"github.com/verzuim/absence/dashboard/widgets"
	"github.com/verzuim/absence/dashboard/workbook"
	"github.com/verzuim/absence/ingest/sheet"
	"github.com/verzuim/absence/ingest/storage"
)

// Every table a page offers downloads twice: as CSV for scripts (the
// catalogue's field names; a UTF-8 BOM; in Dutch ';' between fields and
// decimal commas, in English ',' and points) and as XLSX for Excel (typed
// numbers under headers in the user's language, and a Toelichting sheet
// with period, filter, data date and the definitions of the figures). Both
// round every figure as the catalogue says, and their file names carry the
// period and the filter.

// export is a table of a page as it is downloaded.
type export struct {
	file    string // the file name without its extension (fileName)
	sheet   string // the XLSX data sheet's name, at most 31 characters
	columns []exportColumn
	rows    [][]any // per column a string, int64, float64, bool or nil (none)
	notes   []workbook.Note
}

// exportColumn is one column of an export.
type exportColumn struct {
	field    string // the catalogue's name: the CSV header, for scripts
	header   string // in the user's language: the XLSX header
	decimals int    // of a float, as the catalogue says
}

// Table is the export as a workbook sheet, every float rounded to its
// column's decimals. The report pack writes pages' tables through it.
func (e export) Table() workbook.Table {
	t := workbook.Table{Name: e.sheet}
	for _, c := range e.columns {
		t.Header = append(t.Header, c.header)
	}
	for _, r := range e.rows {
		row := make([]any, len(r))
		for i, v := range r {
			if f, ok := v.(float64); ok {
				v = widgets.Round(f, e.columns[i].decimals)
			}
			row[i] = v
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// writeCSV writes the export as CSV in lang's way, through sheet.Writer,
// which neutralises cells a spreadsheet would run as formulas.
func (e export) writeCSV(b *bytes.Buffer, lang string) error {
	b.WriteString("\uFEFF") // so Excel reads UTF-8: "Cliëntenservice", not "CliÃ«ntenservice"
	w := sheet.NewWriter(b)
	if lang == "nl" {
		w.Comma = ';' // Dutch Excel's list separator: a comma is the decimal sign
	}
	records := [][]string{make([]string, len(e.columns))}
	for i, c := range e.columns {
		records[0][i] = c.field
	}
	for _, r := range e.rows {
		rec := make([]string, len(r))
		for i, v := range r {
			switch x := v.(type) {
			case nil:
			case string:
				rec[i] = x
			case float64:
				rec[i] = widgets.Decimal(lang, x, e.columns[i].decimals)
			case int64:
				rec[i] = strconv.FormatInt(x, 10)
			case bool:
				rec[i] = strconv.FormatBool(x)
			default:
				return fmt.Errorf("column %s: unsupported value %T", e.columns[i].field, v)
			}
		}
		records = append(records, rec)
	}
	return w.WriteAll(records)
}

// exporter makes the export of request c.
type exporter func(c *gin.Context) (export, error)

// download sends what build exports as CSV or XLSX, as the route's
// extension says.
func (s *Server) download(build exporter) gin.HandlerFunc {
	return func(c *gin.Context) {
		e, err := build(c)
		if err != nil {
			var bad inputError
			switch {
			case errors.Is(err, errForbidden):
				forbidden(c)
			case errors.Is(err, storage.ErrNoImport), errors.Is(err, storage.ErrNoSuchImport):
				s.refuse(c, http.StatusNotFound, badInput("no_import", c.Param("id")))
			case errors.As(err, &bad):
				s.refuse(c, http.StatusBadRequest, err)
			default:
				s.serverError(c, err)
			}
			return
		}
		var b bytes.Buffer
		ext, typ := "csv", "text/csv; charset=utf-8"
		if strings.HasSuffix(c.FullPath(), ".xlsx") {
			ext, typ = "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
			err = workbook.Write(&b, []workbook.Table{e.Table()}, e.notes)
		} else {
			err = e.writeCSV(&b, langOf(c))
		}
		if err != nil {
			s.serverError(c, fmt.Errorf("write %s.%s: %w", e.file, ext, err))
			return
		}
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, e.file, ext))
		c.Data(http.StatusOK, typ, b.Bytes())
	}
}

// fileName names a download of view v: what it holds, its period (a year
// or month when it is one) and its filter, in safe characters only:
// verzuim-afdeling-2025-Zorg.xlsx.
func fileName(what string, v view) string {
	parts := []string{what, periodName(v.From, v.To)}
	if e := v.employer(); e != "" {
		parts = append(parts, e)
	}
	for _, vs := range [][]string{v.Departments, v.Teams, v.Locations, v.AgeBands, v.HoursBands} {
		parts = append(parts, vs...)
	}
	var out []string
	for _, p := range parts {
		if s := slug(p); s != "" {
			out = append(out, s)
		}
	}
	name := strings.Join(out, "-")
	if len(name) > 120 {
		name = strings.TrimRight(name[:120], "-")
	}
	return name
}

// employer is the one employer chosen among several, "" for all or the
// account's only one.
func (v view) employer() string {
	if len(v.scope.served) > 1 && len(v.scope.employers) == 1 {
		return shownName(v.scope.employers[0].Name)
	}
	return ""
}

// periodName is "2025" for a calendar year, "2025-03" for a month, else
// both dates.
func periodName(from, to time.Time) string {
	switch {
	case from.YearDay() == 1 && to.Equal(from.AddDate(1, 0, -1)):
		return from.Format("2006")
	case from.Day() == 1 && to.Equal(from.AddDate(0, 1, -1)):
		return from.Format("2006-01")
	}
	return from.Format(time.DateOnly) + "_" + to.Format(time.DateOnly)
}

// slug keeps letters without their accents, digits, '-' and '_' of s; every
// other run of characters becomes one '-': "Cliëntenservice" →
// "Clientenservice", "Zorg/Team A" → "Zorg-Team-A".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r): // an accent, decomposed from its letter
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_'):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimRight(b.String(), "-")
}

// aboutView are the Toelichting's lines on view v for a user in lang: what
// the file holds, the period, the filter, the data date and when it was made.
func aboutView(lang, what string, v view) []workbook.Note {
	T := func(key string) string { return translate(lang, key) }
	var filter []string
	if e := v.employer(); e != "" {
		filter = append(filter, T("export_employer")+": "+e)
	}
	for _, f := range []struct {
		key    string
		values []string
	}{{"department", v.Departments}, {"dim_team", v.Teams}, {"location", v.Locations}, {"age", v.AgeBands}, {"hours", v.HoursBands}} {
		if len(f.values) > 0 {
			filter = append(filter, T(f.key)+": "+strings.Join(f.values, ", "))
		}
	}
	if len(filter) == 0 {
		filter = []string{T("export_no_filter")}
	}
	extract := "–"
	if !v.scope.extract.IsZero() {
		extract = v.scope.extract.Format(time.DateOnly)
	}
	return []workbook.Note{
		{Label: T("export_what"), Text: what},
		{Label: T("export_period"), Text: fmt.Sprintf(T("export_period_text"), v.From.Format(time.DateOnly), v.To.Format(time.DateOnly))},
		{Label: T("export_filter"), Text: strings.Join(filter, "; ")},
		{Label: T("export_extract"), Text: extract},
		{Label: T("export_made"), Text: time.Now().Format("2006-01-02 15:04")},
		{Label: T("export_empty"), Text: T("export_empty_text")},
	}
}
