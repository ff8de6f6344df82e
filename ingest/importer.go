package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/verzuim/absence/ingest/storage"
)

// Importer imports export files into a store, each through the store's
// single writer. It is safe for concurrent use.
type Importer struct {
	store     *storage.Store
	limits    Limits
	maxShrink float64
	now       func() time.Time

	afterParse func(ctx context.Context, conn *sql.Conn) error
	textOnly   bool
}

// Config tunes an Importer; the zero value means the defaults.
type Config struct {
	// Limits bound the rows of every file imported.
	Limits Limits
	// MaxShrink is the share of its source's cases or employees (or rows)
	// an import may remove unless confirmed (ImportOptions.AllowShrink);
	// 0 means DefaultMaxShrink, 1 turns the guard off.
	MaxShrink float64
	// Now is the importer's clock: the extract date when none is given,
	// and the day the retention rule is applied on. Nil means time.Now.
	Now func() time.Time

	// afterParse, set by tests only, runs once DuckDB has read the file
	// into the table parsed: a test removes a row there to stand for a
	// reader that loses one.
	afterParse func(ctx context.Context, conn *sql.Conn) error
	// textOnly, set by tests only, reads every row as text, as the import
	// did before it read typed: the typed reading must agree with it.
	textOnly bool
}

// NewImporter makes an importer into store.
func NewImporter(store *storage.Store, cfg Config) *Importer {
	im := &Importer{store: store, limits: cfg.Limits.orDefault(), maxShrink: cfg.MaxShrink, now: cfg.Now, afterParse: cfg.afterParse, textOnly: cfg.textOnly}
	if im.maxShrink == 0 {
		im.maxShrink = DefaultMaxShrink
	}
	if im.now == nil {
		im.now = time.Now
	}
	return im
}

// Limits are the limits the importer holds every row to.
func (im *Importer) Limits() Limits { return im.limits }

// ImportOptions control one import.
type ImportOptions struct {
	// Profile to read the file with (ImportFile); nil chooses a built-in
	// profile by the file's header. Import reads a Source with the profile
	// it was inspected with.
	Profile *Profile
	// Employer names the employer the file's rows belong to (an existing
	// one: storage.Store.AddEmployer adds one); "" means the default
	// employer. For a file whose rows name their employer (an employer
	// column) it is the only employer whose rows are imported; "" means
	// each row's own.
	Employer string
	// DryRun validates and reports but writes nothing.
	DryRun bool
	// Strict refuses the whole file when any row is rejected.
	Strict bool
	// AllowShrink confirms an import that removes more of its source than
	// the importer's MaxShrink allows.
	AllowShrink bool
	// ExtractDate is the date the export was made: open cases run up to it.
	// Zero means today.
	ExtractDate time.Time
	// OnRejects receives every rejected row, in batches, in line order.
	OnRejects func([]storage.RowError) error
	// Progress, if set, is told the name of each phase as it starts.
	Progress func(phase string)
}

// Result summarises one file's import.
type Result struct {
	File string
	// Employer is the employer the rows belong to; "" for the default one.
	Employer   string `json:",omitempty"`
	employerID int64  // 0 until the employer is known: the failure of an unknown one goes to the default employer's history
	Profile    string
	Kind       Kind
	Detected   string // encoding, delimiter, line endings, date format
	ImportID   int64
	// AlreadyImported is set when the same content was imported before; then
	// nothing changed and ImportID is that earlier import.
	AlreadyImported bool
	Read            int64 // data rows in the file
	Accepted        int64
	Rejected        int64
	Duplicate       int64 // exact repeats of an earlier row, skipped
	// PastRetention counts the rows of employees past the retention period
	// of the last purge, left out (not stored, not rejected).
	PastRetention int64 `json:",omitempty"`
	Cases         int64 // absence cases (absence files) in the file after validation
	// Change is what the import does to the data it replaces (its source,
	// or what it names), with the counts before and after.
	Change *Change
	// Errors holds the first rejected rows (at most maxErrorsInResult).
	Errors []storage.RowError
	// Notes are things the user should know, such as columns not stored.
	Notes  []string
	DryRun bool
	// PerEmployer holds, for a file whose rows name their employer (a
	// profile's employer column), the import of each employer in it; the
	// counts above are their sums and ImportID the first of them.
	PerEmployer []*Result `json:",omitempty"`
}

const maxErrorsInResult = 100

// ErrRejectedRows is returned (wrapped) by a strict import that found bad rows.
var ErrRejectedRows = errors.New("rows were rejected")

// ErrNoValidRows is returned (wrapped) when not one row of a file is valid:
// nothing is imported, and above all a snapshot does not wipe its source.
var ErrNoValidRows = errors.New("no valid rows")

// refusal is why a whole file was refused, in one sentence for the user,
// that matches its kind (ErrNoValidRows, ErrRejectedRows) with errors.Is
// without repeating the kind's words after it.
type refusal struct {
	msg  string
	kind error
}

func refuse(kind error, format string, args ...any) badFile {
	return badFile{refusal{fmt.Sprintf(format, args...), kind}}
}

func (e refusal) Error() string        { return e.msg }
func (e refusal) Is(target error) bool { return target == e.kind }

// badFile marks an error that lies in the file itself (its content, its
// columns, its encoding), as opposed to the machine (disk, database): a bad
// file is set aside, while after a machine error the same file is tried again.
type badFile struct{ err error }

func (e badFile) Error() string { return e.err.Error() }
func (e badFile) Unwrap() error { return e.err }

// IsBadFile reports whether an import failed because of the file itself.
func IsBadFile(err error) bool {
	var b badFile
	return errors.As(err, &b)
}
