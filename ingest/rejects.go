package ingest

import (
	"fmt"
	"os"
	"strconv"

	"github.com/verzuim/absence/ingest/sheet"
	"github.com/verzuim/absence/ingest/storage"
)

// RejectsFile is the report of an import's rejected rows, written as the
// import hands them on (its Write is an ImportOptions.OnRejects), so that
// no import holds its rejected rows in memory: CSV with the columns file,
// line, column, value and reason, for a person who opens it in a
// spreadsheet.
type RejectsFile struct {
	f      *os.File
	w      *sheet.Writer
	rows   int
	closed bool
}

// CreateRejectsFile creates (or empties) the report at path, readable by
// its owner only: it holds the rejected values as the export had them.
func CreateRejectsFile(path string) (*RejectsFile, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("reject report: %w", err)
	}
	r := &RejectsFile{f: f, w: sheet.NewWriter(f)}
	if err := r.w.Write([]string{"file", "line", "column", "value", "reason"}); err != nil {
		f.Close()
		return nil, fmt.Errorf("reject report %s: %w", path, err)
	}
	return r, nil
}

// Write adds a batch of rejected rows.
func (r *RejectsFile) Write(batch []storage.RowError) error {
	for _, e := range batch {
		if err := r.w.Write([]string{e.File, strconv.FormatInt(e.Line, 10), e.Column, e.Value, e.Reason}); err != nil {
			return fmt.Errorf("reject report %s: %w", r.f.Name(), err)
		}
	}
	r.rows += len(batch)
	return nil
}

// Rows is the number of rejected rows written.
func (r *RejectsFile) Rows() int { return r.rows }

// Close writes what is buffered and closes the file; once, so a deferred
// Close may follow one whose error was handled.
func (r *RejectsFile) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	r.w.Flush()
	err := r.w.Error()
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("reject report %s: %w", r.f.Name(), err)
	}
	return nil
}
