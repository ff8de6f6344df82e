package ingest

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
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
	delim byte
	canon []byte // the values of a quoted row, as read
	ends  []int  // where each value ends in canon
}

// The values of a row are hashed in one of two spellings, each with a seed
// of its own: joined by the delimiter when no value holds it (an unquoted
// row is that spelling already, so it is hashed as it stands), or else
// each value with its length in front. One seed per process: every hasher
// of an import hashes alike.
var joinedSeed, splitSeed = maphash.MakeSeed(), maphash.MakeSeed()

// sum is the hash of row body, and whether the row is plain.
func (rh *rowHasher) sum(body []byte) (sum uint64, plain bool) {
	if bytes.IndexByte(body, '"') < 0 {
		return maphash.Bytes(joinedSeed, body), rh.plainUnquoted(body)
	}
	return rh.hashQuoted(body)
}

// plainUnquoted tells whether no value of a row without quotes begins or
// ends with a trimmed character: at once when the row has only ASCII above
// the space, as most rows.
func (rh *rowHasher) plainUnquoted(body []byte) bool {
	if visibleASCII(body) {
		return true
	}
	for {
		i := bytes.IndexByte(body, rh.delim)
		v := body
		if i >= 0 {
			v = body[:i]
		}
		if len(v) > 0 && trimmedEdge(v) {
			return false
		}
		if i < 0 {
			return true
		}
		body = body[i+1:]
	}
}

// visibleASCII tells whether b holds only ASCII characters above the
// space, looking at eight bytes at a time: a byte below 0x21 borrows into
// its top bit when 0x21 is taken from it, a byte from 0x80 has it set.
func visibleASCII(b []byte) bool {
	const ones, tops = 0x0101010101010101, 0x8080808080808080
	for ; len(b) >= 8; b = b[8:] {
		w := binary.LittleEndian.Uint64(b)
		if ((w-0x21*ones)|w)&tops != 0 {
			return false
		}
	}
	for _, c := range b {
		if c <= ' ' || c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// hashQuoted reads the values of a row with quotes into canon and hashes
// them.
func (rh *rowHasher) hashQuoted(body []byte) (sum uint64, plain bool) {
	plain = true
	rh.canon, rh.ends = rh.canon[:0], rh.ends[:0]
	delimInValue := false
	for i := 0; ; {
		start := len(rh.canon)
		if i < len(body) && body[i] == '"' {
			for i++; i < len(body); i++ {
				if body[i] == '"' {
					if i+1 < len(body) && body[i+1] == '"' {
						i++
					} else {
						break
					}
				}
				delimInValue = delimInValue || body[i] == rh.delim
				rh.canon = append(rh.canon, body[i])
			}
			for i < len(body) && body[i] != rh.delim { // past the closing quote
				i++
			}
			if len(rh.canon) == start { // "" may be read as '' rather than NULL
				plain = false
			}
		} else {
			j := i
			for i < len(body) && body[i] != rh.delim {
				i++
			}
			rh.canon = append(rh.canon, body[j:i]...)
		}
		if v := rh.canon[start:]; len(v) > 0 && trimmedEdge(v) {
			plain = false
		}
		rh.ends = append(rh.ends, len(rh.canon))
		if i >= len(body) {
			break
		}
		i++ // the delimiter
		rh.canon = append(rh.canon, rh.delim)
	}
	if !delimInValue {
		return maphash.Bytes(joinedSeed, rh.canon), plain
	}
	var h maphash.Hash
	h.SetSeed(splitSeed)
	var size [binary.MaxVarintLen64]byte
	start := 0
	for _, end := range rh.ends {
		v := rh.canon[start:end]
		h.Write(binary.AppendUvarint(size[:0], uint64(len(v))))
		h.Write(v)
		start = end + 1
	}
	return h.Sum64(), plain
}

// trimmedEdge tells whether value v begins or ends with a trimmed character.
func trimmedEdge(v []byte) bool {
	if c := v[0]; c < utf8.RuneSelf {
		if c <= ' ' {
			return true
		}
	} else if r, _ := utf8.DecodeRune(v); trimmed(r) {
		return true
	}
	if c := v[len(v)-1]; c < utf8.RuneSelf {
		return c <= ' '
	}
	r, _ := utf8.DecodeLastRune(v)
	return trimmed(r)
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
