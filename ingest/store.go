package ingest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// Options tune how a database file is opened.
type Options struct {
	// MemoryLimit caps DuckDB's buffers, e.g. "2GB". Empty means 1GB, which keeps
	// the whole process under 1.5 GB when importing 1M employees.
	MemoryLimit string
	// Threads caps DuckDB's worker threads; 0 means DuckDB's default (all cores).
	Threads int
	// PseudonymKey overrides the key file; normally empty.
	PseudonymKey []byte
	// Limits bound the rows of every file imported; zero means the defaults.
	Limits Limits
	// Now is the clock of automatic retention after imports; nil means
	// time.Now. Tests set it.
	Now func() time.Time
}

// Store is an open absence database. One process owns the file at a time,
// and within it one import writes at a time (writeMu), whether it comes from
// the command line, an upload or the inbox; readers are never blocked.
type Store struct {
	DB   *sql.DB
	Path string
	key  []byte

	limits  Limits
	writeMu sync.Mutex
	commits atomic.Int64
	now     func() time.Time
}

// Commits counts the imports committed since the store was opened; a reader
// that caches figures compares it to know when the data changed.
func (s *Store) Commits() int64 { return s.commits.Load() }

// Open opens (creating if needed) the database file at path, brings its schema
// up to date and loads the pseudonymisation key kept beside it.
func Open(ctx context.Context, path string, opt Options) (*Store, error) {
	if opt.MemoryLimit == "" {
		opt.MemoryLimit = "1GB"
	}
	q := url.Values{}
	q.Set("memory_limit", opt.MemoryLimit)
	if opt.Threads > 0 {
		q.Set("threads", fmt.Sprint(opt.Threads))
	}
	connector, err := duckdb.NewConnector(path+"?"+q.Encode(), func(driver.ExecerContext) error { return nil })
	if err != nil {
		return nil, openError(path, err)
	}
	db := sql.OpenDB(connector)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, openError(path, err)
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &Store{DB: db, Path: path, now: opt.Now, limits: opt.Limits.orDefault()}
	if s.now == nil {
		s.now = time.Now
	}
	if s.key, err = loadKey(ctx, db, path, opt.PseudonymKey); err != nil {
		db.Close()
		return nil, err
	}
	removeStaleTempFiles(path)
	return s, nil
}

// Close checkpoints and closes the database.
func (s *Store) Close() error { return s.DB.Close() }

var lockHolder = regexp.MustCompile(`Conflicting lock is held in (.*?) \(PID (\d+)\)`)

// openError turns DuckDB's lock error into a message an administrator can act on.
func openError(path string, err error) error {
	if m := lockHolder.FindStringSubmatch(err.Error()); m != nil {
		return fmt.Errorf("open %s: the database is in use by another program (%s, process %s); stop it, or import through the running server (absence import --server URL)", path, filepath.Base(m[1]), m[2])
	}
	if errors.Is(err, os.ErrPermission) || strings.Contains(err.Error(), "Permission denied") {
		return fmt.Errorf("open %s: no permission to read or write this file: %w", path, err)
	}
	return fmt.Errorf("open %s: %w", path, err)
}

// tempDir is where an import keeps its transcoded copy of the input: beside the
// database, so it is on the same disk and easy to clean after a crash.
func tempDir(dbPath string) string {
	if dbPath == "" {
		return filepath.Join(os.TempDir(), "absence-tmp")
	}
	return dbPath + ".import-tmp"
}

// removeStaleTempFiles deletes copies left behind by an import that was killed.
// The database itself needs no cleaning: an uncommitted import never lands.
func removeStaleTempFiles(dbPath string) {
	if dbPath == "" {
		return
	}
	os.RemoveAll(tempDir(dbPath))
}
