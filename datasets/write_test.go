package datasets

import (
	"bytes"
	"encoding/csv"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"golang.org/x/text/encoding/charmap"
)

// exportAll writes every format of cfg into a fresh directory.
func exportAll(t testing.TB, cfg Config) (string, Summary) {
	t.Helper()
	dir := t.TempDir()
	sum, err := Export(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return dir, sum
}

func readFile(t testing.TB, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decodeText turns a written file back into UTF-8 text without BOM.
func decodeText(t testing.TB, lay *layout, b []byte) string {
	t.Helper()
	if lay.cp1252 {
		u, err := charmap.Windows1252.NewDecoder().Bytes(b)
		if err != nil {
			t.Fatal(err)
		}
		return string(u)
	}
	return string(bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF")))
}

// readRecords parses a written file with encoding/csv.
func readRecords(t testing.TB, dir string, lay *layout) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(decodeText(t, lay, readFile(t, dir, lay.file))))
	r.Comma = rune(lay.delim)
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", lay.file, err)
	}
	return recs
}

type profile struct {
	Name             string
	Delimiter        string
	Encoding         string
	DecimalSeparator string   `toml:"decimal_separator"`
	DropColumns      []string `toml:"drop_columns"`
	Columns          map[string]string
	Values           map[string]map[string]string
	order            []string // [columns] values in file order
}

func loadProfile(t *testing.T, name string) profile {
	t.Helper()
	var p profile
	md, err := toml.DecodeFile(filepath.Join("..", "ingest", "profiles", name+".toml"), &p)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range md.Keys() {
		if len(k) == 2 && k[0] == "columns" {
			p.order = append(p.order, p.Columns[k[1]])
		}
	}
	return p
}

// TestHeadersMatchProfiles: every file's header is exactly the [columns] of
// its profile (plus the columns the profile drops), in the profile's order;
// the employer column of the native profiles is for a file holding several
// employers' rows, which one generated organisation is not.
func TestHeadersMatchProfiles(t *testing.T) {
	dir, _ := exportAll(t, Config{Employees: 300, Seed: 1})
	for _, lay := range layouts {
		t.Run(lay.file, func(t *testing.T) {
			p := loadProfile(t, lay.profile)
			header := readRecords(t, dir, lay)[0]
			var mapped []string
			for _, h := range header {
				if !slices.Contains(p.DropColumns, h) {
					mapped = append(mapped, h)
				}
			}
			want := slices.DeleteFunc(slices.Clone(p.order), func(c string) bool { return c == p.Columns["employer"] })
			if lay == layVismaEmployments {
				// The brief fixes this file's order; the profile maps by name.
				want = []string{"Personeelsnummer", "Afdeling", "Team", "Vestiging", "Datum in dienst", "Datum uit dienst", "Uren per week", "Deeltijdfactor", "Geboortejaar", "Geslacht"}
				if !sameSet(mapped, p.order) {
					t.Errorf("header %q and profile columns %q differ", mapped, p.order)
				}
			}
			if !slices.Equal(mapped, want) {
				t.Errorf("header %q, want %q", mapped, want)
			}
			if p.Delimiter != "auto" && p.Delimiter != string(lay.delim) {
				t.Errorf("profile delimiter %q, file uses %q", p.Delimiter, lay.delim)
			}
			if want := map[bool]string{true: "windows-1252", false: "utf-8"}[lay.cp1252]; p.Encoding != "auto" && p.Encoding != want {
				t.Errorf("profile encoding %q, file is %s", p.Encoding, want)
			}
			if want := map[bool]string{true: ",", false: "."}[lay.comma]; p.DecimalSeparator != "auto" && p.DecimalSeparator != want {
				t.Errorf("profile decimal separator %q, file uses %q", p.DecimalSeparator, want)
			}
		})
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestLabelsMatchProfiles: every vendor label the writers use is in the
// profile's [values] and maps back to the canonical value it stands for.
func TestLabelsMatchProfiles(t *testing.T) {
	afas, visma := loadProfile(t, "afas-verloop"), loadProfile(t, "visma-perioden")
	afasEmp, vismaEmp := loadProfile(t, "afas-dienstverband"), loadProfile(t, "visma-medewerkers")
	tests := []struct {
		name   string
		labels map[string]string // canonical -> label
		values map[string]string // label -> canonical (profile)
	}{
		{"afas absence_type", afasType, afas.Values["absence_type"]},
		{"afas end_reason", afasReason, afas.Values["end_reason"]},
		{"afas accident", map[string]string{TypeSickness: afasAccident}, afas.Values["absence_type"]},
		{"afas event", map[string]string{"sick": "Ziekmelding", "partial": "Gedeeltelijk herstel", "recovered": "Hersteldmelding"}, afas.Values["event"]},
		{"afas gender", afasGender, afasEmp.Values["gender"]},
		{"visma absence_type", vismaType, visma.Values["absence_type"]},
		{"visma end_reason", vismaReason, visma.Values["end_reason"]},
		{"visma gender", vismaGender, vismaEmp.Values["gender"]},
	}
	for _, tt := range tests {
		if len(tt.values) == 0 {
			t.Errorf("%s: profile has no values", tt.name)
		}
		for canonical, label := range tt.labels {
			if got, ok := tt.values[label]; !ok || got != canonical {
				t.Errorf("%s: label %q maps to %q in the profile, want %q", tt.name, label, got, canonical)
			}
		}
	}
	// Every canonical type and reason has a label in both vendors.
	for _, v := range append(slices.Clone(validTypes), validReasons...) {
		_, a1 := afasType[v]
		_, a2 := afasReason[v]
		_, v1 := vismaType[v]
		_, v2 := vismaReason[v]
		if !(a1 || a2) || !(v1 || v2) {
			t.Errorf("%q lacks an AFAS or Visma label", v)
		}
	}
}

// TestTablesAreSafe: vocabulary strings need no CSV quoting and survive Windows-1252.
func TestTablesAreSafe(t *testing.T) {
	var all []string
	for _, d := range departments {
		all = append(append(all, d.name), d.teams...)
	}
	all = append(append(append(append(all, locations...), firstNamesF...), firstNamesM...), firstNamesX...)
	all = append(all, lastNames...)
	for _, ps := range providers {
		all = append(all, ps...)
	}
	all = slices.AppendSeq(all, maps.Values(afasType))
	all = slices.AppendSeq(all, maps.Values(afasReason))
	for _, s := range all {
		if strings.ContainsAny(s, ",;\"\r\n") || s == "" {
			t.Errorf("%q would need quoting", s)
		}
		for _, r := range s {
			if _, ok := charmap.Windows1252.EncodeRune(r); !ok {
				t.Errorf("%q: %q has no Windows-1252 byte", s, r)
			}
		}
	}
}

var (
	isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	dmyDate = regexp.MustCompile(`^\d{2}-\d{2}-\d{4}$`)
)

// TestEncodings checks the byte-level conventions of each vendor.
func TestEncodings(t *testing.T) {
	dir, _ := exportAll(t, Config{Employees: 2000, Seed: 2})
	for _, lay := range layouts {
		t.Run(lay.file, func(t *testing.T) {
			b := readFile(t, dir, lay.file)
			hasBOM := bytes.HasPrefix(b, []byte("\xEF\xBB\xBF"))
			if hasBOM != lay.bom {
				t.Errorf("BOM present = %v, want %v", hasBOM, lay.bom)
			}
			crlf := bytes.Count(b, []byte("\r\n"))
			lf := bytes.Count(b, []byte("\n"))
			switch {
			case lay.crlf && (crlf != lf || !bytes.HasSuffix(b, []byte("\r\n"))):
				t.Errorf("%d of %d line ends are CRLF, want all", crlf, lf)
			case !lay.crlf && (crlf != 0 || !bytes.HasSuffix(b, []byte("\n"))):
				t.Errorf("%d CRLF line ends, want LF only", crlf)
			}
			// Windows-1252 text with non-ASCII letters is never valid UTF-8.
			ascii := !slices.ContainsFunc(b, func(c byte) bool { return c >= utf8.RuneSelf })
			if lay.cp1252 && !ascii && utf8.Valid(b) || !lay.cp1252 && !utf8.Valid(b) {
				t.Errorf("valid UTF-8 = %v, want %v", utf8.Valid(b), !lay.cp1252)
			}
			recs := readRecords(t, dir, lay)
			if len(recs) < 10 {
				t.Fatalf("only %d records", len(recs))
			}
			dateCol := map[bool]*regexp.Regexp{true: dmyDate, false: isoDate}[lay.dmy]
			for _, rec := range recs[1:] {
				for i, h := range recs[0] {
					v := rec[i]
					if v == "" {
						continue
					}
					if strings.Contains(strings.ToLower(h), "dat") || strings.Contains(h, "ziektedag") || h == "Begindatum" {
						if !dateCol.MatchString(v) {
							t.Fatalf("%s = %q is not a %s date", h, v, map[bool]string{true: "dd-mm-yyyy", false: "ISO"}[lay.dmy])
						}
					}
				}
			}
		})
	}

	afasEmp := readFile(t, dir, layAFASEmployments.file)
	if !bytes.Contains(afasEmp, []byte{0x96}) { // en dash: 0x96 in Windows-1252, a control code in Latin-1
		t.Error("afas_dienstverband.csv has no Windows-1252 en dash (0x96)")
	}
	text := decodeText(t, layAFASEmployments, afasEmp)
	for _, s := range []string{"Zorg – Noord", "’s-Hertogenbosch", "Cliëntenservice", "Restaurant ‘De Brug’", "€", ";Vrouw\r\n", ";Man\r\n"} {
		if !strings.Contains(text, s) {
			t.Errorf("afas_dienstverband.csv lacks %q", s)
		}
	}
	if !regexp.MustCompile(`;\d+,5;(36|40);`).MatchString(text) {
		t.Error("afas_dienstverband.csv has no fractional hours with a decimal comma")
	}
	verzuim := decodeText(t, layAFASAbsence, readFile(t, dir, layAFASAbsence.file))
	for _, s := range []string{";Gedeeltelijk herstel;37,5;", ";Ziekmelding;0;", ";Bedrijfsongeval;", ";Hersteldmelding;;Ziek;Volledig hersteld eigen werk\r\n"} {
		if !strings.Contains(verzuim, s) {
			t.Errorf("afas_verzuim.csv lacks %q", s)
		}
	}

	// Visma: the part-time factor has at most 4 decimals and multiplies back to the hours.
	recs := readRecords(t, dir, layVismaEmployments)
	for _, rec := range recs[1:] {
		hours, err1 := strconv.ParseFloat(rec[6], 64)
		factor, err2 := strconv.ParseFloat(rec[7], 64)
		if err1 != nil || err2 != nil || len(rec[7]) > 6 {
			t.Fatalf("hours %q factor %q", rec[6], rec[7])
		}
		if factor*36 != hours && factor*40 != hours {
			t.Fatalf("factor %s does not give %s hours on a 36 or 40 hour week", rec[7], rec[6])
		}
		if !slices.Contains([]string{"M", "V", "X"}, rec[9]) {
			t.Fatalf("Geslacht %q", rec[9])
		}
	}
}

// TestDeterminism: the same seed gives the same bytes, with or without
// parallel generation; another seed gives other data.
func TestDeterminism(t *testing.T) {
	cfg := Config{Employees: 2000, Seed: 42}
	a, _ := exportAll(t, cfg)
	b, _ := exportAll(t, cfg)
	prev := runtime.GOMAXPROCS(1) // the sequential path
	c, _ := exportAll(t, cfg)
	runtime.GOMAXPROCS(prev)
	cfg.Seed = 43
	d, _ := exportAll(t, cfg)
	for _, lay := range layouts {
		fa := readFile(t, a, lay.file)
		if !bytes.Equal(fa, readFile(t, b, lay.file)) {
			t.Errorf("%s differs between two runs with the same seed", lay.file)
		}
		if !bytes.Equal(fa, readFile(t, c, lay.file)) {
			t.Errorf("%s differs between parallel and sequential generation", lay.file)
		}
		if bytes.Equal(fa, readFile(t, d, lay.file)) {
			t.Errorf("%s is the same for seeds 42 and 43", lay.file)
		}
	}
}

// TestWriteFilesFormats: the format list selects files; unknown names fail.
func TestWriteFilesFormats(t *testing.T) {
	tests := []struct {
		formats []string
		files   []string
		wantErr bool
	}{
		{nil, []string{"employments.csv", "absence_periods.csv", "absence_events.csv", "interventions.csv", "milestones.csv", "afas_dienstverband.csv", "afas_verzuim.csv", "visma_medewerkers.csv", "visma_verzuim.csv"}, false},
		{[]string{"afas"}, []string{"afas_dienstverband.csv", "afas_verzuim.csv"}, false},
		{[]string{"visma,native"}, []string{"employments.csv", "absence_periods.csv", "absence_events.csv", "interventions.csv", "milestones.csv", "visma_medewerkers.csv", "visma_verzuim.csv"}, false},
		{[]string{"all", "afas"}, []string{"employments.csv", "absence_periods.csv", "absence_events.csv", "interventions.csv", "milestones.csv", "afas_dienstverband.csv", "afas_verzuim.csv", "visma_medewerkers.csv", "visma_verzuim.csv"}, false},
		{[]string{"excel"}, nil, true},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		paths, err := WriteFiles(filepath.Join(dir, "out"), Config{Employees: 50, Seed: 1}, tt.formats...)
		if (err != nil) != tt.wantErr {
			t.Errorf("%q: error %v, want error %v", tt.formats, err, tt.wantErr)
			continue
		}
		var got []string
		for _, p := range paths {
			got = append(got, filepath.Base(p))
		}
		if !slices.Equal(got, tt.files) {
			t.Errorf("%q wrote %q, want %q", tt.formats, got, tt.files)
		}
	}
}

// TestWriterCountsAndErrors: Rows counts data rows; a failing writer reports it.
func TestWriterCountsAndErrors(t *testing.T) {
	e := &Employee{ID: "100001", Gender: "F", Cases: []Case{
		{FirstSickDay: mustDate("2025-03-03"), RecoveryDate: mustDate("2025-03-20"), Type: TypeSickness, EndReason: ReasonFullReturn,
			Segments: []Segment{{mustDate("2025-03-03"), 100}, {mustDate("2025-03-10"), 37.5}}},
		{FirstSickDay: mustDate("2025-06-02"), Type: TypeOther, Segments: []Segment{{mustDate("2025-06-02"), 100}}},
	}}
	var buf bytes.Buffer
	w := NewNativePeriodsWriter(&buf)
	if err := w.Write(e); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "employee_id,case_ref,start_date,end_date,absence_pct,absence_type,end_reason,vangnet\n" +
		"100001,100001-1,2025-03-03,2025-03-09,100,sickness,,\n" +
		"100001,100001-1,2025-03-10,2025-03-19,37.5,sickness,full_return,\n" +
		"100001,100001-2,2025-06-02,,100,other,,\n"
	if buf.String() != want || w.Rows() != 3 {
		t.Errorf("got %d rows:\n%s\nwant 3:\n%s", w.Rows(), buf.String(), want)
	}
	buf.Reset()
	w = NewAFASAbsenceWriter(&buf)
	w.Write(e)
	w.Flush()
	wantAFAS := "Medewerker;Eerste ziektedag;Datum;Soort regel;Aanwezigheid %;Verzuimtype;Reden herstel\r\n" +
		"100001;03-03-2025;03-03-2025;Ziekmelding;0;Ziek;\r\n" +
		"100001;03-03-2025;10-03-2025;Gedeeltelijk herstel;62,5;Ziek;\r\n" +
		"100001;03-03-2025;20-03-2025;Hersteldmelding;;Ziek;Volledig hersteld eigen werk\r\n" +
		"100001;02-06-2025;02-06-2025;Ziekmelding;0;Overig;\r\n"
	if buf.String() != wantAFAS {
		t.Errorf("AFAS:\n%q\nwant\n%q", buf.String(), wantAFAS)
	}
	w = NewNativeEventsWriter(failWriter{})
	if err := w.Flush(); err == nil {
		t.Error("Flush to a failing writer returned nil")
	}
	if err := w.Write(e); err == nil {
		t.Error("Write after a failed Flush returned nil")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, io.ErrShortWrite }

func mustDate(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}
