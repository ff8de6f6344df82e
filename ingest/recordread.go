package ingest

import (
	"bufio"
	"bytes"
	"io"
)

// record is one CSV record as read: where its bytes (without the line end)
// lie in its batch, its first and last physical line, what its rowScanner
// measured, and the read error that ended it, if any.
type record struct {
	from, to    int
	first, last int64
	shape       rowShape
	strayCR     bool // a CR outside quotes
	open        bool // it ends inside a quoted value
	end         error
}

// batch is a run of whole records on its way through the copy: read into
// buf, numbered into out, written. end, after its records, is why reading
// stopped: io.EOF at the end of the file, or an error.
type batch struct {
	buf  []byte
	recs []record
	end  error
	out  []byte
}

// A batch closes at about this many bytes of records: small batches keep
// the copy's memory small (they take a few microseconds each to hand on).
const batchBytes = 256 << 10

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
	heldCR   bool   // a partial read ended in CR: part of the line end, or not
	buf      []byte // the batch being filled
	from     int    // where the current record begins in buf
}

// readBatches fills the batches it takes from free with records and hands
// them on to full, until the file ends, reading fails or done closes.
func (rr *recordReader) readBatches(free <-chan *batch, full chan<- *batch, done <-chan struct{}) {
	defer close(full)
	for {
		var b *batch
		select {
		case b = <-free:
		case <-done:
			return
		}
		rr.buf, b.recs, b.end = b.buf[:0], b.recs[:0], nil
		for b.end == nil && len(rr.buf) < batchBytes {
			rec, err := rr.next()
			switch {
			case err != nil:
				b.end = err
			default:
				b.recs, b.end = append(b.recs, rec), rec.end
			}
		}
		b.buf = rr.buf
		select {
		case full <- b:
		case <-done:
			return
		}
		if b.end != nil {
			return
		}
	}
}

// next reads the next record into buf; io.EOF when there is none.
func (rr *recordReader) next() (record, error) {
	for {
		chunk, rerr := rr.r.ReadSlice('\n')
		if bytes.IndexByte(chunk, 0) >= 0 {
			return record{}, rr.src.badLine(rr.line+1, "contains a NUL byte: this is not a text file (or it was saved as UTF-16 \"Unicode text\"); export it as CSV")
		}
		if !rr.inRecord && (len(chunk) > 0 || rerr == nil) {
			rr.first, rr.inRecord = rr.line+1, true
			rr.scan.reset()
			rr.from = len(rr.buf)
		}
		if len(rr.buf)-rr.from <= rr.maxLine { // past the limit the row is refused: its bytes are not needed
			rr.buf = append(rr.buf, chunk...)
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
		rr.buf = rr.buf[:rr.from+len(trimLineEnd(rr.buf[rr.from:]))]
		return record{from: rr.from, to: len(rr.buf), first: rr.first, last: rr.line, end: rerr,
			shape: rr.scan.shape(), strayCR: rr.scan.strayCR, open: rr.scan.inQuotes()}, nil
	}
}
