package ingest

import (
	"hash/maphash"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// rowHasher hashes each data row of the numbered copy as DuckDB's CSV
// reader reads its values: quotes removed ("" inside quotes is one quote)
// and an empty value, quoted or not, NULL. Rows that read the same hash
// the same, whatever types their columns are later read as, so finding
// repeated rows needs no second reading of the values as text. It also
// tells whether a row is plain: no value begins or ends with what DuckDB's
// trim removes and none is a quoted empty value, so parse need not trim
// them.
type rowHasher struct {
	h     maphash.Hash
	delim byte
	value []byte
	out   []byte
}

// appendHash appends the hash of row body as a decimal number, a
// delimiter, and 1 for a plain row or 0.
func (rh *rowHasher) appendHash(dst, body []byte) []byte {
	rh.h.Reset()
	plain := byte('1')
	for i := 0; ; {
		rh.value = rh.value[:0]
		if i < len(body) && body[i] == '"' {
			for i++; i < len(body); i++ {
				if body[i] == '"' {
					if i+1 < len(body) && body[i+1] == '"' {
						i++
					} else {
						break
					}
				}
				rh.value = append(rh.value, body[i])
			}
			for i < len(body) && body[i] != rh.delim { // past the closing quote
				i++
			}
			if len(rh.value) == 0 { // "" may be read as '' rather than NULL
				plain = '0'
			}
		} else {
			start := i
			for i < len(body) && body[i] != rh.delim {
				i++
			}
			rh.value = append(rh.value, body[start:i]...)
		}
		if len(rh.value) == 0 {
			rh.h.WriteByte(0)
		} else {
			first, _ := utf8.DecodeRune(rh.value)
			last, _ := utf8.DecodeLastRune(rh.value)
			if trimmed(first) || trimmed(last) {
				plain = '0'
			}
			rh.out = strconv.AppendInt(rh.out[:0], int64(len(rh.value)), 10)
			rh.h.WriteByte(1)
			rh.h.Write(rh.out)
			rh.h.WriteByte(':')
			rh.h.Write(rh.value)
		}
		if i >= len(body) {
			break
		}
		i++ // the delimiter
	}
	dst = strconv.AppendUint(dst, rh.h.Sum64(), 10)
	return append(dst, rh.delim, plain)
}

// trimmed tells a character DuckDB's trim removes from a value's edges: a
// space separator (Unicode Zs). ASCII control characters and a broken
// character count too, to be safe: a row with one is read again as text.
func trimmed(r rune) bool {
	if r < utf8.RuneSelf {
		return r <= ' '
	}
	return r == utf8.RuneError || unicode.Is(unicode.Zs, r)
}
