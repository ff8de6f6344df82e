package ingest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"sync"
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
// record (as a text editor counts it) prepended as an extra column, negative
// for a row that is not plain (rowHasher): the one column DuckDB reads more
// than the file has. That number travels with the row through DuckDB, so
// every error names the right line even after quoted line breaks, blank
// lines or rejected rows. The hashes of the rows' values stay here: it
// returns the rows that share theirs with another (repeatFinder).
// Blank lines (also lines of only delimiters, as spreadsheets write them) are
// skipped. It returns the number of data records read, with the rows it
// rejected itself (see judgeRow): DuckDB gets only rows it can read cheaply.
// It refuses the whole file (a badFile error) for what only a damaged file
// or one that is not CSV holds: a NUL byte, a CR inside a row, a quote that
// swallows the rest of the file, or rows mostly unreadable. This is the
// second and last time the import reads the file; a file whose bytes no
// longer match the inspection's checksum is not imported.
func (src *Source) writeNumbered(dst string, lim Limits) (records int64, rejects []rowReject, repeats []hashedRow, err error) {
	in, err := os.Open(src.Path)
	if err != nil {
		return 0, nil, nil, err
	}
	defer in.Close()
	var sum checksum
	var text io.Reader = io.TeeReader(in, &sum)
	if src.bom {
		if _, err := io.CopyN(io.Discard, text, int64(len(utf8BOM))); err != nil {
			return 0, nil, nil, err
		}
	}
	if src.encoding == "windows-1252" {
		text = charmap.Windows1252.NewDecoder().Reader(text)
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600) // a clear-text copy: the owner's only
	if err != nil {
		return 0, nil, nil, err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()

	// A line that fits the limit always comes whole: a partial read
	// (ErrBufferFull) means a row already too long.
	rr := recordReader{src: src, r: bufio.NewReaderSize(text, max(1<<20, lim.MaxLineBytes+2)), maxLine: lim.MaxLineBytes,
		scan: rowScanner{delim: src.delimiter[0], maxField: lim.MaxFieldBytes}}
	st := startStages(&rr, out)
	defer st.stop()
	n := numberer{src: src, lim: lim, delim: src.delimiter[0], hash: rowHasher{delim: src.delimiter[0]}}
	for b := range st.full {
		n.out = b.out[:0]
		for i := range b.recs {
			if err := n.add(b.buf, &b.recs[i]); err != nil {
				return n.records, nil, nil, err
			}
		}
		b.out = n.out
		end := b.end
		st.written <- b
		if end == io.EOF {
			break
		}
		if end != nil {
			return n.records, nil, nil, end
		}
	}
	if err := n.mostlyUnreadable(); err != nil {
		return n.records, nil, nil, err
	}
	if werr := st.stop(); sum != src.checksum { // the reader has stopped: the checksum is whole
		return n.records, nil, nil, fmt.Errorf("%s changed while it was being imported (its content is not what was inspected); nothing of it was imported, import it again", src.Path)
	} else if werr != nil {
		return n.records, nil, nil, werr
	}
	kept := n.repeats.rows
	repeats = n.repeats.repeats()
	if kept > 1<<20 {
		// The hashes of the other rows (16 MiB and more) are let go, their
		// memory back to the system before DuckDB needs its own.
		debug.FreeOSMemory()
	}
	return n.records, n.rejects, repeats, nil
}

// stages runs the copy on both cores: a reader goroutine reads and splits
// records (it alone touches the file and the checksum), the caller judges,
// hashes and numbers them, a writer goroutine writes them. Batches go round
// from free through full and written back to free.
type stages struct {
	full, written chan *batch
	done          chan struct{}
	wg            sync.WaitGroup
	stop          func() error // stops both goroutines, once; the first write error
}

func startStages(rr *recordReader, out io.Writer) *stages {
	const batches = 4
	free := make(chan *batch, batches) // never full: writing never waits
	for range batches {
		free <- &batch{}
	}
	st := &stages{full: make(chan *batch, batches), written: make(chan *batch, batches), done: make(chan struct{})}
	var werr error
	st.wg.Go(func() { rr.readBatches(free, st.full, st.done) })
	st.wg.Go(func() {
		for b := range st.written {
			if werr == nil {
				_, werr = out.Write(b.out)
			}
			free <- b
		}
	})
	st.stop = sync.OnceValue(func() error {
		close(st.done)
		for range st.full { // the reader may be waiting to hand one on
		}
		close(st.written)
		st.wg.Wait()
		return werr
	})
	return st
}

// numberer numbers the records of each batch into its out, and keeps what
// the reading pass rejected.
type numberer struct {
	src        *Source
	lim        Limits
	out        []byte
	delim      byte
	headerDone bool
	records    int64
	rejects    []rowReject
	unreadable []rowReject
	hash       rowHasher
	repeats    repeatFinder
}

// add writes one record: the header as DuckDB's column names, a data row
// with its line number, or nothing for a blank or rejected row.
func (n *numberer) add(buf []byte, rec *record) error {
	body := buf[rec.from:rec.to]
	keep := rec.shape.bytes > n.lim.MaxLineBytes || !isBlankRecord(body, n.delim)
	switch {
	case !keep:
	case !n.headerDone:
		// Inspect read the header. DuckDB gets the names it is told to
		// read (c1, c2, …): whatever the header holds, a stray CR or quote
		// included, it then skips a clean line.
		n.out = append(n.out, "__line"...)
		for i := range n.src.header {
			n.out = append(n.out, n.delim, 'c')
			n.out = strconv.AppendInt(n.out, int64(i+1), 10)
		}
		n.out = append(n.out, '\n')
		n.headerDone, keep = true, false
	default:
		n.records++
		reject, err := n.src.judgeRow(rec, body, n.lim)
		switch {
		case err != nil:
			return err
		case reject.reason == "":
			sum, plain := n.hash.sum(body)
			n.repeats.add(sum, rec.first)
			line := rec.first
			if !plain {
				line = -line
			}
			n.out = strconv.AppendInt(n.out, line, 10)
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
		n.out = append(n.out, n.delim)
		n.out = append(n.out, body...)
		n.out = append(n.out, '\n')
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
func (src *Source) judgeRow(rec *record, body []byte, lim Limits) (rowReject, error) {
	reason, field := lim.exceeded(rec.shape)
	first, last := rec.first, rec.last
	switch {
	case rec.strayCR:
		return rowReject{}, src.badLine(first, "holds a carriage return (CR) inside the row: the file mixes line endings or is damaged; save it with Windows (CRLF) or Unix (LF) line endings, or export it again")
	case rec.open && last > first:
		return rowReject{}, src.badLine(first, fmt.Sprintf("has a quote (\") that opens a value which is never closed, so the rest of the file (%s lines) cannot be read; correct the line or export the file again", thousands(last-first+1)))
	case reason != "":
		return rowReject{first, src.column(field), reason, true}, nil
	case rec.open:
		return rowReject{first, "", "has a quote (\") that opens a value which is never closed", true}, nil
	case src.checkUTF8 && !utf8.Valid(body):
		at := invalidUTF8At(body)
		return rowReject{first, src.column(fieldAt(body[:at], src.delimiter[0])), notUTF8(body[at:]), true}, nil
	case rec.shape.fields != len(src.header):
		return rowReject{line: first, reason: fieldCountReason(rec.shape.fields, len(src.header))}, nil
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
