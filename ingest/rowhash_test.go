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
		if _, got := rh.sum([]byte(tt.row)); got != tt.plain {
			t.Errorf("%q: plain = %v, want %v", tt.row, got, tt.plain)
		}
	}
}

// Rows hash alike exactly when DuckDB's reader reads the same values from
// them: quotes removed, "" inside quotes one quote, an empty value NULL
// whether quoted or not, characters after a closing quote dropped.
func TestRowHasherHashesValuesAsRead(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"E1;2024-01-08;100", "E1;2024-01-08;100", true},
		{"E1;2024-01-08;100", `"E1";"2024-01-08";"100"`, true},
		{"E1;;100", `E1;"";100`, true},
		{`E1;"a""b";1`, `E1;a"b;1`, true},
		{`E1;"a"x;1`, `E1;a;1`, true},
		{"E1;\"a\nb\";1", "E1;\"a\nb\";1", true},
		{`E1;"a;b";1`, `"E1";"a;b";"1"`, true},
		{"E1;2024-01-08;100", "E1;2024-01-08;101", false},
		{"E1;a;b", "E1;ab;", false},
		{"E1;a;b", "E1;a;b;", false},
		{"E1;;", "E1;", false},
		{`E1;"a;b";1`, "E1;a;b;1", false},
		{`E1;"a;b"`, "E1;a;b", false},
		{`"a;";b`, `a;";b"`, false},
		{`"a;b";"c"`, `"a";"b;c"`, false},
		{"E1; 1", "E1;1", false},
	}
	for _, tt := range tests {
		rh := rowHasher{delim: ';'}
		ha, _ := rh.sum([]byte(tt.a))
		hb, _ := rh.sum([]byte(tt.b))
		if (ha == hb) != tt.same {
			t.Errorf("%q and %q: same hash = %v, want %v", tt.a, tt.b, ha == hb, tt.same)
		}
	}
}

func TestVisibleASCII(t *testing.T) {
	for _, c := range []byte{0, '\t', ' ', '!', '~', 0x7f, 0x80, 0xff} {
		for n := 1; n <= 17; n++ {
			for at := 0; at < n; at++ {
				b := []byte(strings.Repeat("a", n))
				b[at] = c
				want := c > ' ' && c < 0x80
				if got := visibleASCII(b); got != want {
					t.Fatalf("%q: visibleASCII = %v, want %v", b, got, want)
				}
			}
		}
	}
}
