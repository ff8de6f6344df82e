// Package workbook writes XLSX files for people who open them in Excel: one
// sheet per table, with typed cells (a number is a number, so Dutch Excel
// shows 4,95 and sums it), and a last sheet "Toelichting" that says what the
// file holds: period, filter, data date and the definitions of its figures.
// Every XLSX the product writes goes through Write.
package workbook

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// Table is one sheet: a header row and rows of cells. A cell is a string,
// a number (int, int64, float64), a bool, a time.Time (written as a date)
// or nil (left empty, as a suppressed figure is: never a zero).
type Table struct {
	Name   string // the sheet's name, at most 31 characters
	Header []string
	Rows   [][]any
}

// Note is one line of the "Toelichting" sheet: a label and its text, such
// as {"Periode", "2025"} or {"ZVP", "Ziekteverzuimpercentage: …"}.
type Note struct{ Label, Text string }

// AboutSheet is the name of the sheet that describes the file.
const AboutSheet = "Toelichting"

// Write writes the tables, then the notes on the sheet AboutSheet, to w.
// Strings are stored as text cells, never as formulas, so a value from an
// export such as =HYPERLINK(…) cannot run when the file is opened.
func Write(w io.Writer, tables []Table, notes []Note) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	first := true
	for _, t := range tables {
		if err := addSheet(f, t.Name, first); err != nil {
			return err
		}
		first = false
		if err := writeRow(f, t.Name, 1, header(t.Header), date); err != nil {
			return err
		}
		if len(t.Header) > 0 {
			last, _ := excelize.CoordinatesToCellName(len(t.Header), 1)
			if err := f.SetCellStyle(t.Name, "A1", last, bold); err != nil {
				return fmt.Errorf("workbook %s: %w", t.Name, err)
			}
			if err := f.SetPanes(t.Name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
				return fmt.Errorf("workbook %s: %w", t.Name, err)
			}
		}
		for i, r := range t.Rows {
			if err := writeRow(f, t.Name, i+2, r, date); err != nil {
				return err
			}
		}
	}
	if err := addSheet(f, AboutSheet, first); err != nil {
		return err
	}
	for i, n := range notes {
		if err := writeRow(f, AboutSheet, i+1, []any{n.Label, n.Text}, date); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(AboutSheet, "A", "A", 24); err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	if err := f.SetColWidth(AboutSheet, "B", "B", 100); err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("workbook: write: %w", err)
	}
	return nil
}

// addSheet names the workbook's first (default) sheet, or adds one.
func addSheet(f *excelize.File, name string, first bool) error {
	var err error
	if first {
		err = f.SetSheetName(f.GetSheetName(0), name)
	} else {
		_, err = f.NewSheet(name)
	}
	if err != nil {
		return fmt.Errorf("workbook: sheet %q: %w", name, err)
	}
	return nil
}

func header(h []string) []any {
	out := make([]any, len(h))
	for i, s := range h {
		out[i] = s
	}
	return out
}

// writeRow writes one row cell by cell: strings as text (SetCellStr never
// makes a formula), numbers as numbers, times as dates, nil as nothing.
func writeRow(f *excelize.File, sheet string, row int, cells []any, date int) error {
	for col, v := range cells {
		cell, err := excelize.CoordinatesToCellName(col+1, row)
		if err != nil {
			return fmt.Errorf("workbook %s: %w", sheet, err)
		}
		switch x := v.(type) {
		case nil:
			continue
		case string:
			err = f.SetCellStr(sheet, cell, x)
		case time.Time:
			if err = f.SetCellValue(sheet, cell, x); err == nil {
				err = f.SetCellStyle(sheet, cell, cell, date)
			}
		case int, int64, float64, bool:
			err = f.SetCellValue(sheet, cell, x)
		default:
			err = fmt.Errorf("cell %s: unsupported value %T", cell, v)
		}
		if err != nil {
			return fmt.Errorf("workbook %s: %w", sheet, err)
		}
	}
	return nil
}
