package ingest

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Limits bound what one row of an input file may hold. They are enforced by
// the Go pass that first reads the file, before DuckDB sees it: a row of
// 40,000 fields or a line of megabytes is cheap to count but costs DuckDB
// minutes and gigabytes. A row beyond a limit is rejected (the rest of the
// file lands); a header beyond a limit, or a file in which half the rows or
// more than 1,000 are, is a bad file. Sizes are bytes of UTF-8.
type Limits struct {
	MaxFields     int `toml:"max_fields"`      // fields per row, header included
	MaxFieldBytes int `toml:"max_field_bytes"` // bytes per value
	MaxLineBytes  int `toml:"max_line_bytes"`  // bytes per row (a quoted value may span lines)
}

// DefaultLimits are far beyond any real export (tens of columns, values of
// a few dozen bytes) and far below what hurts.
func DefaultLimits() Limits {
	return Limits{MaxFields: 200, MaxFieldBytes: 32 << 10, MaxLineBytes: 1 << 20}
}

// maxLineBytesCap bounds the rows DuckDB's CSV reader must hold in its buffers.
const maxLineBytesCap = 16 << 20

// orDefault fills in the default of each limit left zero.
func (l Limits) orDefault() Limits {
	d := DefaultLimits()
	if l.MaxFields == 0 {
		l.MaxFields = d.MaxFields
	}
	if l.MaxFieldBytes == 0 {
		l.MaxFieldBytes = d.MaxFieldBytes
	}
	if l.MaxLineBytes == 0 {
		l.MaxLineBytes = d.MaxLineBytes
	}
	return l
}

// Check reports a limit that cannot work; zero means the default.
func (l Limits) Check() error {
	l = l.orDefault()
	switch {
	case l.MaxFields < 2 || l.MaxFields > 10000:
		return errors.New("import.max_fields must be between 2 and 10000")
	case l.MaxFieldBytes < 64:
		return errors.New("import.max_field_bytes must be at least 64")
	case l.MaxLineBytes < l.MaxFieldBytes || l.MaxLineBytes > maxLineBytesCap:
		return fmt.Errorf("import.max_line_bytes must be at least max_field_bytes (%d) and at most %d", l.MaxFieldBytes, maxLineBytesCap)
	}
	return nil
}

// rowShape is what the reading pass measured of one row.
type rowShape struct {
	fields      int
	bytes       int  // of the whole row
	moreBytes   bool // the row goes on past bytes (a header longer than the sample read)
	widest      int  // bytes of the widest value
	widestField int  // its index
}

// exceeded says which limit a row breaks, as the rest of a sentence that
// starts with the line ("line 3 has 40,000 fields; …"), and the index of the
// field it concerns (-1 for the row).
func (l Limits) exceeded(r rowShape) (reason string, field int) {
	switch {
	case r.fields > l.MaxFields:
		return fmt.Sprintf("has %s fields; at most %s are allowed", thousands(r.fields), thousands(l.MaxFields)), -1
	case r.moreBytes:
		return fmt.Sprintf("is more than %s long; at most %s is allowed per row", byteSize(l.MaxLineBytes), byteSize(l.MaxLineBytes)), -1
	case r.bytes > l.MaxLineBytes:
		return fmt.Sprintf("is %s long; at most %s is allowed per row", byteSize(r.bytes), byteSize(l.MaxLineBytes)), -1
	case r.widest > l.MaxFieldBytes:
		return fmt.Sprintf("the value is %s long; at most %s is allowed", byteSize(r.widest), byteSize(l.MaxFieldBytes)), r.widestField
	}
	return "", -1
}

// thousands writes 40000 as "40,000".
func thousands[T int | int64](n T) string {
	s := strconv.FormatInt(int64(n), 10)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// byteSize writes a size as a user sees it in a file manager: "32 KB", "2.5 MB".
func byteSize(n int) string {
	switch {
	case n >= 1<<20:
		return strings.TrimSuffix(strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64), ".0") + " MB"
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
