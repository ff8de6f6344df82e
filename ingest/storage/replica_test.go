package storage_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/internal/testkit"
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
	if n := storage.OpenSnapshots(r); n != 1 {
		t.Errorf("%d snapshots open after the query on the old one ended; want 1", n)
	}
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

	// Only the accounts changed: the database file is the last one's, linked.
	os.WriteFile(users, []byte(`[{"name":"hr"}]`), 0o600)
	fourth, err := pub.Publish(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := os.Stat(filepath.Join(third.Dir, storage.SnapshotDatabase))
	b, _ := os.Stat(filepath.Join(fourth.Dir, storage.SnapshotDatabase))
	if !os.SameFile(a, b) || fourth.Files[1] == third.Files[1] {
		t.Errorf("a publication of new accounts only: database linked %v, accounts %v then %v", os.SameFile(a, b), third.Files[1], fourth.Files[1])
	}
	waitSnapshot(t, r, fourth.Sequence)
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
	// A new file: publications without a commit between them share one.
	db := filepath.Join(damaged.Dir, storage.SnapshotDatabase)
	data, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(db)
	if err := os.WriteFile(db, append(data, 0), 0o600); err != nil {
		t.Fatal(err)
	}

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

// BenchmarkPublishAndSwitch measures, on the benchmark organisation
// (ABSENCE_BENCH_EMPLOYEES): a publication (copy, checksums, rename) and its
// size; the time from a commit on the writer (undoing the interventions
// import) to its publication by Publisher.Run; and the time from a
// publication to a replica serving it (verify the checksums, open); and a
// publication of changed accounts only.
func BenchmarkPublishAndSwitch(b *testing.B) {
	s := benchStore(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pubDir := filepath.Join(b.TempDir(), "published")
	pub, err := s.Publisher(pubDir, 3, nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := pub.Publish(ctx); err != nil {
		b.Fatal(err)
	}
	r, err := storage.OpenReplica(ctx, pubDir, storage.ReplicaOptions{Poll: 10 * time.Millisecond})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	var publish, toServing time.Duration
	var size int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		storage.ForgetLastPublication(pub)
		began := time.Now()
		res, err := pub.Publish(ctx)
		if err != nil {
			b.Fatal(err)
		}
		published := time.Now()
		publish += published.Sub(began)
		size = res.Files[0].Size
		for r.Snapshot() != res.Sequence {
			time.Sleep(time.Millisecond)
		}
		toServing += time.Since(published)
	}
	b.StopTimer()
	b.ReportMetric(publish.Seconds()/float64(b.N), "publish-s")
	b.ReportMetric(float64(size)/1e6, "MB")
	b.ReportMetric(toServing.Seconds()/float64(b.N), "publication-to-replica-s")

	// Only the accounts changed: the last database file is linked.
	began := time.Now()
	if _, err := pub.Publish(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(time.Since(began).Seconds(), "accounts-only-publish-s")

	// From a commit to its publication, through Run.
	go pub.Run(ctx)
	time.Sleep(2 * time.Second) // Run's first publication
	seq := r.Snapshot()
	var last int64
	testkit.ScanRow(b, s.DB.QueryRow(`SELECT max(import_id) FROM imports WHERE kind = 'intervention' AND status = 'committed'`), &last)
	if _, err := s.Undo(ctx, last, storage.UndoOptions{By: "bench"}); err != nil {
		b.Fatal(err)
	}
	committed := time.Now()
	for r.Snapshot() == seq {
		time.Sleep(time.Millisecond)
	}
	b.ReportMetric(time.Since(committed).Seconds(), "commit-to-replica-s")
}

// Readers querying without pause while the replica switches five times:
// no query fails, and every snapshot but the newest is closed in the end.
func TestReplicaSwitchesUnderQueries(t *testing.T) {
	ctx := context.Background()
	w := openTestStore(t)
	mustImport(t, w, filepath.Join("..", "..", "datasets", "fixtures", "employments.csv"), ingest.ImportOptions{ExtractDate: orgExtract})
	pubDir := filepath.Join(t.TempDir(), "published")
	pub, err := w.Publisher(pubDir, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pub.Publish(ctx); err != nil {
		t.Fatal(err)
	}
	r := openReplica(t, pubDir)
	stop := make(chan struct{})
	errs := make(chan error, 100)
	var queries atomic.Int64
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				var n int64
				if err := r.Reader().QueryRowContext(ctx, `SELECT count(*) FROM employments`).Scan(&n); err != nil || n == 0 {
					errs <- fmt.Errorf("%d rows, %v", n, err)
					return
				}
				if _, err := r.DataVersion(ctx); err != nil {
					errs <- err
					return
				}
				queries.Add(1)
			}
		}()
	}
	var last storage.PublishResult
	for range 5 {
		storage.ForgetLastPublication(pub) // a new file each time
		if last, err = pub.Publish(ctx); err != nil {
			t.Fatal(err)
		}
		waitSnapshot(t, r, last.Sequence)
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if queries.Load() < 20 {
		t.Errorf("only %d queries ran", queries.Load())
	}
	if n := storage.OpenSnapshots(r); n != 1 {
		t.Errorf("%d snapshots open once the queries ended; want only the newest", n)
	}
}
