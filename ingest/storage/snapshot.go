package storage

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// A publication folder holds the writer's published snapshots, one folder
// each, named by its sequence number (000042). A snapshot folder appears
// whole, by one rename, with its manifest inside; a replica opens it only
// when every file the manifest names has the manifest's size and checksum.
// Folders being written start with a dot and are never opened.

// SnapshotDatabase is the database file of a snapshot; SnapshotAccounts its
// copy of the writer's users file.
const (
	SnapshotDatabase = "absence.duckdb"
	SnapshotAccounts = "users.json"
	manifestName     = "manifest.json"
)

// Manifest describes one published snapshot.
type Manifest struct {
	Format        int            `json:"format"` // 1
	Sequence      int64          `json:"sequence"`
	SchemaVersion int            `json:"schema_version"`
	DataVersion   int64          `json:"data_version"` // the newest committed import
	ExtractDate   string         `json:"extract_date,omitempty"`
	CreatedAt     time.Time      `json:"created_at"`
	Files         []SnapshotFile `json:"files"`
}

// SnapshotFile is a file of a snapshot with its size and SHA-256.
type SnapshotFile struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

var snapshotName = regexp.MustCompile(`^[0-9]{6,}$`)

func snapshotDir(dir string, seq int64) string {
	return filepath.Join(dir, fmt.Sprintf("%06d", seq))
}

// snapshots lists the sequence numbers of the snapshot folders in dir,
// newest first.
func snapshots(dir string) ([]int64, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var seqs []int64
	for _, e := range entries {
		if !e.IsDir() || !snapshotName.MatchString(e.Name()) {
			continue
		}
		n, err := strconv.ParseInt(e.Name(), 10, 64)
		if err == nil {
			seqs = append(seqs, n)
		}
	}
	slices.SortFunc(seqs, func(a, b int64) int { return int(b - a) })
	return seqs, nil
}

// errNoManifest is wrapped when a snapshot folder has no manifest.
var errNoManifest = errors.New("no manifest")

// verifySnapshot reads a snapshot's manifest and checks every file it names
// against its size and checksum.
func verifySnapshot(dir string) (Manifest, error) {
	var m Manifest
	data, err := os.ReadFile(filepath.Join(dir, manifestName))
	if errors.Is(err, os.ErrNotExist) {
		return m, fmt.Errorf("snapshot %s: %w", dir, errNoManifest)
	}
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("snapshot %s: damaged manifest: %w", dir, err)
	}
	if m.Format != 1 {
		return m, fmt.Errorf("snapshot %s: manifest format %d is unknown to this program", dir, m.Format)
	}
	if !slices.ContainsFunc(m.Files, func(f SnapshotFile) bool { return f.Name == SnapshotDatabase }) {
		return m, fmt.Errorf("snapshot %s: the manifest names no database", dir)
	}
	for _, f := range m.Files {
		got, err := fileSum(filepath.Join(dir, filepath.Base(f.Name)))
		if err != nil {
			return m, fmt.Errorf("snapshot %s: %w", dir, err)
		}
		if got != f {
			return m, fmt.Errorf("snapshot %s: %s has %d bytes and checksum %.12s…, the manifest says %d bytes and %.12s…", dir, f.Name, got.Size, got.SHA256, f.Size, f.SHA256)
		}
	}
	return m, nil
}

// fileSum measures a file for the manifest.
func fileSum(path string) (SnapshotFile, error) {
	out := SnapshotFile{Name: filepath.Base(path)}
	f, err := os.Open(path)
	if err != nil {
		return out, err
	}
	defer f.Close()
	h := sha256.New()
	if out.Size, err = io.Copy(h, f); err != nil {
		return out, err
	}
	out.SHA256 = hex.EncodeToString(h.Sum(nil))
	return out, nil
}
