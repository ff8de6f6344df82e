package ingest

import (
	"hash/maphash"
	"strconv"
)

// rowHasher hashes each data row of the numbered copy as DuckDB's CSV
// reader reads its values: quotes removed ("" inside quotes is one quote)
// and an empty value, quoted or not, NULL. Rows that read the same hash
// the same, whatever types their columns are later read as, so finding
// repeated rows needs no second reading of the values as text.
type rowHasher struct {
	h     maphash.Hash
	delim byte
	value []byte
	out   []byte
}

// appendHash appends the hash of row body as a decimal number.
func (rh *rowHasher) appendHash(dst, body []byte) []byte {
	rh.h.Reset()
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
	return strconv.AppendUint(dst, rh.h.Sum64(), 10)
}
