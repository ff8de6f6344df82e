package datasets

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Format names accepted by WriteFiles.
const (
	FormatNative = "native" // employments, absence_periods, absence_events, interventions, milestones
	FormatAFAS   = "afas"   // afas_dienstverband, afas_verzuim
	FormatVisma  = "visma"  // visma_medewerkers, visma_verzuim
)

// Formats lists the format names in the order WriteFiles writes them.
var Formats = []string{FormatNative, FormatAFAS, FormatVisma}

// layout is one file: its encoding conventions, header and row emitter. The
// headers are the [columns] values of the matching ingest/profiles/*.toml.
type layout struct {
	file    string
	format  string
	profile string // name of the ingest profile that reads it
	header  []string
	delim   byte
	crlf    bool // line ends
	bom     bool // UTF-8 byte order mark
	cp1252  bool // Windows-1252 instead of UTF-8
	dmy     bool // dd-mm-yyyy instead of yyyy-mm-dd
	comma   bool // decimal comma
	emit    func(w *Writer, e *Employee)
}

var (
	layNativeEmployments = &layout{file: "employments.csv", profile: "native-employments", format: FormatNative, delim: ',',
		header: []string{"employee_id", "start_date", "end_date", "department", "team", "location", "contract_hours", "fulltime_hours", "birth_year", "gender"},
		emit:   emitEmployments}
	layNativePeriods = &layout{file: "absence_periods.csv", profile: "native-periods", format: FormatNative, delim: ',',
		header: []string{"employee_id", "case_ref", "start_date", "end_date", "absence_pct", "absence_type", "end_reason", "vangnet"},
		emit:   emitPeriods}
	layNativeEvents = &layout{file: "absence_events.csv", profile: "native-events", format: FormatNative, delim: ',',
		header: []string{"employee_id", "first_sick_day", "event_date", "event", "absence_pct", "absence_type", "end_reason", "vangnet"},
		emit:   emitEvents}
	layNativeInterventions = &layout{file: "interventions.csv", profile: "native-interventions", format: FormatNative, delim: ',',
		header: []string{"employee_id", "intervention_type", "provider", "start_date", "end_date", "sessions", "outcome", "cost"},
		emit:   emitInterventions}
	layNativeMilestones = &layout{file: "milestones.csv", profile: "native-milestones", format: FormatNative, delim: ',',
		header: []string{"employee_id", "first_sick_day", "milestone", "done_date"},
		emit:   emitMilestones}
	layAFASEmployments = &layout{file: "afas_dienstverband.csv", profile: "afas-dienstverband", format: FormatAFAS, delim: ';', crlf: true, cp1252: true, dmy: true, comma: true,
		header: []string{"Medewerker", "Naam", "BSN", "Begindatum", "Einddatum", "Afdeling", "Team", "Standplaats", "Uren per week", "Fulltime uren", "Geboortedatum", "Geslacht"},
		emit:   emitEmployments}
	layAFASAbsence = &layout{file: "afas_verzuim.csv", profile: "afas-verloop", format: FormatAFAS, delim: ';', crlf: true, cp1252: true, dmy: true, comma: true,
		header: []string{"Medewerker", "Eerste ziektedag", "Datum", "Soort regel", "Aanwezigheid %", "Verzuimtype", "Reden herstel"},
		emit:   emitEvents}
	layVismaEmployments = &layout{file: "visma_medewerkers.csv", profile: "visma-medewerkers", format: FormatVisma, delim: ',', bom: true,
		header: []string{"Personeelsnummer", "Afdeling", "Team", "Vestiging", "Datum in dienst", "Datum uit dienst", "Uren per week", "Deeltijdfactor", "Geboortejaar", "Geslacht"},
		emit:   emitEmployments}
	layVismaAbsence = &layout{file: "visma_verzuim.csv", profile: "visma-perioden", format: FormatVisma, delim: ',', bom: true,
		header: []string{"Personeelsnummer", "Verzuimnummer", "Begindatum", "Einddatum", "Verzuimpercentage", "Verzuimsoort", "Reden einde", "Vangnet"},
		emit:   emitPeriods}

	layouts = []*layout{layNativeEmployments, layNativePeriods, layNativeEvents, layNativeInterventions, layNativeMilestones,
		layAFASEmployments, layAFASAbsence, layVismaEmployments, layVismaAbsence}
)

// Writer streams one file layout: the header on creation, the rows of one
// employee per Write, and everything still buffered on Flush. It is not safe
// for concurrent use.
type Writer struct {
	out  io.Writer
	lay  *layout
	buf  []byte
	rows int64
	err  error
}

// NewNativeEmploymentsWriter writes employments.csv (profile native-employments).
func NewNativeEmploymentsWriter(w io.Writer) *Writer { return newWriter(w, layNativeEmployments) }

// NewNativePeriodsWriter writes absence_periods.csv (profile native-periods).
func NewNativePeriodsWriter(w io.Writer) *Writer { return newWriter(w, layNativePeriods) }

// NewNativeEventsWriter writes absence_events.csv (profile native-events).
func NewNativeEventsWriter(w io.Writer) *Writer { return newWriter(w, layNativeEvents) }

// NewNativeInterventionsWriter writes interventions.csv (profile native-interventions).
func NewNativeInterventionsWriter(w io.Writer) *Writer { return newWriter(w, layNativeInterventions) }

// NewNativeMilestonesWriter writes milestones.csv (profile native-milestones).
func NewNativeMilestonesWriter(w io.Writer) *Writer { return newWriter(w, layNativeMilestones) }

// NewAFASEmploymentsWriter writes afas_dienstverband.csv (profile afas-dienstverband).
func NewAFASEmploymentsWriter(w io.Writer) *Writer { return newWriter(w, layAFASEmployments) }

// NewAFASAbsenceWriter writes afas_verzuim.csv (profile afas-verloop).
func NewAFASAbsenceWriter(w io.Writer) *Writer { return newWriter(w, layAFASAbsence) }

// NewVismaEmploymentsWriter writes visma_medewerkers.csv (profile visma-medewerkers).
func NewVismaEmploymentsWriter(w io.Writer) *Writer { return newWriter(w, layVismaEmployments) }

// NewVismaAbsenceWriter writes visma_verzuim.csv (profile visma-perioden).
func NewVismaAbsenceWriter(w io.Writer) *Writer { return newWriter(w, layVismaAbsence) }

func newWriter(out io.Writer, lay *layout) *Writer {
	w := &Writer{out: out, lay: lay, buf: make([]byte, 0, 1<<16)}
	if lay.bom {
		w.buf = append(w.buf, 0xEF, 0xBB, 0xBF)
	}
	for i, h := range lay.header {
		if i > 0 {
			w.sep()
		}
		w.str(h)
	}
	w.eol()
	return w
}

// File is the file name this writer's layout uses, e.g. "absence_periods.csv".
func (w *Writer) File() string { return w.lay.file }

// Profile is the name of the ingest profile that imports this layout, e.g. "native-periods".
func (w *Writer) Profile() string { return w.lay.profile }

// Rows is the number of data rows written so far.
func (w *Writer) Rows() int64 { return w.rows }

// Write appends the rows of e.
func (w *Writer) Write(e *Employee) error {
	if w.err != nil {
		return w.err
	}
	w.lay.emit(w, e)
	if len(w.buf) >= 1<<16 {
		w.drain()
	}
	return w.err
}

// Flush writes everything buffered to the underlying writer.
func (w *Writer) Flush() error {
	if w.err == nil {
		w.drain()
	}
	return w.err
}

func (w *Writer) drain() {
	_, w.err = w.out.Write(w.buf)
	w.buf = w.buf[:0]
}

func (w *Writer) sep() { w.buf = append(w.buf, w.lay.delim) }

func (w *Writer) eol() {
	if w.lay.crlf {
		w.buf = append(w.buf, '\r', '\n')
	} else {
		w.buf = append(w.buf, '\n')
	}
}

func (w *Writer) endRow() { w.eol(); w.rows++ }

// str appends a text field, encoded for the layout and quoted only when needed
// (the built-in vocabularies never need it).
func (w *Writer) str(s string) {
	ascii, quote := true, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf:
			ascii = false
		case c == w.lay.delim || c == '"' || c == '\n' || c == '\r':
			quote = true
		}
	}
	if quote {
		w.buf = append(w.buf, '"')
		s = strings.ReplaceAll(s, `"`, `""`)
	}
	if ascii || !w.lay.cp1252 {
		w.buf = append(w.buf, s...)
	} else {
		for _, r := range s {
			b, ok := charmap.Windows1252.EncodeRune(r)
			if !ok {
				b = '?'
			}
			w.buf = append(w.buf, b)
		}
	}
	if quote {
		w.buf = append(w.buf, '"')
	}
}

func (w *Writer) int(n int) { w.buf = strconv.AppendInt(w.buf, int64(n), 10) }

// num appends a decimal without trailing zeros, with the layout's separator.
func (w *Writer) num(v float64) {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		w.buf = strconv.AppendInt(w.buf, int64(v), 10)
		return
	}
	n := len(w.buf)
	w.buf = strconv.AppendFloat(w.buf, v, 'f', -1, 64)
	if w.lay.comma {
		if i := slices.Index(w.buf[n:], '.'); i >= 0 {
			w.buf[n+i] = ','
		}
	}
}

// money appends euros with exactly two decimals.
func (w *Writer) money(v float64) {
	w.buf = strconv.AppendFloat(w.buf, v, 'f', 2, 64)
	if w.lay.comma {
		w.buf[len(w.buf)-3] = ','
	}
}

// date appends t in the layout's date format; a zero time is an empty field.
func (w *Writer) date(t time.Time) {
	if t.IsZero() {
		return
	}
	y, m, d := t.Date()
	if w.lay.dmy {
		w.buf = append(w.buf, byte('0'+d/10), byte('0'+d%10), '-', byte('0'+m/10), byte('0'+m%10), '-')
		w.buf = strconv.AppendInt(w.buf, int64(y), 10)
		return
	}
	w.buf = strconv.AppendInt(w.buf, int64(y), 10)
	w.buf = append(w.buf, '-', byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
}

var (
	afasGender  = map[string]string{"M": "Man", "F": "Vrouw", "X": "Onbekend"}
	vismaGender = map[string]string{"M": "M", "F": "V", "X": "X"}
)

func emitEmployments(w *Writer, e *Employee) {
	vendor := w.lay.format
	for _, emp := range e.Employments {
		w.str(e.ID)
		w.sep()
		switch vendor {
		case FormatAFAS:
			w.str(e.Name)
			w.sep()
			w.str(e.BSN)
			w.sep()
		case FormatVisma:
			w.str(emp.Department)
			w.sep()
			w.str(emp.Team)
			w.sep()
			w.str(emp.Location)
			w.sep()
		}
		w.date(emp.Start)
		w.sep()
		w.date(emp.End)
		w.sep()
		if vendor != FormatVisma {
			w.str(emp.Department)
			w.sep()
			w.str(emp.Team)
			w.sep()
			w.str(emp.Location)
			w.sep()
		}
		w.num(emp.ContractHours)
		w.sep()
		switch vendor {
		case FormatVisma:
			w.num(math.Round(emp.ContractHours/emp.FulltimeHours*1e4) / 1e4)
		default:
			w.num(emp.FulltimeHours)
		}
		w.sep()
		switch vendor {
		case FormatAFAS:
			w.date(e.BirthDate)
			w.sep()
			w.str(afasGender[e.Gender])
		case FormatVisma:
			w.int(e.BirthDate.Year())
			w.sep()
			w.str(vismaGender[e.Gender])
		default:
			w.int(e.BirthDate.Year())
			w.sep()
			w.str(e.Gender)
		}
		w.endRow()
	}
}

// emitPeriods writes one row per segment; end dates are the last sick day
// (inclusive) and the end reason sits on the last row of a closed case.
func emitPeriods(w *Writer, e *Employee) {
	visma := w.lay.format == FormatVisma
	typ, reason := identity, identity
	if visma {
		typ, reason = vismaType, vismaReason
	}
	for n := range e.Cases {
		c := &e.Cases[n]
		for k, s := range c.Segments {
			last := k == len(c.Segments)-1
			w.str(e.ID)
			w.sep()
			w.str(e.ID)
			w.buf = append(w.buf, '-')
			w.int(n + 1)
			w.sep()
			w.date(s.From)
			w.sep()
			switch {
			case !last:
				w.date(c.Segments[k+1].From.AddDate(0, 0, -1))
			case !c.RecoveryDate.IsZero():
				w.date(c.RecoveryDate.AddDate(0, 0, -1))
			}
			w.sep()
			w.num(s.AbsencePct)
			w.sep()
			w.str(typ[c.Type])
			w.sep()
			if last && c.EndReason != "" {
				w.str(reason[c.EndReason])
			}
			w.sep()
			w.str(vangnetFlag(c, visma))
			w.endRow()
		}
	}
}

// emitEvents writes verloopregels: the sick report, each partial recovery and
// the recovery (on the first day back). AFAS gives the percentage present.
func emitEvents(w *Writer, e *Employee) {
	afas := w.lay.format == FormatAFAS
	evSick, evPartial, evRecovered := "sick", "partial", "recovered"
	typ, reason := identity, identity
	if afas {
		evSick, evPartial, evRecovered = "Ziekmelding", "Gedeeltelijk herstel", "Hersteldmelding"
		typ, reason = afasType, afasReason
	}
	for n := range e.Cases {
		c := &e.Cases[n]
		t := typ[c.Type]
		if afas && c.WorkAccident && c.Type == TypeSickness {
			t = afasAccident
		}
		row := func(date time.Time, ev string, pct float64, why string) {
			w.str(e.ID)
			w.sep()
			w.date(c.FirstSickDay)
			w.sep()
			w.date(date)
			w.sep()
			w.str(ev)
			w.sep()
			if pct >= 0 {
				if afas {
					pct = 100 - pct
				}
				w.num(pct)
			}
			w.sep()
			w.str(t)
			w.sep()
			w.str(why)
			if !afas { // AFAS says vangnet through the type
				w.sep()
				w.str(vangnetFlag(c, false))
			}
			w.endRow()
		}
		for k, s := range c.Segments {
			ev := evPartial
			if k == 0 {
				ev = evSick
			}
			row(s.From, ev, s.AbsencePct, "")
		}
		if !c.RecoveryDate.IsZero() {
			row(c.RecoveryDate, evRecovered, -1, reason[c.EndReason])
		}
	}
}

// vangnetFlag is the export's vangnet column: the Ziektewet pays for
// pregnancy-related sickness. Native files leave it empty otherwise (not
// recorded), Visma writes "nee".
func vangnetFlag(c *Case, visma bool) string {
	switch {
	case c.Type == TypeSicknessPregnancy && visma:
		return "ja"
	case c.Type == TypeSicknessPregnancy:
		return "true"
	case visma:
		return "nee"
	}
	return ""
}

func emitInterventions(w *Writer, e *Employee) {
	for i := range e.Interventions {
		iv := &e.Interventions[i]
		w.str(e.ID)
		w.sep()
		w.str(iv.Type)
		w.sep()
		w.str(iv.Provider)
		w.sep()
		w.date(iv.Start)
		w.sep()
		w.date(iv.End)
		w.sep()
		w.int(iv.Sessions)
		w.sep()
		w.str(iv.Outcome)
		w.sep()
		w.money(iv.Cost)
		w.endRow()
	}
}

func emitMilestones(w *Writer, e *Employee) {
	for _, m := range e.Milestones {
		w.str(e.ID)
		w.sep()
		w.date(m.FirstSickDay)
		w.sep()
		w.str(m.Name)
		w.sep()
		w.date(m.Done)
		w.endRow()
	}
}

// identity maps the canonical vocabulary onto itself (native layouts).
var identity = func() map[string]string {
	m := map[string]string{}
	for _, v := range []string{TypeSickness, TypeSicknessPregnancy, TypePregnancyLeave, TypeOther,
		ReasonFullReturn, ReasonAdaptedOwnWork, ReasonOtherWork, ReasonSecondTrack, ReasonWIA, ReasonEmploymentEnded, ReasonOther} {
		m[v] = v
	}
	return m
}()

// FileSummary is one file written by Export.
type FileSummary struct {
	Path    string
	Profile string // the ingest profile that imports it, e.g. "afas-verloop"
	Rows    int64  // data rows, header excluded
}

// Summary counts what Export wrote.
type Summary struct {
	Employees, Cases, Interventions int64
	Files                           []FileSummary
}

// WriteFiles generates cfg's organisation once and writes every requested
// format into dir (created if needed), returning the paths written. No format
// means all; "all" and comma-separated lists are accepted too.
func WriteFiles(dir string, cfg Config, formats ...string) ([]string, error) {
	s, err := Export(dir, cfg, formats...)
	paths := make([]string, len(s.Files))
	for i, f := range s.Files {
		paths[i] = f.Path
	}
	return paths, err
}

// Export is WriteFiles that also reports counts.
func Export(dir string, cfg Config, formats ...string) (Summary, error) {
	want, err := parseFormats(formats)
	if err != nil {
		return Summary{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Summary{}, err
	}
	var (
		files   []*os.File
		writers []*Writer
		sum     Summary
	)
	closeAll := func() {
		for _, f := range files {
			f.Close()
		}
	}
	for _, lay := range layouts {
		if !slices.Contains(want, lay.format) {
			continue
		}
		f, err := os.Create(filepath.Join(dir, lay.file))
		if err != nil {
			closeAll()
			return sum, err
		}
		files = append(files, f)
		writers = append(writers, newWriter(f, lay))
	}
	err = Generate(cfg, func(e *Employee) error {
		sum.Employees++
		sum.Cases += int64(len(e.Cases))
		sum.Interventions += int64(len(e.Interventions))
		for _, w := range writers {
			if err := w.Write(e); err != nil {
				return fmt.Errorf("%s: %w", w.File(), err)
			}
		}
		return nil
	})
	for i, w := range writers {
		err = errors.Join(err, w.Flush(), files[i].Close())
		sum.Files = append(sum.Files, FileSummary{Path: files[i].Name(), Profile: w.lay.profile, Rows: w.Rows()})
	}
	return sum, err
}

func parseFormats(formats []string) ([]string, error) {
	var want []string
	for _, f := range formats {
		for _, name := range strings.Split(f, ",") {
			name = strings.ToLower(strings.TrimSpace(name))
			switch {
			case name == "":
			case name == "all":
				want = append(want, Formats...)
			case slices.Contains(Formats, name):
				want = append(want, name)
			default:
				return nil, fmt.Errorf("datasets: unknown format %q (want %s or all)", name, strings.Join(Formats, ", "))
			}
		}
	}
	if len(want) == 0 {
		want = Formats
	}
	return want, nil
}
