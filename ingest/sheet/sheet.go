// Package sheet writes CSV for people who open it in a spreadsheet. A cell
// that starts with =, +, -, @, a tab or a carriage return is read by Excel,
// LibreOffice and Google Sheets as a formula, so a value from an export such
// as =HYPERLINK(…) or =cmd|' /C calc'!A0 would run when the file is opened
// (OWASP "CSV injection"). Every CSV the product writes goes through Writer,
// which prefixes such a cell with a single quote; a plain number such as
// -3.5 stays a number.
package sheet

import (
	"encoding/csv"
	"io"
	"regexp"
)

// Writer is a csv.Writer that neutralises formulas. It satisfies
// gocsv.CSVWriter, so gocsv.MarshalCSV can write through it.
type Writer struct{ *csv.Writer }

// NewWriter writes comma-separated records to w.
func NewWriter(w io.Writer) *Writer { return &Writer{csv.NewWriter(w)} }

// Write writes one record, each cell made safe.
func (w *Writer) Write(record []string) error {
	safe := make([]string, len(record))
	for i, c := range record {
		safe[i] = Cell(c)
	}
	return w.Writer.Write(safe)
}

// WriteAll writes records and flushes.
func (w *Writer) WriteAll(records [][]string) error {
	for _, r := range records {
		if err := w.Write(r); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// number is a plain decimal number, with a point or a Dutch comma and an
// optional exponent: a spreadsheet reads it as a number, not a formula.
var number = regexp.MustCompile(`^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$`)

// Cell returns s as it is safe to put in a spreadsheet cell.
func Cell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '@', '\t', '\r':
		return "'" + s
	case '+', '-':
		if number.MatchString(s) {
			return s
		}
		return "'" + s
	}
	return s
}
