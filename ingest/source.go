package ingest

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// sourceFile is what was learned about an input file before it is loaded.
type sourceFile struct {
	Path       string
	SHA256     string
	Size       int64
	Encoding   string // utf-8 | windows-1252
	BOM        bool
	Delimiter  string
	LineEnding string // CRLF | LF | mixed
	Header     []string
	Notes      []string // for the user, e.g. about the encoding
	checkUTF8  bool     // read as UTF-8 but not valid throughout: check each row
}

// Detected describes the file for the user, e.g. "windows-1252, ';', CRLF".
func (sf *sourceFile) Detected() string {
	enc := sf.Encoding
	if sf.BOM {
		enc += " with BOM"
	}
	delim := sf.Delimiter
	if delim == "\t" {
		delim = "tab"
	}
	return fmt.Sprintf("encoding %s, delimiter '%s', line endings %s", enc, delim, sf.LineEnding)
}

// inspectSource reads the whole file once: its hash (the ledger key), whether
// it is valid UTF-8, its line endings, delimiter and header. With limits (not
// when only planning), a header beyond them makes a bad file.
func inspectSource(path string, p *Profile, lim Limits) (*sourceFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	check := &utf8Checker{valid: true}
	head := &prefixKeeper{limit: max(256<<10, lim.MaxLineBytes+2)}
	n, err := io.Copy(io.MultiWriter(h, check, head), f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	sf := &sourceFile{Path: path, SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}
	if n == 0 {
		return nil, badFile{fmt.Errorf("%s is empty (0 bytes): nothing to import", path)}
	}
	sample := head.buf
	sf.BOM = bytes.HasPrefix(sample, utf8BOM)
	sample = bytes.TrimPrefix(sample, utf8BOM)
	if bytes.IndexByte(sample[:min(len(sample), 8192)], 0) >= 0 {
		return nil, badFile{fmt.Errorf("%s is not a text file (it contains NUL bytes); export it as CSV", path)}
	}

	valid := check.finish()
	switch {
	case p.Encoding != "auto":
		sf.Encoding = p.Encoding
	case valid || sf.BOM:
		sf.Encoding = "utf-8"
	default:
		ev, err := countUTF8(path)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		sf.Encoding = ev.encoding()
		if sf.Encoding == "windows-1252" && ev.multiByte > 0 {
			sf.Notes = append(sf.Notes, fmt.Sprintf("line %d holds characters that look like UTF-8 in a file read as Windows-1252 (%q); check that line", ev.firstLine, ev.firstSeen))
		}
	}
	sf.checkUTF8 = sf.Encoding == "utf-8" && !valid
	if sf.Encoding == "windows-1252" {
		sample, _ = charmap.Windows1252.NewDecoder().Bytes(sample)
	}

	crlf := bytes.Count(sample, []byte("\r\n"))
	lf := bytes.Count(sample, []byte("\n"))
	switch {
	case lf == 0 && bytes.IndexByte(sample, '\r') >= 0:
		return nil, badFile{fmt.Errorf("%s uses old Mac line endings (CR only); save it with Windows (CRLF) or Unix (LF) line endings", path)}
	case crlf == lf:
		sf.LineEnding = "CRLF"
	case crlf == 0:
		sf.LineEnding = "LF"
	default:
		sf.LineEnding = "mixed"
	}

	headerLine, complete := firstNonBlankLine(sample)
	sf.Delimiter = p.Delimiter
	var sniffErr error
	if sf.Delimiter == "auto" {
		sf.Delimiter, sniffErr = sniffDelimiter(headerLine)
	}
	if lim.MaxFields > 0 {
		if err := sf.checkHeader(headerLine, complete || int64(len(head.buf)) == n, lim); err != nil {
			return nil, err
		}
	}
	if sniffErr != nil {
		return nil, badFile{fmt.Errorf("%s: %w", path, sniffErr)}
	}
	r := csv.NewReader(strings.NewReader(headerLine))
	r.Comma = rune(sf.Delimiter[0])
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		return nil, badFile{fmt.Errorf("%s line 1: cannot read the header: %w", path, err)}
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	sf.Header = header
	return sf, nil
}

// checkHeader refuses a header beyond the limits or with bytes that are not
// UTF-8 in a UTF-8 file: without a header nothing else can be read.
func (sf *sourceFile) checkHeader(line string, complete bool, lim Limits) error {
	delim := byte(';') // when none could be found
	if sf.Delimiter != "" {
		delim = sf.Delimiter[0]
	}
	scan := rowScanner{delim: delim, maxField: lim.MaxFieldBytes}
	scan.reset()
	scan.feed([]byte(line))
	shape := scan.shape()
	shape.moreBytes = !complete
	if reason, _ := lim.exceeded(shape); reason != "" {
		return badFile{fmt.Errorf("%s line 1 (the header) %s", sf.Path, reason)}
	}
	if sf.checkUTF8 && !utf8.ValidString(line) {
		return badFile{fmt.Errorf("%s line 1 (the header) %s", sf.Path, notUTF8([]byte(line)))}
	}
	return nil
}

// firstNonBlankLine returns the header line of a sample, and whether its end
// is in the sample.
func firstNonBlankLine(b []byte) (string, bool) {
	for len(b) > 0 {
		line, complete := b, false
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b, complete = b[:i], b[i+1:], true
		} else {
			b = nil
		}
		if s := strings.TrimRight(string(line), "\r"); strings.TrimSpace(s) != "" {
			return s, complete
		}
	}
	return "", true
}

// sniffDelimiter picks the candidate that splits the header most often.
func sniffDelimiter(header string) (string, error) {
	best, bestCount := "", 0
	for _, d := range []string{";", ",", "\t", "|"} {
		if c := strings.Count(header, d); c > bestCount {
			best, bestCount = d, c
		}
	}
	if best == "" {
		return "", errors.New("line 1: cannot tell the delimiter: the header has no ';', ',', tab or '|' (is this a CSV export?)")
	}
	return best, nil
}

// rowReject is a row rejected as a whole, before its fields are read. The
// row itself is not kept: it may hold anything, names included; its line
// finds it in the file.
type rowReject struct {
	line           int64
	column, reason string
	// unreadable: beyond the limits or not in the file's encoding, as
	// opposed to a row with the wrong number of fields.
	unreadable bool
}

// maxUnreadable: a file with more rows that cannot be read is not an
// export with a few bad rows but a bad file, refused at once.
const maxUnreadable = 1000

// writeNumbered copies the file as UTF-8 to dst with the line number of each
// record (as a text editor counts it) prepended as an extra first column.
// That number travels with the row through DuckDB, so every error names the
// right line even after quoted line breaks, blank lines or rejected rows.
// Blank lines (also lines of only delimiters, as spreadsheets write them) are
// skipped. It returns the number of data records read, with the rows it
// rejected itself (see judgeRow): DuckDB gets only rows it can read cheaply.
// It refuses the whole file (a badFile error) for what only a damaged file
// or one that is not CSV holds: a NUL byte, a CR inside a row, a quote that
// swallows the rest of the file, or rows mostly unreadable.
func (sf *sourceFile) writeNumbered(dst string, lim Limits) (records int64, rejects []rowReject, err error) {
	in, err := os.Open(sf.Path)
	if err != nil {
		return 0, nil, err
	}
	defer in.Close()
	var src io.Reader = in
	if sf.BOM {
		if _, err := in.Seek(int64(len(utf8BOM)), io.SeekStart); err != nil {
			return 0, nil, err
		}
	}
	if sf.Encoding == "windows-1252" {
		src = charmap.Windows1252.NewDecoder().Reader(in)
	}
	out, err := os.Create(dst)
	if err != nil {
		return 0, nil, err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriterSize(out, 1<<20)
	// A line that fits the limit always comes whole: a partial read
	// (ErrBufferFull) means a row already too long.
	r := bufio.NewReaderSize(src, max(1<<20, lim.MaxLineBytes+2))
	delim := sf.Delimiter[0]

	var (
		line       int64 // physical line being read
		startLine  int64 // first physical line of the current record
		inRecord   bool
		heldCR     bool // a partial read ended in CR: part of the line end, or not
		rec        []byte
		unreadable []rowReject
		scan       = rowScanner{delim: delim, maxField: lim.MaxFieldBytes}
		headerDone bool
		numBuf     []byte
	)
	for {
		chunk, rerr := r.ReadSlice('\n')
		if bytes.IndexByte(chunk, 0) >= 0 {
			return records, nil, sf.badLine(line+1, "contains a NUL byte: this is not a text file (or it was saved as UTF-16 \"Unicode text\"); export it as CSV")
		}
		if !inRecord && (len(chunk) > 0 || rerr == nil) {
			startLine, inRecord = line+1, true
			scan.reset()
		}
		if len(rec) <= lim.MaxLineBytes { // past the limit the row is refused: its bytes are not needed
			rec = append(rec, chunk...)
		}
		if rerr == bufio.ErrBufferFull {
			if heldCR {
				scan.feed(cr)
			}
			chunk, heldCR = bytes.CutSuffix(chunk, cr)
			scan.feed(chunk)
			continue
		}
		if !inRecord { // nothing more to read
			if rerr != io.EOF {
				return records, nil, rerr
			}
			break
		}
		if len(chunk) > 0 || line < startLine {
			line++
		}
		content := trimLineEnd(chunk)
		if heldCR && len(content) > 0 {
			scan.feed(cr)
		}
		heldCR = false
		scan.feed(content)
		if scan.inQuotes() && rerr == nil {
			scan.feed(chunk[len(content):]) // a quoted value runs on to the next line
			continue
		}
		inRecord = false
		body := trimLineEnd(rec)
		rec = rec[:0]
		shape := scan.shape()
		keep := shape.bytes > lim.MaxLineBytes || !isBlankRecord(body, delim)
		switch {
		case !keep:
		case !headerDone:
			// inspectSource read the header. DuckDB gets the names it is told
			// to read (c1, c2, …): whatever the header holds, a stray CR or
			// quote included, it then skips a clean line.
			w.WriteString("__line")
			for i := range sf.Header {
				w.WriteByte(delim)
				w.WriteString("c" + strconv.Itoa(i+1))
			}
			w.WriteByte('\n')
			headerDone, keep = true, false
		default:
			records++
			reject, err := sf.judgeRow(&scan, body, startLine, line, lim)
			switch {
			case err != nil:
				return records, nil, err
			case reject.reason == "":
				numBuf = strconv.AppendInt(numBuf[:0], startLine, 10)
				w.Write(numBuf)
			case reject.unreadable && len(unreadable) == maxUnreadable:
				return records, nil, badFile{fmt.Errorf("%s: more than %s rows cannot be read, the first on line %d: %s; the file is refused", sf.Path, thousands(maxUnreadable), unreadable[0].line, unreadable[0].reason)}
			default:
				if reject.unreadable {
					unreadable = append(unreadable, reject)
				}
				rejects = append(rejects, reject)
				keep = false
			}
		}
		if keep {
			w.WriteByte(delim)
			w.Write(body)
			w.WriteByte('\n')
		}
		if rerr != nil {
			if rerr != io.EOF {
				return records, nil, rerr
			}
			break
		}
	}
	if n := int64(len(unreadable)); n > 0 && 2*n >= records {
		first := unreadable[0]
		where := fmt.Sprintf("line %d", first.line)
		if first.column != "" {
			where += fmt.Sprintf(", column %q:", first.column)
		}
		share := fmt.Sprintf("%s of its %s rows cannot be read", thousands(n), thousands(records))
		if n == records {
			share = "no row of it can be read"
		}
		return records, nil, badFile{fmt.Errorf("%s %s %s (%s, so the file is refused)", sf.Path, where, first.reason, share)}
	}
	return records, rejects, w.Flush()
}

// judgeRow decides on a data row read whole, from line first to line last:
// a reason to reject it (none: it goes on to DuckDB), or an error for what
// only a damaged file holds. A row with another number of fields than the
// header is rejected here too: DuckDB reports such a row once for every
// field it cannot place, which took it 44 s and 2 GB for 5,000 rows of 199
// fields.
func (sf *sourceFile) judgeRow(scan *rowScanner, body []byte, first, last int64, lim Limits) (rowReject, error) {
	reason, field := lim.exceeded(scan.shape())
	switch {
	case scan.strayCR:
		return rowReject{}, sf.badLine(first, "holds a carriage return (CR) inside the row: the file mixes line endings or is damaged; save it with Windows (CRLF) or Unix (LF) line endings, or export it again")
	case scan.inQuotes() && last > first:
		return rowReject{}, sf.badLine(first, fmt.Sprintf("has a quote (\") that opens a value which is never closed, so the rest of the file (%s lines) cannot be read; correct the line or export the file again", thousands(last-first+1)))
	case reason != "":
		return rowReject{first, sf.column(field), reason, true}, nil
	case scan.inQuotes():
		return rowReject{first, "", "has a quote (\") that opens a value which is never closed", true}, nil
	case sf.checkUTF8 && !utf8.Valid(body):
		at := invalidUTF8At(body)
		return rowReject{first, sf.column(fieldAt(body[:at], sf.Delimiter[0])), notUTF8(body[at:]), true}, nil
	case scan.fields != len(sf.Header):
		return rowReject{line: first, reason: fieldCountReason(scan.fields, len(sf.Header))}, nil
	}
	return rowReject{}, nil
}

func fieldCountReason(fields, header int) string {
	return fmt.Sprintf("has %d fields where the header has %d", fields, header)
}

func (sf *sourceFile) badLine(line int64, why string) error {
	return badFile{fmt.Errorf("%s line %d %s", sf.Path, line, why)}
}

var cr = []byte{'\r'}

// trimLineEnd cuts the CRs and LFs that end b.
func trimLineEnd(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// column is the header name of field i, or "" for the whole row or a field
// beyond the header.
func (sf *sourceFile) column(i int) string {
	if i < 0 || i >= len(sf.Header) {
		return ""
	}
	return sf.Header[i]
}

func isBlankRecord(b []byte, delim byte) bool {
	for _, c := range b {
		if c != delim && c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

// rowScanner follows RFC 4180 quoting across the physical lines of one
// record: a quote opens a quoted field only at the start of a field, so a
// stray quote inside a value does not swallow the lines after it. It
// measures the row for the limits and notes a CR outside quotes, which no
// CSV reader can place. It is fed each line without its line end, and the
// line end only when a quoted value runs on.
type rowScanner struct {
	delim    byte
	maxField int // values up to this size need not be measured exactly
	state    int
	fields   int // fields begun
	field    int // bytes of the current field
	size     int // bytes of the row
	widest   int
	widestI  int
	strayCR  bool
}

const (
	fieldStart = iota
	unquoted
	quoted
	quoteInQuoted
)

func (q *rowScanner) reset() { *q = rowScanner{delim: q.delim, maxField: q.maxField, fields: 1} }

func (q *rowScanner) inQuotes() bool { return q.state == quoted }

func (q *rowScanner) shape() rowShape {
	widest, at := q.widest, q.widestI
	if q.field > widest {
		widest, at = q.field, q.fields-1
	}
	return rowShape{fields: q.fields, bytes: q.size, widest: widest, widestField: at}
}

func (q *rowScanner) endField() {
	if q.field > q.widest {
		q.widest, q.widestI = q.field, q.fields-1
	}
	q.fields++
	q.field = 0
}

func (q *rowScanner) feed(b []byte) {
	q.size += len(b)
	if q.state != quoted && bytes.IndexByte(b, '"') < 0 {
		q.feedUnquoted(b)
		return
	}
	for _, c := range b {
		if c == q.delim && q.state != quoted {
			q.endField()
			q.state = fieldStart
			continue
		}
		q.field++
		switch q.state {
		case fieldStart:
			q.state = unquoted
			if c == '"' {
				q.state = quoted
			}
		case quoted:
			if c == '"' {
				q.state = quoteInQuoted
			}
			continue
		case quoteInQuoted:
			q.state = unquoted
			if c == '"' {
				q.state = quoted
				continue
			}
		}
		if c == '\r' {
			q.strayCR = true
		}
	}
}

// feedUnquoted is the fast path, for a line without quotes: the common
// case, counted with the bytes package's vector instructions. The widest
// value is measured exactly only when one could exceed maxField.
func (q *rowScanner) feedUnquoted(b []byte) {
	if len(b) == 0 {
		return
	}
	if bytes.IndexByte(b, '\r') >= 0 {
		q.strayCR = true
	}
	last := bytes.LastIndexByte(b, q.delim)
	if q.field+len(b) > q.maxField {
		for len(b) > 0 {
			i := bytes.IndexByte(b, q.delim)
			if i < 0 {
				break
			}
			q.field += i
			q.endField()
			b = b[i+1:]
		}
	} else if last >= 0 {
		q.fields += bytes.Count(b, []byte{q.delim})
		b, q.field = b[last+1:], 0
	}
	q.field += len(b)
	q.state = unquoted
	if len(b) == 0 {
		q.state = fieldStart
	}
}

// fieldAt is the index of the field that starts after b (a row's beginning).
func fieldAt(b []byte, delim byte) int {
	scan := rowScanner{delim: delim}
	scan.reset()
	scan.feed(b)
	return scan.fields - 1
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

// countUTF8 reads the file again to weigh the evidence; only files that are
// not valid UTF-8 need it.
func countUTF8(path string) (utf8Evidence, error) {
	var ev utf8Evidence
	f, err := os.Open(path)
	if err != nil {
		return ev, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	line := int64(1)
	for {
		// A sequence cut by a partial read of a very long line is miscounted;
		// the counts are evidence, not a verdict on each byte.
		chunk, err := r.ReadSlice('\n')
		for i := 0; i < len(chunk); {
			if chunk[i] < utf8.RuneSelf {
				i++
				continue
			}
			rn, size := utf8.DecodeRune(chunk[i:])
			switch {
			case rn == utf8.RuneError && size == 1:
				ev.invalid++
			case ev.multiByte == 0:
				ev.firstLine = line
				ev.firstSeen, _ = charmap.Windows1252.NewDecoder().String(string(chunk[i : i+size]))
				fallthrough
			default:
				ev.multiByte++
			}
			i += size
		}
		switch err {
		case nil:
			line++
		case bufio.ErrBufferFull:
		case io.EOF:
			return ev, nil
		default:
			return ev, err
		}
	}
}

// utf8Checker reports whether a stream is valid UTF-8, across chunk borders.
type utf8Checker struct {
	carry []byte
	valid bool
}

func (c *utf8Checker) Write(p []byte) (int, error) {
	if !c.valid {
		return len(p), nil
	}
	buf := append(c.carry, p...)
	cut := len(buf)
	for i := len(buf) - 1; i >= 0 && i >= len(buf)-3; i-- {
		if utf8.RuneStart(buf[i]) {
			if !utf8.FullRune(buf[i:]) {
				cut = i
			}
			break
		}
	}
	if !utf8.Valid(buf[:cut]) {
		c.valid = false
	}
	c.carry = append(c.carry[:0], buf[cut:]...)
	return len(p), nil
}

func (c *utf8Checker) finish() bool { return c.valid && len(c.carry) == 0 }

// prefixKeeper keeps the first limit bytes written to it.
type prefixKeeper struct {
	buf   []byte
	limit int
}

func (k *prefixKeeper) Write(p []byte) (int, error) {
	if room := k.limit - len(k.buf); room > 0 {
		k.buf = append(k.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}
