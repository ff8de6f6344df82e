package ingest

import (
	"strings"
	"unicode"
)

// normaliseHeader returns a column name as a person reads it: spreadsheets
// and exporters leave stray bytes in headers that no one sees — a CR or LF
// inside a name, a byte order mark, a non-breaking space, quotes around the
// name — and a profile's column must still match it.
func normaliseHeader(h string) string {
	h = strings.Map(func(r rune) rune {
		switch {
		case r == '\uFEFF' || r == '\u200B' || r == '\u200C' || r == '\u200D' || r == '\u2060':
			return -1 // byte order mark and zero-width characters
		case unicode.IsSpace(r) || unicode.IsControl(r): // CR, LF, tab, NBSP, …
			return ' '
		}
		return r
	}, h)
	h = strings.Join(strings.Fields(h), " ")
	for len(h) >= 2 && (h[0] == '"' && h[len(h)-1] == '"' || h[0] == '\'' && h[len(h)-1] == '\'') {
		h = strings.TrimSpace(h[1 : len(h)-1])
	}
	return h
}

// columnKey is what a file's header and a profile's column are matched on.
func columnKey(h string) string { return strings.ToLower(normaliseHeader(h)) }
