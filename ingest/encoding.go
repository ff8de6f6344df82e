package ingest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// utf8Evidence is what a file that is not valid UTF-8 holds: well-formed
// multi-byte UTF-8 sequences, and bytes that cannot be UTF-8.
type utf8Evidence struct {
	multiByte, invalid int64
	firstLine          int64  // line of the first multi-byte sequence
	firstSeen          string // that sequence as Windows-1252 shows it
}

// encoding decides between a UTF-8 file with a few damaged places and a
// Windows-1252 file. Windows-1252 text almost never forms a well-formed
// multi-byte UTF-8 sequence by chance (that takes a capital accented letter
// followed by a symbol such as ’ or «), while UTF-8 text with accents is
// full of them. So the file is Windows-1252 when its invalid bytes outnumber
// its multi-byte sequences; otherwise it is UTF-8, and every row holding an
// invalid byte is rejected with its line. A tie goes to UTF-8: rejected rows
// are reported, wrongly decoded letters would not be. (A valid UTF-8 file,
// a BOM or a profile's encoding never get here.)
func (e utf8Evidence) encoding() string {
	if e.invalid > e.multiByte {
		return "windows-1252"
	}
	return "utf-8"
}

// utf8Scan follows a stream written to it in chunks of any size: whether it
// is valid UTF-8, and the evidence for its encoding, weighed in the same
// pass (sequences cut between two chunks are carried over). While the
// stream is valid it checks whole chunks at the speed of utf8.Valid.
type utf8Scan struct {
	valid    bool
	evidence utf8Evidence
	carry    []byte // an incomplete sequence at the end of the last chunk
	lines    int64  // line ends seen, until the first multi-byte sequence
}

func (u *utf8Scan) Write(p []byte) (int, error) {
	if u.valid && u.evidence.multiByte == 0 && len(u.carry) == 0 && nextNonASCII(p, 0) == len(p) {
		// ASCII so far and in this chunk too, as most exports are
		// throughout: valid, and only its lines to count.
		u.lines += int64(bytes.Count(p, []byte{'\n'}))
		return len(p), nil
	}
	buf := p
	if len(u.carry) > 0 {
		buf = append(u.carry, p...)
	}
	cut := len(buf)
	for i := len(buf) - 1; i >= 0 && i >= len(buf)-3; i-- {
		if utf8.RuneStart(buf[i]) {
			if !utf8.FullRune(buf[i:]) {
				cut = i
			}
			break
		}
	}
	if u.valid && !utf8.Valid(buf[:cut]) {
		u.valid = false
	}
	u.weigh(buf[:cut])
	u.carry = append(u.carry[:0], buf[cut:]...)
	return len(p), nil
}

// weigh counts the multi-byte sequences and invalid bytes of b, and the
// line of the first sequence. Stretches of ASCII are skipped a word at a
// time; only an invalid stream is decoded rune by rune.
func (u *utf8Scan) weigh(b []byte) {
	ev := &u.evidence
	if u.valid {
		if ev.multiByte == 0 {
			i := nextNonASCII(b, 0)
			u.lines += int64(bytes.Count(b[:i], []byte{'\n'}))
			if i == len(b) {
				return
			}
			_, size := utf8.DecodeRune(b[i:])
			ev.firstLine = u.lines + 1
			ev.firstSeen, _ = charmap.Windows1252.NewDecoder().String(string(b[i : i+size]))
			b = b[i:]
		}
		for i := nextNonASCII(b, 0); i < len(b); i = nextNonASCII(b, i+1) {
			if b[i] >= 0xC0 { // valid UTF-8: one lead byte per sequence
				ev.multiByte++
			}
		}
		return
	}
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			if b[i] == '\n' && ev.multiByte == 0 {
				u.lines++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			ev.invalid++
		case ev.multiByte == 0:
			ev.firstLine = u.lines + 1
			ev.firstSeen, _ = charmap.Windows1252.NewDecoder().String(string(b[i : i+size]))
			fallthrough
		default:
			ev.multiByte++
		}
		i += size
	}
}

// nextNonASCII is the index of the first byte of b from i on that is not
// ASCII, or len(b).
func nextNonASCII(b []byte, i int) int {
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 != 0 {
			break
		}
	}
	for ; i < len(b) && b[i] < utf8.RuneSelf; i++ {
	}
	return i
}

// finish weighs what is left at the end: an incomplete sequence is invalid.
func (u *utf8Scan) finish() {
	if len(u.carry) > 0 {
		u.valid = false
		u.evidence.invalid += int64(len(u.carry))
		u.carry = nil
	}
}

// invalidUTF8At is the offset of the first byte in b that is not UTF-8.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// notUTF8 explains the byte b[0] that is not UTF-8, with the letter it is in
// Windows-1252, which is what it almost always is.
func notUTF8(b []byte) string {
	letter := ""
	if r := charmap.Windows1252.DecodeByte(b[0]); r != utf8.RuneError && unicode.IsPrint(r) {
		letter = fmt.Sprintf(", \"%c\" in Windows-1252", r)
	}
	return fmt.Sprintf("holds a character that is not UTF-8 (byte 0x%02X%s); correct it, or export the file again as UTF-8", b[0], letter)
}

var cr = []byte{'\r'}

// trimLineEnd cuts the CRs and LFs that end b.
func trimLineEnd(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') { // bytes.TrimRight costs more, once a row
		b = b[:len(b)-1]
	}
	return b
}
