package analytics

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// The deadlines of several employers read at once are, per employer,
// exactly the deadlines of that employer read alone (Tracks), on a
// generated provider's clients.
func TestDeadlinesByEmployerEqualsPerEmployer(t *testing.T) {
	ctx := context.Background()
	s, err := openDB(ctx, filepath.Join(t.TempDir(), "provider.duckdb"), storage.Options{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	dir := t.TempDir()
	clients := datasets.ProviderClients(4, 50, 250, 1, date(refExtract), 11)
	if _, err := datasets.ExportEmployers(dir, datasets.Config{Seed: 20}, clients, datasets.FormatNative); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, c := range clients {
		e, err := s.AddEmployer(ctx, c.Name)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
		for _, f := range []string{"employments.csv", "absence_periods.csv", "interventions.csv", "milestones.csv"} {
			if _, err := s.ImportFile(ctx, filepath.Join(dir, c.Name, f), ingest.ImportOptions{Employer: c.Name, ExtractDate: c.ExtractDate}); err != nil {
				t.Fatal(err)
			}
		}
	}
	ex := date(refExtract)
	f := Filter{From: ex.AddDate(-1, 0, 1), To: ex, ExtractDate: ex, Employers: ids}
	got, err := DeadlinesByEmployer(ctx, s.DB, f, TrackOptions{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, id := range ids {
		one := f
		one.Employers = []int64{id}
		alone, err := Tracks(ctx, s.DB, one, TrackOptions{}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if want := int64(len(alone.Deadlines)); got[id] != want {
			t.Errorf("employer %d: %d deadlines read with the others, %d alone", id, got[id], want)
		}
		total += got[id]
	}
	if total == 0 {
		t.Fatal("no employer has a deadline: the test proves nothing")
	}
	t.Logf("%d deadlines over %d employers", total, len(ids))
}
