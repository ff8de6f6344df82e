package ingest

import (
	"strings"
	"testing"
)

// A row is plain when no value begins or ends with what DuckDB's trim
// removes (a space separator, Unicode Zs) and none is a quoted empty value:
// parse then takes its values without trimming. Other non-ASCII letters at
// a value's edge ("’s-Hertogenbosch", "Financiën") keep a row plain, so it
// is not read a second time.
func TestRowHasherTellsPlainRows(t *testing.T) {
	tests := []struct {
		row   string
		plain bool
	}{
		{"E001;2024-01-08;;100", true},
		{"E001;’s-Hertogenbosch;Financiën", true},
		{"E001;\"Zorg; Oost\";é", true},
		{"E001; 100", false},
		{"E001;100 ", false},
		{"E001;\t100", false},
		{"E001;\u00a0100", false},    // no-break space
		{"E001;100\u3000", false},    // ideographic space
		{"E001;\"\";100", false},     // a quoted empty value
		{"E001;\" x\";100", false},   // a quoted value with a space
		{"E001;\xe2\x80;100", false}, // a broken character: taken to be a space
		{"E001;x\u200b;100", true},   // a zero-width space is no Zs: trim keeps it
	}
	for _, tt := range tests {
		rh := rowHasher{delim: ';'}
		out := string(rh.appendHash(nil, []byte(tt.row)))
		if got := strings.HasSuffix(out, ";1"); got != tt.plain {
			t.Errorf("%q: plain = %v, want %v", tt.row, got, tt.plain)
		}
	}
}
