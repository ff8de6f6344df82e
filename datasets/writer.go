package datasets

import (
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
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
