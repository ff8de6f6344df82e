package inbox

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// An employer's folder receives its exports together, named as the vendor
// names them: absence_periods.csv sorts before employments.csv, yet its rows
// are checked against the employments, so those must land first.
func TestInboxImportsAFolderInDependencyOrder(t *testing.T) {
	ctx := context.Background()
	for _, folder := range []string{"", "Klant A"} {
		t.Run("folder "+folder, func(t *testing.T) {
			dir := t.TempDir()
			s := openStore(t, filepath.Join(dir, "order.duckdb"), storage.Options{})
			inbox := filepath.Join(dir, "inbox")
			files := filepath.Join(inbox, folder)
			if err := os.MkdirAll(files, 0o755); err != nil {
				t.Fatal(err)
			}
			if folder != "" {
				if _, err := s.AddEmployer(ctx, folder); err != nil {
					t.Fatal(err)
				}
			}
			night := time.Date(2025, 6, 30, 2, 0, 0, 0, time.UTC)
			for name, fixture := range map[string]string{
				"absence_periods.csv": "retention_periods.csv",
				"employments.csv":     "retention_employments.csv",
				"interventions.csv":   "retention_interventions.csv",
				"milestones.csv":      "retention_milestones.csv",
			} {
				drop(t, files, name, string(mustRead(t, fixtures+fixture)), night)
			}
			in, err := New(ingest.NewImporter(s.Store, ingest.Config{Now: func() time.Time { return night }}), Options{Dir: inbox, StableFor: time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			events, err := in.Run(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, ev := range events {
				got = append(got, ev.File+" "+ev.Outcome)
				if ev.Rejected > 0 {
					t.Errorf("%s: %d rows rejected: %s", ev.File, ev.Rejected, ev.Message)
				}
			}
			want := []string{"employments.csv imported", "absence_periods.csv imported", "interventions.csv imported", "milestones.csv imported"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("the order of the imports (-want +got):\n%s", diff)
			}
		})
	}
}
