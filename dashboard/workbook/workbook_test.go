package workbook

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestWriteReadsBack(t *testing.T) {
	tables := []Table{{
		Name:   "Afdelingen",
		Header: []string{"Afdeling", "ZVP (%)", "Meldingen", "Peildatum"},
		Rows: [][]any{
			{"=HYPERLINK(\"http://x\",\"klik\")", 4.95, 12, time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)},
			{"Cliëntenservice", nil, 3, nil},
		},
	}}
	notes := []Note{{"Periode", "2025"}, {"ZVP", "Ziekteverzuimpercentage"}}
	var buf bytes.Buffer
	if err := Write(&buf, tables, notes); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "Afdelingen" || got[1] != AboutSheet {
		t.Fatalf("sheets %v, want [Afdelingen %s]", got, AboutSheet)
	}
	tests := []struct{ sheet, cell, want string }{
		{"Afdelingen", "A1", "Afdeling"},
		{"Afdelingen", "A2", "=HYPERLINK(\"http://x\",\"klik\")"},
		{"Afdelingen", "B2", "4.95"},
		{"Afdelingen", "C2", "12"},
		{"Afdelingen", "A3", "Cliëntenservice"},
		{"Afdelingen", "B3", ""}, // suppressed: empty, never zero
		{AboutSheet, "A1", "Periode"},
		{AboutSheet, "B2", "Ziekteverzuimpercentage"},
	}
	for _, tt := range tests {
		got, err := f.GetCellValue(tt.sheet, tt.cell, excelize.Options{RawCellValue: true})
		if err != nil || got != tt.want {
			t.Errorf("%s!%s = %q (%v), want %q", tt.sheet, tt.cell, got, err, tt.want)
		}
	}
	// A string that looks like a formula is text, not a formula.
	if formula, _ := f.GetCellFormula("Afdelingen", "A2"); formula != "" {
		t.Errorf("A2 holds formula %q", formula)
	}
	if typ, _ := f.GetCellType("Afdelingen", "B2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("B2 type %v, want a number", typ)
	}
}
