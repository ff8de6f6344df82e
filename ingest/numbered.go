package ingest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

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
// record (as a text editor counts it), the hash of its values and whether it
// is plain (rowHasher) prepended as three extra columns.
// That number travels with the row through DuckDB, so every error names the
// right line even after quoted line breaks, blank lines or rejected rows.
// Blank lines (also lines of only delimiters, as spreadsheets write them) are
// skipped. It returns the number of data records read, with the rows it
// rejected itself (see judgeRow): DuckDB gets only rows it can read cheaply.
// It refuses the whole file (a badFile error) for what only a damaged file
// or one that is not CSV holds: a NUL byte, a CR inside a row, a quote that
// swallows the rest of the file, or rows mostly unreadable. This is the
// second and last time the import reads the file; a file whose bytes no
// longer match the inspection's checksum is not imported.
func (src *Source) writeNumbered(dst string, lim Limits) (records int64, rejects []rowReject, err error) {
	in, err := os.Open(src.Path)
	if err != nil {
		return 0, nil, err
	}
	defer in.Close()
	var sum checksum
	var text io.Reader = io.TeeReader(in, &sum)
	if src.bom {
		if _, err := io.CopyN(io.Discard, text, int64(len(utf8BOM))); err != nil {
			return 0, nil, err
		}
	}
	if src.encoding == "windows-1252" {
		text = charmap.Windows1252.NewDecoder().Reader(text)
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600) // a clear-text copy: the owner's only
	if err != nil {
		return 0, nil, err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	n := numberer{src: src, lim: lim, w: bufio.NewWriterSize(out, 1<<20), delim: src.delimiter[0], hash: rowHasher{delim: src.delimiter[0]}}
	// A line that fits the limit always comes whole: a partial read
	// (ErrBufferFull) means a row already too long.
	rr := recordReader{src: src, r: bufio.NewReaderSize(text, max(1<<20, lim.MaxLineBytes+2)), maxLine: lim.MaxLineBytes,
		scan: rowScanner{delim: n.delim, maxField: lim.MaxFieldBytes}}
	for {
		rec, err := rr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return n.records, nil, err
		}
		if err := n.add(&rr.scan, rec); err != nil {
			return n.records, nil, err
		}
		if rec.end == io.EOF {
			break
		}
		if rec.end != nil {
			return n.records, nil, rec.end
		}
	}
	if err := n.mostlyUnreadable(); err != nil {
		return n.records, nil, err
	}
	if sum != src.checksum {
		return n.records, nil, fmt.Errorf("%s changed while it was being imported (its content is not what was inspected); nothing of it was imported, import it again", src.Path)
	}
	return n.records, n.rejects, n.w.Flush()
}

// record is one CSV record as read: its bytes without the line end, its
// first and last physical line, and the read error that ended it, if any.
type record struct {
	body        []byte
	first, last int64
	end         error
}

// recordReader reads the records of a file, following quotes across lines
// with its rowScanner, which also measures each record.
type recordReader struct {
	src     *Source
	r       *bufio.Reader
	scan    rowScanner
	maxLine int

	line     int64 // physical line being read
	first    int64 // first physical line of the current record
	inRecord bool
	heldCR   bool // a partial read ended in CR: part of the line end, or not
	rec      []byte
}

// next reads the next record; io.EOF when there is none. The record's body
// is valid until the next call.
func (rr *recordReader) next() (record, error) {
	for {
		chunk, rerr := rr.r.ReadSlice('\n')
		if bytes.IndexByte(chunk, 0) >= 0 {
			return record{}, rr.src.badLine(rr.line+1, "contains a NUL byte: this is not a text file (or it was saved as UTF-16 \"Unicode text\"); export it as CSV")
		}
		if !rr.inRecord && (len(chunk) > 0 || rerr == nil) {
			rr.first, rr.inRecord = rr.line+1, true
			rr.scan.reset()
		}
		if len(rr.rec) <= rr.maxLine { // past the limit the row is refused: its bytes are not needed
			rr.rec = append(rr.rec, chunk...)
		}
		if rerr == bufio.ErrBufferFull {
			if rr.heldCR {
				rr.scan.feed(cr)
			}
			chunk, rr.heldCR = bytes.CutSuffix(chunk, cr)
			rr.scan.feed(chunk)
			continue
		}
		if !rr.inRecord { // nothing more to read
			if rerr != io.EOF {
				return record{}, rerr
			}
			return record{}, io.EOF
		}
		if len(chunk) > 0 || rr.line < rr.first {
			rr.line++
		}
		content := trimLineEnd(chunk)
		if rr.heldCR && len(content) > 0 {
			rr.scan.feed(cr)
		}
		rr.heldCR = false
		rr.scan.feed(content)
		if rr.scan.inQuotes() && rerr == nil {
			rr.scan.feed(chunk[len(content):]) // a quoted value runs on to the next line
			continue
		}
		rr.inRecord = false
		body := trimLineEnd(rr.rec)
		rr.rec = rr.rec[:0]
		return record{body: body, first: rr.first, last: rr.line, end: rerr}, nil
	}
}

// numberer writes the numbered copy, record by record, and keeps what the
// reading pass rejected.
type numberer struct {
	src        *Source
	lim        Limits
	w          *bufio.Writer
	delim      byte
	headerDone bool
	records    int64
	rejects    []rowReject
	unreadable []rowReject
	numBuf     []byte
	hash       rowHasher
}

// add writes one record: the header as DuckDB's column names, a data row
// with its line number, or nothing for a blank or rejected row.
func (n *numberer) add(scan *rowScanner, rec record) error {
	keep := scan.shape().bytes > n.lim.MaxLineBytes || !isBlankRecord(rec.body, n.delim)
	switch {
	case !keep:
	case !n.headerDone:
		// Inspect read the header. DuckDB gets the names it is told to
		// read (c1, c2, …): whatever the header holds, a stray CR or quote
		// included, it then skips a clean line.
		n.w.WriteString("__line")
		n.w.WriteByte(n.delim)
		n.w.WriteString("__hash")
		n.w.WriteByte(n.delim)
		n.w.WriteString("__plain")
		for i := range n.src.header {
			n.w.WriteByte(n.delim)
			n.w.WriteString("c" + strconv.Itoa(i+1))
		}
		n.w.WriteByte('\n')
		n.headerDone, keep = true, false
	default:
		n.records++
		reject, err := n.src.judgeRow(scan, rec.body, rec.first, rec.last, n.lim)
		switch {
		case err != nil:
			return err
		case reject.reason == "":
			n.numBuf = strconv.AppendInt(n.numBuf[:0], rec.first, 10)
			n.numBuf = n.hash.appendHash(append(n.numBuf, n.delim), rec.body)
			n.w.Write(n.numBuf)
		case reject.unreadable && len(n.unreadable) == maxUnreadable:
			return badFile{fmt.Errorf("%s: more than %s rows cannot be read, the first on line %d: %s; the file is refused", n.src.Path, thousands(maxUnreadable), n.unreadable[0].line, n.unreadable[0].reason)}
		default:
			if reject.unreadable {
				n.unreadable = append(n.unreadable, reject)
			}
			n.rejects = append(n.rejects, reject)
			keep = false
		}
	}
	if keep {
		n.w.WriteByte(n.delim)
		n.w.Write(rec.body)
		n.w.WriteByte('\n')
	}
	return nil
}

// mostlyUnreadable refuses a file in which half the rows or more cannot be
// read.
func (n *numberer) mostlyUnreadable() error {
	u := int64(len(n.unreadable))
	if u == 0 || 2*u < n.records {
		return nil
	}
	first := n.unreadable[0]
	where := fmt.Sprintf("line %d", first.line)
	if first.column != "" {
		where += fmt.Sprintf(", column %q:", first.column)
	}
	share := fmt.Sprintf("%s of its %s rows cannot be read", thousands(u), thousands(n.records))
	if u == n.records {
		share = "no row of it can be read"
	}
	return badFile{fmt.Errorf("%s %s %s (%s, so the file is refused)", n.src.Path, where, first.reason, share)}
}

// judgeRow decides on a data row read whole, from line first to line last:
// a reason to reject it (none: it goes on to DuckDB), or an error for what
// only a damaged file holds. A row with another number of fields than the
// header is rejected here too: DuckDB reports such a row once for every
// field it cannot place, which took it 44 s and 2 GB for 5,000 rows of 199
// fields.
func (src *Source) judgeRow(scan *rowScanner, body []byte, first, last int64, lim Limits) (rowReject, error) {
	reason, field := lim.exceeded(scan.shape())
	switch {
	case scan.strayCR:
		return rowReject{}, src.badLine(first, "holds a carriage return (CR) inside the row: the file mixes line endings or is damaged; save it with Windows (CRLF) or Unix (LF) line endings, or export it again")
	case scan.inQuotes() && last > first:
		return rowReject{}, src.badLine(first, fmt.Sprintf("has a quote (\") that opens a value which is never closed, so the rest of the file (%s lines) cannot be read; correct the line or export the file again", thousands(last-first+1)))
	case reason != "":
		return rowReject{first, src.column(field), reason, true}, nil
	case scan.inQuotes():
		return rowReject{first, "", "has a quote (\") that opens a value which is never closed", true}, nil
	case src.checkUTF8 && !utf8.Valid(body):
		at := invalidUTF8At(body)
		return rowReject{first, src.column(fieldAt(body[:at], src.delimiter[0])), notUTF8(body[at:]), true}, nil
	case scan.fields != len(src.header):
		return rowReject{line: first, reason: fieldCountReason(scan.fields, len(src.header))}, nil
	}
	return rowReject{}, nil
}

func fieldCountReason(fields, header int) string {
	return fmt.Sprintf("has %d fields where the header has %d", fields, header)
}

func (src *Source) badLine(line int64, why string) error {
	return badFile{fmt.Errorf("%s line %d %s", src.Path, line, why)}
}

// column is the header name of field i, or "" for the whole row or a field
// beyond the header.
func (src *Source) column(i int) string {
	if i < 0 || i >= len(src.header) {
		return ""
	}
	return src.header[i]
}

func isBlankRecord(b []byte, delim byte) bool {
	for _, c := range b {
		if c != delim && c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}
