package ingest

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Source is an input file as its inspection found it: its content hash (the
// ledger's key), encoding, delimiter, line endings, header and the profile
// it is read with. Inspecting reads the file once; the import then reads it
// once more, to copy it for DuckDB (numbered.go), and works from this for
// everything else. Only the inspection takes the SHA-256; the copy holds
// the bytes it reads to the inspection's checksum.
type Source struct {
	Path    string
	Profile *Profile
	SHA256  string
	// Notes are for the user, such as a doubt about the encoding.
	Notes []string

	size       int64
	checksum   checksum // of the bytes inspected
	encoding   string   // utf-8 | windows-1252
	bom        bool
	delimiter  string
	lineEnding string // CRLF | LF | mixed
	header     []string
	headerLine string // as read, for the limits
	complete   bool   // the header line ends within the part of the file kept
	checkUTF8  bool   // read as UTF-8 but not valid throughout: check each row
	limits     Limits // the limits the header was read for
	// err is why the file could not be inspected, kept by Plan for a file
	// whose profile was given, so that only its own import fails.
	err error
}

// Detected describes the file for a payroll administrator, in words, e.g.
// "Windows text, fields separated by ';'" (the import adds the dates). A
// BOM and the line endings are left out: they change nothing for the user,
// unless the lines end in mixed ways.
func (src *Source) Detected() string {
	text := "UTF-8 text"
	if src.encoding == "windows-1252" {
		text = "Windows text"
	}
	delim := "'" + src.delimiter + "'"
	if src.delimiter == "\t" {
		delim = "tabs"
	}
	out := fmt.Sprintf("%s, fields separated by %s", text, delim)
	if src.lineEnding == "mixed" {
		out += ", mixed line endings"
	}
	return out
}

// Inspect reads the file once and reads its header with profile p, or with
// the built-in profile that fits the header when p is nil. A header beyond
// the limits makes a bad file.
func Inspect(path string, p *Profile, lim Limits) (*Source, error) {
	return inspect(path, p, lim.orDefault(), true)
}

// inspect is Inspect; without checkLimits the header is not yet held to the
// limits (planning), which the import then does.
func inspect(path string, p *Profile, lim Limits, checkLimits bool) (*Source, error) {
	start := time.Now()
	defer func() { slog.Debug("import step", "file", path, "took", time.Since(start), "step", "inspection") }()
	whole, err := readWhole(path, lim)
	if err != nil {
		return nil, err
	}
	probe := p
	if probe == nil {
		probe = &Profile{Encoding: "auto", Delimiter: "auto"}
	}
	src, err := whole.read(probe, checkLimits)
	if err != nil || p != nil {
		return src, err
	}
	chosen, err := chooseProfile(src.header)
	if err != nil {
		return nil, badFile{fmt.Errorf("%s: %w", path, err)}
	}
	return whole.read(chosen, checkLimits)
}

// wholeFile is what the one reading pass learns of a file.
type wholeFile struct {
	path     string
	sha256   string
	checksum checksum
	size     int64
	sample   []byte // the first bytes, enough for a header at the limits
	utf8     utf8Scan
	limits   Limits
}

// readWhole reads the file once: its hash, whether it is valid UTF-8 (and
// if not, the evidence for its encoding), and its first bytes.
func readWhole(path string, lim Limits) (*wholeFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	w := &wholeFile{path: path, limits: lim, utf8: utf8Scan{valid: true}}
	head := &prefixKeeper{limit: max(256<<10, lim.MaxLineBytes+2)}
	var sum []byte
	if w.size, sum, err = copySHA256(io.MultiWriter(&w.checksum, &w.utf8, head), f); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	w.utf8.finish()
	w.sha256, w.sample = hex.EncodeToString(sum), head.buf
	if w.size == 0 {
		return nil, badFile{fmt.Errorf("%s is empty (0 bytes): nothing to import", path)}
	}
	return w, nil
}

// copySHA256 copies r to w and returns the SHA-256 of what it copied,
// taken on a goroutine of its own while w reads each block, so that the
// file is read once and both cores work.
func copySHA256(w io.Writer, r io.Reader) (size int64, sum []byte, err error) {
	const blocks = 4
	free, hashing := make(chan []byte, blocks), make(chan []byte, blocks)
	for range blocks {
		free <- make([]byte, 256<<10)
	}
	hashed := make(chan []byte)
	go func() {
		h := sha256.New()
		for b := range hashing {
			h.Write(b)
			free <- b[:cap(b)] // w is done with it: it takes the next block only when done with this one
		}
		hashed <- h.Sum(nil)
	}()
	for err == nil {
		b := <-free
		var n int
		n, err = r.Read(b)
		if n > 0 {
			hashing <- b[:n]
			size += int64(n)
			if _, werr := w.Write(b[:n]); werr != nil {
				err = werr
			}
		}
	}
	close(hashing)
	sum = <-hashed
	if err == io.EOF {
		err = nil
	}
	return size, sum, err
}

// checksum is a cheap fingerprint of a file's bytes, their number and
// CRC-32C (a machine instruction): by it the numbered copy knows that it
// reads the content inspected, without a second SHA-256 pass.
type checksum struct {
	n   int64
	crc uint32
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func (c *checksum) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	c.crc = crc32.Update(c.crc, castagnoli, p)
	return len(p), nil
}

// read reads the header as profile p says (or detects), from the sample.
func (w *wholeFile) read(p *Profile, checkLimits bool) (*Source, error) {
	src := &Source{Path: w.path, Profile: p, SHA256: w.sha256, size: w.size, checksum: w.checksum, limits: w.limits}
	sample := w.sample
	src.bom = bytes.HasPrefix(sample, utf8BOM)
	sample = bytes.TrimPrefix(sample, utf8BOM)
	if bytes.IndexByte(sample[:min(len(sample), 8192)], 0) >= 0 {
		return nil, badFile{fmt.Errorf("%s is not a text file (it contains NUL bytes); export it as CSV", w.path)}
	}
	valid := w.utf8.valid
	switch {
	case p.Encoding != "auto":
		src.encoding = p.Encoding
	case valid || src.bom:
		src.encoding = "utf-8"
	default:
		ev := w.utf8.evidence
		src.encoding = ev.encoding()
		if src.encoding == "windows-1252" && ev.multiByte > 0 {
			src.Notes = append(src.Notes, fmt.Sprintf("line %d holds characters that look like UTF-8 in a file read as Windows-1252 (%q); check that line", ev.firstLine, ev.firstSeen))
		}
	}
	src.checkUTF8 = src.encoding == "utf-8" && !valid
	if src.encoding == "windows-1252" {
		sample, _ = charmap.Windows1252.NewDecoder().Bytes(sample)
	}

	crlf := bytes.Count(sample, []byte("\r\n"))
	lf := bytes.Count(sample, []byte("\n"))
	switch {
	case lf == 0 && bytes.IndexByte(sample, '\r') >= 0:
		return nil, badFile{fmt.Errorf("%s uses old Mac line endings (CR only); save it with Windows (CRLF) or Unix (LF) line endings", w.path)}
	case crlf == lf:
		src.lineEnding = "CRLF"
	case crlf == 0:
		src.lineEnding = "LF"
	default:
		src.lineEnding = "mixed"
	}

	headerLine, complete := firstNonBlankLine(sample)
	src.headerLine, src.complete = headerLine, complete || int64(len(w.sample)) == w.size
	src.delimiter = p.Delimiter
	var sniffErr error
	if src.delimiter == "auto" {
		src.delimiter, sniffErr = sniffDelimiter(headerLine)
	}
	if checkLimits {
		if err := src.checkHeader(); err != nil {
			return nil, err
		}
	}
	if sniffErr != nil {
		return nil, badFile{fmt.Errorf("%s: %w", w.path, sniffErr)}
	}
	r := csv.NewReader(strings.NewReader(headerLine))
	r.Comma = rune(src.delimiter[0])
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		return nil, badFile{fmt.Errorf("%s line 1: cannot read the header: %w", w.path, err)}
	}
	for i := range header {
		header[i] = normaliseHeader(header[i])
	}
	src.header = header
	return src, nil
}

// checkHeader refuses a header beyond the limits or with bytes that are not
// UTF-8 in a UTF-8 file: without a header nothing else can be read.
func (src *Source) checkHeader() error {
	delim := byte(';') // when none could be found
	if src.delimiter != "" {
		delim = src.delimiter[0]
	}
	scan := rowScanner{delim: delim, maxField: src.limits.MaxFieldBytes}
	scan.reset()
	scan.feed([]byte(src.headerLine))
	shape := scan.shape()
	shape.moreBytes = !src.complete
	if reason, _ := src.limits.exceeded(shape); reason != "" {
		return badFile{fmt.Errorf("%s line 1 (the header) %s", src.Path, reason)}
	}
	if src.checkUTF8 && !utf8.ValidString(src.headerLine) {
		return badFile{fmt.Errorf("%s line 1 (the header) %s", src.Path, notUTF8([]byte(src.headerLine)))}
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
