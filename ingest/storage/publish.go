package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/verzuim/absence/ingest/internal/sqlparts"
)

// DefaultKeepSnapshots is how many published snapshots the writer keeps.
const DefaultKeepSnapshots = 3

// Publisher publishes the writer's data for replicas: after every commit
// (import, undo, purge) a consistent, read-only copy of the database with
// the writer's users file, in a folder of its own (snapshot.go).
//
// The copy is DuckDB's COPY FROM DATABASE into a fresh file, in one
// transaction: it sees one committed state of every table while imports go
// on, and it is compact — it has no free blocks, so bytes an import replaced
// or a purge removed do not travel to the replicas. The folder is written
// under a hidden name, its files synced, the manifest written last, and then
// renamed into place: a replica sees a snapshot whole or not at all.
type Publisher struct {
	store *Store
	dir   string
	keep  int
	files map[string]string // a snapshot's extra files: name → path on the writer
	poke  chan struct{}
	mu    sync.Mutex // one publication at a time

	last        Manifest // the last publication,
	lastCommits int64    // at this commit count of the store (-1: none yet)
}

// PublishResult is one publication.
type PublishResult struct {
	Manifest
	Dir  string
	Took time.Duration
}

// Publisher prepares publication into dir, keeping the newest keep
// snapshots (0: DefaultKeepSnapshots; never fewer than 2, so a replica that
// is opening the previous one when a new one lands still finds it). files
// are copied into every snapshot beside the database (name → path).
func (s *Store) Publisher(dir string, keep int, files map[string]string) (*Publisher, error) {
	if err := s.writable(); err != nil {
		return nil, err
	}
	if keep == 0 {
		keep = DefaultKeepSnapshots
	}
	keep = max(keep, 2)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	for _, e := range entries { // left by a writer that stopped while publishing
		if strings.HasPrefix(e.Name(), ".tmp-") {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
	return &Publisher{store: s, dir: dir, keep: keep, files: files, poke: make(chan struct{}, 1), lastCommits: -1}, nil
}

// Poke asks for a publication although no data changed: the users file did.
func (p *Publisher) Poke() {
	select {
	case p.poke <- struct{}{}:
	default:
	}
}

// publishQuiet lets a burst of commits (an inbox run of several files)
// settle into fewer publications.
const publishQuiet = 200 * time.Millisecond

// Run publishes at once, then after every commit or Poke, until ctx ends.
// A failed publication is logged and tried again a minute later.
func (p *Publisher) Run(ctx context.Context) {
	retry := time.NewTimer(0)
	defer retry.Stop()
	published := int64(-1) // the store's commit count at the last publication
	for {
		poked := false
		select {
		case <-ctx.Done():
			return
		case <-p.store.changed:
		case <-p.poke:
			poked = true
		case <-retry.C:
			poked = true
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(publishQuiet):
		}
		commits := p.store.Commits()
		if commits == published && !poked {
			continue
		}
		res, err := p.Publish(ctx)
		if err != nil {
			if ctx.Err() == nil {
				slog.Error("publishing a snapshot for the replicas failed; they keep serving the previous one", "dir", p.dir, "error", err)
				retry.Reset(time.Minute)
			}
			continue
		}
		published = commits
		slog.Info("published a snapshot for the replicas", "dir", res.Dir, "data_version", res.DataVersion,
			"bytes", res.Files[0].Size, "took", res.Took.Round(time.Millisecond))
	}
}

// Publish writes one snapshot of the current data and removes the oldest
// beyond the number kept.
func (p *Publisher) Publish(ctx context.Context) (res PublishResult, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	began := time.Now()
	seqs, err := snapshots(p.dir)
	if err != nil {
		return res, fmt.Errorf("publish: %w", err)
	}
	res.Sequence = 1
	if len(seqs) > 0 {
		res.Sequence = seqs[0] + 1
	}
	tmp := filepath.Join(p.dir, fmt.Sprintf(".tmp-%06d", res.Sequence))
	if err := os.Mkdir(tmp, 0o700); err != nil {
		return res, fmt.Errorf("publish: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	commits := p.store.Commits()
	if err := p.database(ctx, tmp, commits, &res.Manifest); err != nil {
		return res, fmt.Errorf("publish: copy the database: %w", err)
	}
	var names []string
	for name, path := range p.files {
		if err := copyFile(path, filepath.Join(tmp, name)); err != nil {
			return res, fmt.Errorf("publish: %w", err)
		}
		names = append(names, name)
	}
	for _, name := range names {
		sum, err := fileSum(filepath.Join(tmp, name))
		if err != nil {
			return res, fmt.Errorf("publish: %w", err)
		}
		res.Files = append(res.Files, sum)
	}
	res.Format, res.SchemaVersion, res.CreatedAt = 1, len(migrations), time.Now().UTC()
	data, err := json.MarshalIndent(res.Manifest, "", "  ")
	if err != nil {
		return res, err
	}
	if err := writeSynced(filepath.Join(tmp, manifestName+".tmp"), data); err != nil {
		return res, fmt.Errorf("publish: %w", err)
	}
	if err := os.Rename(filepath.Join(tmp, manifestName+".tmp"), filepath.Join(tmp, manifestName)); err != nil {
		return res, fmt.Errorf("publish: %w", err)
	}
	syncDir(tmp)
	res.Dir = snapshotDir(p.dir, res.Sequence)
	if err := os.Rename(tmp, res.Dir); err != nil {
		return res, fmt.Errorf("publish: %w", err)
	}
	syncDir(p.dir)
	all := append([]int64{res.Sequence}, seqs...) // newest first
	for _, old := range all[min(len(all), p.keep):] {
		os.RemoveAll(snapshotDir(p.dir, old))
	}
	p.last, p.lastCommits = res.Manifest, commits
	res.Took = time.Since(began)
	return res, nil
}

// database puts the snapshot's database into folder tmp and its entry
// first in the manifest's files. When nothing was committed since the last
// publication (only the accounts changed: a logout, a language) it links
// the last one's file instead of copying it again — when that file still
// has its checksum.
func (p *Publisher) database(ctx context.Context, tmp string, commits int64, m *Manifest) error {
	path := filepath.Join(tmp, SnapshotDatabase)
	if commits == p.lastCommits {
		if err := os.Link(filepath.Join(snapshotDir(p.dir, p.last.Sequence), SnapshotDatabase), path); err == nil {
			if sum, err := fileSum(path); err == nil && sum == p.last.Files[0] {
				m.DataVersion, m.ExtractDate, m.Files = p.last.DataVersion, p.last.ExtractDate, []SnapshotFile{sum}
				return nil
			}
			os.Remove(path)
		}
	}
	if err := p.copyDatabase(ctx, path, m); err != nil {
		return err
	}
	sum, err := fileSum(path)
	m.Files = []SnapshotFile{sum}
	return err
}

// copyDatabase copies every table of the store into a new database file in
// one transaction and notes the data version and extract date it holds.
func (p *Publisher) copyDatabase(ctx context.Context, path string, m *Manifest) error {
	conn, err := p.store.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var name string
	if err := conn.QueryRowContext(ctx, `SELECT current_database()`).Scan(&name); err != nil {
		return err
	}
	// ATTACH and COPY FROM DATABASE take no parameters: the path is quoted as
	// a string literal, the database name as an identifier.
	if _, err := conn.ExecContext(ctx, `ATTACH `+sqlparts.Quote(path)+` AS absence_snapshot`); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), `DETACH DATABASE IF EXISTS absence_snapshot`)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `COPY FROM DATABASE `+quoteIdent(name)+` TO absence_snapshot`); err != nil {
		return err
	}
	var extract *time.Time
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(import_id) FILTER (status = 'committed'), 0),
			max(extract_date) FILTER (status = 'committed' AND kind = 'absence')
		FROM absence_snapshot.imports`).Scan(&m.DataVersion, &extract); err != nil {
		return err
	}
	if extract != nil {
		m.ExtractDate = extract.Format(time.DateOnly)
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `DETACH DATABASE absence_snapshot`); err != nil {
		return err
	}
	return syncFile(path)
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// copyFile copies a file and syncs the copy to disk, a block at a time (a
// database file can be larger than the memory).
func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// writeSynced writes a file and syncs it to disk, so a rename after it
// never exposes an empty file after a power cut.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// syncDir makes a rename inside dir durable; best effort.
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}
