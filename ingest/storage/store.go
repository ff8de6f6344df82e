package storage

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

	"github.com/duckdb/duckdb-go/v2"
)

// Options tune how a database file is opened.
type Options struct {
	// MemoryLimit caps DuckDB's buffers, e.g. "2GB". Empty means 1GB. The
	// whole process stays within about 200 MB above it (Open), also while
	// it imports (sessionLimits); beyond, DuckDB spills to the folder beside
	// the database (its default temp_directory).
	MemoryLimit string
	// Threads caps DuckDB's worker threads; 0 means DuckDB's default (all cores).
	Threads int
	// PseudonymKey overrides the key file; normally empty.
	PseudonymKey []byte

	// BeforeCommit is a test hook: if set, it runs inside every import's
	// transaction just before its commit, where the crash tests stop a real
	// import to kill it.
	BeforeCommit func()
}

// Store is an open absence database. One process owns the file at a time,
// and within it one import, purge or undo writes at a time (writeMu), whether
// it comes from the command line, an upload or the inbox; readers are never
// blocked. The Store keeps its database handle to itself: readers get a
// Reader, imports a Session.
type Store struct {
	Path string

	db           *sql.DB
	reader       *Reader
	key          []byte
	writeMu      sync.Mutex
	commits      atomic.Int64
	changed      chan struct{} // told of every commit, for the publisher
	beforeCommit func()
	limits       sessionLimits
	replica      *replica // set when the store serves published snapshots
}

// Commits counts the imports, purges and undos committed since the store was
// opened; a reader that caches figures compares it to know when the data
// changed.
// On a replica it counts the snapshots switched to.
func (s *Store) Commits() int64 { return s.commits.Load() }

// committed counts a commit and tells the publisher, if any, without waiting.
func (s *Store) committed() {
	s.commits.Add(1)
	select {
	case s.changed <- struct{}{}:
	default:
	}
}

// ErrReplica is wrapped by every attempt to change a replica's data.
var ErrReplica = errors.New("this server is a read-only replica: import, undo and purge on the writer (absence serve --publish)")

// writable refuses a change on a replica.
func (s *Store) writable() error {
	if s.replica != nil {
		return ErrReplica
	}
	return nil
}

// IsReplica reports whether the store serves published snapshots.
func (s *Store) IsReplica() bool { return s.replica != nil }

// Open opens (creating if needed) the database file at path, brings its schema
// up to date (on a copy that replaces it: upgradeFile), removes what an
// import that never committed left behind (removeUncommitted) and loads the
// pseudonymisation key kept beside it.
// From then on the process creates its files readable by their owner only
// (privateFiles), the database's own files included.
func Open(ctx context.Context, path string, opt Options) (*Store, error) {
	privateFiles()
	if opt.MemoryLimit == "" {
		opt.MemoryLimit = "1GB"
	}
	q := url.Values{}
	q.Set("memory_limit", opt.MemoryLimit)
	// The limit caps DuckDB's buffers; what its allocator keeps after a
	// task comes on top. Handed back early, and in the background, the
	// process stays within about 150 MB of the limit (1M employees, 6
	// years: peak 1.11 GB at 1GB against 1.24-1.57 GB without).
	q.Set("allocator_flush_threshold", "16MB")
	q.Set("allocator_background_threads", "true")
	if opt.Threads > 0 {
		q.Set("threads", fmt.Sprint(opt.Threads))
	}
	connector, db, err := openUpToDate(ctx, path, "?"+q.Encode())
	if err != nil {
		return nil, err
	}
	if err := removeUncommitted(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &Store{Path: path, db: db, reader: newReader(connector), beforeCommit: opt.BeforeCommit, changed: make(chan struct{}, 1),
		limits: newSessionLimits(opt.MemoryLimit)}
	if s.key, err = loadKey(ctx, db, path, opt.PseudonymKey); err != nil {
		s.Close()
		return nil, err
	}
	if err := registerPseudonym(ctx, db, s.key); err != nil {
		s.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	removeStaleTempFiles(path)
	return s, nil
}

// openUpToDate opens the database file at path with its schema up to date.
// A file whose schema is current, as on every open but the first after a
// new release, is opened once and its version read on the same handle;
// otherwise it is closed again and upgraded on a copy first (upgradeFile).
func openUpToDate(ctx context.Context, path, dsn string) (*duckdb.Connector, *sql.DB, error) {
	if _, err := os.Stat(path); err == nil {
		connector, db, err := connect(ctx, path, dsn)
		if err != nil {
			return nil, nil, err
		}
		version, err := schemaVersion(ctx, db)
		if err == nil {
			err = knownVersion(version)
		}
		if err != nil {
			db.Close()
			return nil, nil, fmt.Errorf("open %s: %w", path, err)
		}
		if version == len(migrations) {
			return connector, db, nil
		}
		if err := db.Close(); err != nil {
			return nil, nil, openError(path, err)
		}
	}
	if err := upgradeFile(ctx, path, dsn); err != nil {
		return nil, nil, err
	}
	return connect(ctx, path, dsn)
}

// connect opens the database file at path.
func connect(ctx context.Context, path, dsn string) (*duckdb.Connector, *sql.DB, error) {
	connector, err := duckdb.NewConnector(path+dsn, func(driver.ExecerContext) error { return nil })
	if err != nil {
		return nil, nil, openError(path, err)
	}
	db := sql.OpenDB(connector)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, nil, openError(path, err)
	}
	return connector, db, nil
}

// Close checkpoints and closes the database.
func (s *Store) Close() error {
	s.reader.close()
	err := s.db.Close()
	if s.replica != nil {
		s.replica.close()
	}
	return err
}

// Reader is the read-only querier of the database, for the analytics and
// everything else that only reads.
func (s *Store) Reader() *Reader { return s.reader }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// ErrDatabaseInUse is wrapped by Open when another process holds the file.
var ErrDatabaseInUse = errors.New("the database is in use by another program")

var lockHolder = regexp.MustCompile(`Conflicting lock is held in (.*?) \(PID (\d+)\)`)

// openError turns DuckDB's lock error into a message an administrator can act on.
func openError(path string, err error) error {
	if m := lockHolder.FindStringSubmatch(err.Error()); m != nil {
		return fmt.Errorf("open %s: %w (%s, process %s); stop it, or import through the running server (absence import --server URL)", path, ErrDatabaseInUse, filepath.Base(m[1]), m[2])
	}
	if errors.Is(err, os.ErrPermission) || strings.Contains(err.Error(), "Permission denied") {
		return fmt.Errorf("open %s: no permission to read or write this file: %w", path, err)
	}
	return fmt.Errorf("open %s: %w", path, err)
}

// TempDir is where an import keeps its transcoded copy of the input: beside
// the database, so it is on the same disk, and removed when the database is
// next opened should the import be killed.
func (s *Store) TempDir() string { return tempDir(s.Path) }

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
