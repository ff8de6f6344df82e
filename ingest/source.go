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
// it is valid UTF-8, its line endings, delimiter and header.
func inspectSource(path string, p *Profile) (*sourceFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	check := &utf8Checker{valid: true}
	head := &prefixKeeper{limit: 256 << 10}
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
	switch p.Encoding {
	case "auto":
		sf.Encoding = "utf-8"
		if !valid && !sf.BOM {
			sf.Encoding = "windows-1252"
		}
	default:
		sf.Encoding = p.Encoding
	}
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

	headerLine := firstNonBlankLine(sample)
	sf.Delimiter = p.Delimiter
	if sf.Delimiter == "auto" {
		if sf.Delimiter, err = sniffDelimiter(headerLine); err != nil {
			return nil, badFile{fmt.Errorf("%s: %w", path, err)}
		}
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

func firstNonBlankLine(b []byte) string {
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		if s := strings.TrimRight(string(line), "\r"); strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
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

// writeNumbered copies the file as UTF-8 to dst with the line number of each
// record (as a text editor counts it) prepended as an extra first column.
// That number travels with the row through DuckDB, so every error names the
// right line even after quoted line breaks, blank lines or rejected rows.
// Blank lines (also lines of only delimiters, as spreadsheets write them) are
// skipped. It returns the number of data records written.
func (sf *sourceFile) writeNumbered(dst string) (records int64, err error) {
	in, err := os.Open(sf.Path)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	var src io.Reader = in
	if sf.BOM {
		if _, err := in.Seek(int64(len(utf8BOM)), io.SeekStart); err != nil {
			return 0, err
		}
	}
	if sf.Encoding == "windows-1252" {
		src = charmap.Windows1252.NewDecoder().Reader(in)
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600) // a clear-text copy: the owner's only
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriterSize(out, 1<<20)
	r := bufio.NewReaderSize(src, 1<<20)
	delim := sf.Delimiter[0]

	var (
		line       int64 // physical line being read
		startLine  int64 // first physical line of the current record
		rec        []byte
		scan       quoteScanner
		headerDone bool
		numBuf     []byte
	)
	scan.delim = delim
	for {
		chunk, rerr := r.ReadSlice('\n')
		if rerr == bufio.ErrBufferFull { // a line longer than the buffer
			if len(rec) == 0 {
				startLine = line + 1
				scan.reset()
			}
			rec = append(rec, chunk...)
			scan.feed(chunk)
			continue
		}
		if len(chunk) == 0 && rerr == io.EOF && len(rec) == 0 {
			break
		}
		line++
		if len(rec) == 0 {
			startLine = line
			scan.reset()
		}
		rec = append(rec, chunk...)
		// Only the newly read physical line needs scanning for quotes.
		scan.feed(chunk)
		if scan.inQuotes() && rerr == nil {
			continue // a quoted field runs on to the next line
		}
		body := bytes.TrimRight(rec, "\r\n")
		if !isBlankRecord(body, delim) {
			if !headerDone {
				w.WriteString("__line")
				headerDone = true
			} else {
				numBuf = strconv.AppendInt(numBuf[:0], startLine, 10)
				w.Write(numBuf)
				records++
			}
			w.WriteByte(delim)
			w.Write(body)
			w.WriteByte('\n')
		}
		rec = rec[:0]
		if rerr != nil {
			if rerr != io.EOF {
				return records, rerr
			}
			break
		}
	}
	return records, w.Flush()
}

func isBlankRecord(b []byte, delim byte) bool {
	for _, c := range b {
		if c != delim && c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

// quoteScanner follows RFC 4180 quoting across the physical lines of one
// record: a quote opens a quoted field only at the start of a field, so a
// stray quote inside a value does not swallow the lines after it.
type quoteScanner struct {
	delim byte
	state int
}

const (
	fieldStart = iota
	unquoted
	quoted
	quoteInQuoted
)

func (q *quoteScanner) reset() { q.state = fieldStart }

func (q *quoteScanner) inQuotes() bool { return q.state == quoted }

func (q *quoteScanner) feed(b []byte) {
	if q.state != quoted && bytes.IndexByte(b, '"') < 0 {
		if len(b) > 0 { // fast path: no quotes on this line
			q.state = unquoted
			if b[len(b)-1] == q.delim {
				q.state = fieldStart
			}
		}
		return
	}
	for _, c := range b {
		switch q.state {
		case fieldStart:
			switch c {
			case '"':
				q.state = quoted
			case q.delim:
			default:
				q.state = unquoted
			}
		case unquoted:
			if c == q.delim {
				q.state = fieldStart
			}
		case quoted:
			if c == '"' {
				q.state = quoteInQuoted
			}
		case quoteInQuoted:
			switch c {
			case '"':
				q.state = quoted
			case q.delim:
				q.state = fieldStart
			default:
				q.state = unquoted
			}
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
