package analytics

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// The client overview's figures of several employers read at once are,
// per employer, exactly the figures of that employer read alone, on a
// generated provider's clients: the deadlines (Tracks), the statistics
// (KPIs) and the departments (Values).
func TestClientOverviewEqualsPerEmployer(t *testing.T) {
	ctx := context.Background()
	s, f, ids := providerClients(t, 4, 50, 250)
	got, err := DeadlinesByEmployer(ctx, s.DB, f, TrackOptions{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := BreakdownByEmployer(ctx, s.DB, f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	departments, err := ValuesByEmployer(ctx, s.DB, f, ByDepartment)
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
		v, err := Values(ctx, s.DB, one, ByDepartment)
		if err != nil {
			t.Fatal(err)
		}
		if len(v) == 0 || !cmp.Equal(departments[id], v) {
			t.Errorf("employer %d: departments %v read with the others, %v alone", id, departments[id], v)
		}
		k, err := KPIs(ctx, s.DB, one, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range b.Groups {
			if g.Key == strconv.FormatInt(id, 10) && !cmp.Equal(g.Figures, k.Total.Figures, cmpopts.EquateApprox(1e-12, 0)) {
				t.Errorf("employer %d: its figures read with the others differ from alone:\n%s", id, cmp.Diff(k.Total.Figures, g.Figures))
			}
		}
	}
	if total == 0 || len(b.Groups) != len(ids) {
		t.Fatalf("%d deadlines, %d of %d employers in the breakdown: the test proves nothing", total, len(b.Groups), len(ids))
	}
	t.Logf("%d deadlines over %d employers", total, len(ids))
}

// providerClients imports n generated clients of minSize to maxSize
// employees with one extract date, as one group of the client overview;
// it returns the store, a filter over them and their ids.
func providerClients(tb testing.TB, n, minSize, maxSize int) (*testStore, Filter, []int64) {
	tb.Helper()
	ctx := context.Background()
	s, err := openDB(ctx, filepath.Join(tb.TempDir(), "provider.duckdb"), storage.Options{Threads: 2})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	dir := tb.TempDir()
	ex := date(refExtract)
	clients := datasets.ProviderClients(n, minSize, maxSize, 1, ex, 11)
	if _, err := datasets.ExportEmployers(dir, datasets.Config{Seed: 20}, clients, datasets.FormatNative); err != nil {
		tb.Fatal(err)
	}
	var ids []int64
	for _, c := range clients {
		e, err := s.AddEmployer(ctx, c.Name)
		if err != nil {
			tb.Fatal(err)
		}
		ids = append(ids, e.ID)
		for _, f := range []string{"employments.csv", "absence_periods.csv", "interventions.csv", "milestones.csv"} {
			if _, err := s.ImportFile(ctx, filepath.Join(dir, c.Name, f), ingest.ImportOptions{Employer: c.Name, ExtractDate: c.ExtractDate}); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return s, Filter{From: ex.AddDate(-1, 0, 1), To: ex, ExtractDate: ex, Employers: ids}, ids
}
