package ingest

import "bytes"

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
