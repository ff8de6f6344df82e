package storage_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// openReplica follows the publication folder dir every 10 ms.
func openReplica(t *testing.T, dir string) *storage.Store {
	t.Helper()
	r, err := storage.OpenReplica(context.Background(), dir, storage.ReplicaOptions{MemoryLimit: "300MB", Threads: 1, Poll: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func dataVersion(t *testing.T, s *storage.Store) int64 {
	t.Helper()
	v, err := s.DataVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// waitSnapshot waits until the replica serves snapshot seq.
func waitSnapshot(t *testing.T, r *storage.Store, seq int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for r.Snapshot() != seq {
		if time.Now().After(deadline) {
			t.Fatalf("the replica still serves snapshot %d, not %d", r.Snapshot(), seq)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// The writer publishes after a commit; the replica switches to the new
// snapshot while a query on the old one is still being read, which
// finishes on the data it started on.
func TestReplicaFollowsPublicationsWithoutDroppingAQuery(t *testing.T) {
	ctx := context.Background()
	w := openTestStore(t)
	fixtures := filepath.Join("..", "..", "datasets", "fixtures")
	mustImport(t, w, filepath.Join(fixtures, "employments.csv"), ingest.ImportOptions{ExtractDate: orgExtract})
	pubDir := filepath.Join(t.TempDir(), "published")
	users := filepath.Join(t.TempDir(), "users.json")
	os.WriteFile(users, []byte(`[]`), 0o600)
	pub, err := w.Publisher(pubDir, 2, map[string]string{storage.SnapshotAccounts: users})
	if err != nil {
		t.Fatal(err)
	}
	first, err := pub.Publish(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if first.DataVersion != dataVersion(t, w.Store) || first.Files[0].Name != storage.SnapshotDatabase || len(first.Files) != 2 {
		t.Fatalf("manifest %+v", first.Manifest)
	}
	r := openReplica(t, pubDir)
	if got := dataVersion(t, r); got != first.DataVersion {
		t.Fatalf("replica data version %d, writer published %d", got, first.DataVersion)
	}
	before := r.Commits()

	// A query in flight on the first snapshot.
	rows, err := r.Reader().QueryContext(ctx, `SELECT import_id FROM imports ORDER BY import_id`)
	if err != nil {
		t.Fatal(err)
	}
	mustImport(t, w, filepath.Join(fixtures, "org_native_periods.csv"), ingest.ImportOptions{ExtractDate: orgExtract})
	second, err := pub.Publish(ctx)
	if err != nil {
		t.Fatal(err)
	}
	waitSnapshot(t, r, second.Sequence)
	n := 0
	for rows.Next() {
		n++
	}
	if err := rows.Err(); err != nil || n != 1 {
		t.Fatalf("the query begun on the old snapshot read %d rows, error %v; want the 1 import it started on", n, err)
	}
	rows.Close()
	if got := dataVersion(t, r); got != second.DataVersion || got == first.DataVersion {
		t.Fatalf("after the switch the replica has data version %d; published %d", got, second.DataVersion)
	}
	if r.Commits() != before+1 {
		t.Fatalf("a switch counts as one commit for the dashboard's figures; %d → %d", before, r.Commits())
	}

	// Keep 2: the third publication removes the first.
	third, err := pub.Publish(ctx)
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(pubDir)
	if len(entries) != 2 || entries[0].Name() != filepath.Base(second.Dir) || entries[1].Name() != filepath.Base(third.Dir) {
		t.Fatalf("publication folder holds %v; want the newest two", entries)
	}
}

// A replica never opens a snapshot whose manifest is missing, or whose file
// does not match the manifest's checksum; it keeps serving the one it has
// and takes the next good one.
func TestReplicaNeverOpensAnUnverifiedSnapshot(t *testing.T) {
	ctx := context.Background()
	w := openTestStore(t)
	pubDir := filepath.Join(t.TempDir(), "published")
	pub, err := w.Publisher(pubDir, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	good, err := pub.Publish(ctx)
	if err != nil {
		t.Fatal(err)
	}
	noManifest, err := pub.Publish(ctx)
	if err != nil {
		t.Fatal(err)
	}
	damaged, err := pub.Publish(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Break them the way a half-copied folder would look.
	if err := os.Remove(filepath.Join(noManifest.Dir, "manifest.json")); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(damaged.Dir, storage.SnapshotDatabase), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte{0})
	f.Close()

	r := openReplica(t, pubDir)
	if got := r.Snapshot(); got != good.Sequence {
		t.Fatalf("the replica opened snapshot %d; only %d is whole", got, good.Sequence)
	}
	time.Sleep(50 * time.Millisecond) // several polls
	if got := r.Snapshot(); got != good.Sequence {
		t.Fatalf("the replica switched to snapshot %d; only %d is whole", got, good.Sequence)
	}
	next, err := pub.Publish(ctx)
	if err != nil {
		t.Fatal(err)
	}
	waitSnapshot(t, r, next.Sequence)
}

// A replica changes nothing: imports, undo and purges are refused with
// ErrReplica, and its queries are reads.
func TestReplicaRefusesEveryWrite(t *testing.T) {
	ctx := context.Background()
	w := openTestStore(t)
	pubDir := filepath.Join(t.TempDir(), "published")
	pub, err := w.Publisher(pubDir, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pub.Publish(ctx); err != nil {
		t.Fatal(err)
	}
	r := openReplica(t, pubDir)
	if _, err := r.Session(ctx, true); !errors.Is(err, storage.ErrReplica) {
		t.Errorf("session: %v", err)
	}
	if _, err := r.Undo(ctx, 1, storage.UndoOptions{}); !errors.Is(err, storage.ErrReplica) {
		t.Errorf("undo: %v", err)
	}
	if _, err := r.Purge(ctx, storage.PurgeOptions{}); !errors.Is(err, storage.ErrReplica) {
		t.Errorf("purge: %v", err)
	}
	if _, err := r.Publisher(t.TempDir(), 0, nil); !errors.Is(err, storage.ErrReplica) {
		t.Errorf("publish: %v", err)
	}
	if _, err := ingest.NewImporter(r, ingest.Config{}).ImportFile(ctx, filepath.Join("..", "..", "datasets", "fixtures", "employments.csv"), ingest.ImportOptions{ExtractDate: orgExtract}); !errors.Is(err, storage.ErrReplica) {
		t.Errorf("import: %v", err)
	}
	if _, err := r.Reader().QueryContext(ctx, `DELETE FROM imports`); !errors.Is(err, storage.ErrNotARead) {
		t.Errorf("delete through the reader: %v", err)
	}
}
