package sheet

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/gocarina/gocsv"
	"github.com/google/go-cmp/cmp"
)

func TestCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Zorg & Welzijn", "Zorg & Welzijn"},
		{"=HYPERLINK(\"http://x\",\"klik\")", "'=HYPERLINK(\"http://x\",\"klik\")"},
		{"=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"},
		{"@SUM(A1:A2)", "'@SUM(A1:A2)"},
		{"+31 6 12345678", "'+31 6 12345678"},
		{"-2+3", "'-2+3"},
		{"-", "'-"},
		{"+", "'+"},
		{"-A1", "'-A1"},
		{"\tcmd", "'\tcmd"},
		{"\r=1", "'\r=1"},
		{"-Inf", "'-Inf"},
		{"-3.5", "-3.5"},
		{"-3,5", "-3,5"},
		{"+12", "+12"},
		{"-1e5", "-1e5"},
		{"-.5", "-.5"},
		{"3.5", "3.5"},
		{"a=b", "a=b"},
		{" =1", " =1"}, // a leading space makes it text in every spreadsheet
	}
	for _, tt := range tests {
		if got := Cell(tt.in); got != tt.want {
			t.Errorf("Cell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Through gocsv, the header and every cell are written safely and read back
// with the quote.
func TestWriterWithGocsv(t *testing.T) {
	type row struct {
		Name  string  `csv:"name"`
		Value float64 `csv:"value"`
	}
	var buf bytes.Buffer
	if err := gocsv.MarshalCSV([]row{{"=1+1", -3.5}, {"ICT", 2}}, NewWriter(&buf)); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"name", "value"}, {"'=1+1", "-3.5"}, {"ICT", "2"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Error(d)
	}
}
