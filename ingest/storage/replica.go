package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// ReplicaOptions tune a replica.
type ReplicaOptions struct {
	MemoryLimit string // as Options
	Threads     int
	// Poll is how often the publication folder is looked at; 0 means a second.
	Poll time.Duration
	// Prepare runs with a verified snapshot's folder before the replica
	// switches to it (the dashboard reads the snapshot's users file there);
	// an error skips the snapshot.
	Prepare func(dir string) error
}

// replica is what makes a Store serve published snapshots: its pools
// connect through a switch to the newest verified snapshot, each opened
// read-only. A newer snapshot is opened beside the one in use, then new
// connections go to it; the old one closes when its last connection — the
// last query in flight on it — is done. No request is dropped, and a
// request's query never sees a snapshot close under it.
type replica struct {
	dir     string
	opt     ReplicaOptions
	store   *Store
	stop    context.CancelFunc
	stopped chan struct{}

	mu      sync.Mutex
	current *snapshot
	served  int64               // current's sequence, once the switch to it is complete
	refused map[int64]time.Time // snapshots that failed verification, and when
	opened  atomic.Int64        // snapshots open: the current one, and retired ones still in use
}

// snapshot is one opened snapshot, counting its connections.
type snapshot struct {
	seq       int64
	connector *duckdb.Connector
	open      *atomic.Int64 // the replica's count

	mu      sync.Mutex
	conns   int
	retired bool
}

// ErrNoSnapshot is wrapped by OpenReplica when the folder holds no
// verified snapshot (yet).
var ErrNoSnapshot = errors.New("no published snapshot")

// OpenReplica serves the newest verified snapshot in the publication folder
// dir and follows the folder for newer ones until Close. It never writes:
// every import, undo or purge is refused with ErrReplica, and DuckDB itself
// opens the files read-only.
func OpenReplica(ctx context.Context, dir string, opt ReplicaOptions) (*Store, error) {
	if opt.MemoryLimit == "" {
		opt.MemoryLimit = "1GB"
	}
	if opt.Poll <= 0 {
		opt.Poll = time.Second
	}
	r := &replica{dir: dir, opt: opt, refused: map[int64]time.Time{}, stopped: make(chan struct{})}
	if err := r.switchToNewest(); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if r.current == nil {
		return nil, fmt.Errorf("replica: %w in %s; start the writer with absence serve --publish %s", ErrNoSnapshot, dir, dir)
	}
	sw := switcher{r}
	s := &Store{db: sql.OpenDB(readOnlyConnector{sw}), reader: newReader(sw), replica: r, changed: make(chan struct{}, 1)}
	r.store = s
	follow, stop := context.WithCancel(context.Background())
	r.stop = stop
	go r.follow(follow)
	return s, nil
}

// Snapshot is the sequence number of the snapshot the replica serves: the
// one it switched to, after the old one was retired and the switch counted
// as a commit.
func (s *Store) Snapshot() int64 {
	if s.replica == nil {
		return 0
	}
	s.replica.mu.Lock()
	defer s.replica.mu.Unlock()
	return s.replica.served
}

func (r *replica) follow(ctx context.Context) {
	defer close(r.stopped)
	tick := time.NewTicker(r.opt.Poll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if err := r.switchToNewest(); err != nil {
			slog.Error("replica: cannot read the publication folder; still serving the snapshot in use", "dir", r.dir, "error", err)
		}
	}
}

// refuseFor is how long a snapshot that failed verification is left alone
// before it is looked at again.
const refuseFor = 30 * time.Second

// switchToNewest switches to the newest snapshot newer than the one in use
// that passes verification; it logs the ones that do not.
func (r *replica) switchToNewest() error {
	seqs, err := snapshots(r.dir)
	if err != nil {
		return err
	}
	for _, seq := range seqs {
		r.mu.Lock()
		old := r.current
		refused, wasRefused := r.refused[seq]
		r.mu.Unlock()
		if old != nil && seq <= old.seq {
			return nil
		}
		if wasRefused && time.Since(refused) < refuseFor {
			continue
		}
		began := time.Now()
		sn, err := r.open(seq)
		if err != nil {
			slog.Warn("replica: a snapshot is not opened", "snapshot", seq, "error", err)
			r.mu.Lock()
			r.refused[seq] = time.Now()
			r.mu.Unlock()
			continue
		}
		r.mu.Lock()
		r.current = sn
		delete(r.refused, seq)
		r.mu.Unlock()
		if old != nil {
			old.retire()
			r.store.db.SetMaxIdleConns(0) // drop the idle connections to the old one
			r.store.db.SetMaxIdleConns(2)
			r.store.reader.db.SetMaxIdleConns(0)
			r.store.reader.db.SetMaxIdleConns(2)
			r.store.committed() // the dashboard refreshes its figures as after an import
		}
		r.mu.Lock()
		r.served = seq
		r.mu.Unlock()
		slog.Info("replica: serving a snapshot", "snapshot", seq, "took", time.Since(began).Round(time.Millisecond))
		return nil
	}
	return nil
}

// open verifies a snapshot and opens its database read-only.
func (r *replica) open(seq int64) (*snapshot, error) {
	dir := snapshotDir(r.dir, seq)
	m, err := verifySnapshot(dir)
	if err != nil {
		return nil, err
	}
	if m.SchemaVersion != len(migrations) {
		return nil, fmt.Errorf("published by another version of absence (schema %d, this program %d): run the same version on the writer and its replicas", m.SchemaVersion, len(migrations))
	}
	q := url.Values{}
	q.Set("access_mode", "READ_ONLY")
	q.Set("memory_limit", r.opt.MemoryLimit)
	if r.opt.Threads > 0 {
		q.Set("threads", fmt.Sprint(r.opt.Threads))
	}
	connector, err := duckdb.NewConnector(filepath.Join(dir, SnapshotDatabase)+"?"+q.Encode(), nil)
	if err != nil {
		return nil, err
	}
	if r.opt.Prepare != nil {
		if err := r.opt.Prepare(dir); err != nil {
			connector.Close()
			return nil, err
		}
	}
	r.opened.Add(1)
	return &snapshot{seq: seq, connector: connector, open: &r.opened}, nil
}

// close stops following and closes the snapshot in use once its
// connections are closed (Store.Close closes the pools first).
func (r *replica) close() {
	if r.stop != nil {
		r.stop()
		<-r.stopped
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.current.retire()
}

// acquire counts a new connection; false when the snapshot is retired.
func (sn *snapshot) acquire() bool {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	if sn.retired {
		return false
	}
	sn.conns++
	return true
}

// release counts a closed connection and closes a retired snapshot with
// its last one.
func (sn *snapshot) release() {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	sn.conns--
	if sn.retired && sn.conns == 0 {
		sn.closeLocked()
	}
}

func (sn *snapshot) closeLocked() {
	sn.connector.Close()
	sn.open.Add(-1)
}

// retire takes the snapshot out of use: no new connections, and it closes
// when its last connection does.
func (sn *snapshot) retire() {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	if sn.retired {
		return
	}
	sn.retired = true
	if sn.conns == 0 {
		sn.closeLocked()
	}
}

func (sn *snapshot) isRetired() bool {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	return sn.retired
}

// switcher connects a replica's pools to the snapshot in use.
type switcher struct{ r *replica }

func (w switcher) Connect(ctx context.Context) (driver.Conn, error) {
	for {
		w.r.mu.Lock()
		sn := w.r.current
		w.r.mu.Unlock()
		if !sn.acquire() {
			continue // retired between the two steps: the next one is current
		}
		conn, err := sn.connector.Connect(ctx)
		if err != nil {
			sn.release()
			return nil, err
		}
		return &snapshotConn{Conn: conn.(*duckdb.Conn), snap: sn}, nil
	}
}

func (switcher) Driver() driver.Driver { return duckdb.Driver{} }

// snapshotConn is a connection to one snapshot. database/sql asks before
// reusing a pooled connection (ResetSession) and before pooling it again
// (IsValid): one to a retired snapshot is closed instead, so requests move
// on to the new snapshot as their queries end.
type snapshotConn struct {
	*duckdb.Conn
	snap   *snapshot
	closed bool
}

func (c *snapshotConn) Close() error {
	err := c.Conn.Close()
	if !c.closed {
		c.closed = true
		c.snap.release()
	}
	return err
}

func (c *snapshotConn) ResetSession(context.Context) error {
	if c.snap.isRetired() {
		return driver.ErrBadConn
	}
	return nil
}

func (c *snapshotConn) IsValid() bool { return !c.snap.isRetired() }
