package storage_test

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/verzuim/absence/ingest/storage"
)

// The summaries of some employers are their rows of the summaries of
// every employer: the same employees, cases and latest import.
func TestEmployerSummariesOfSomeEmployers(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	klant, err := s.AddEmployer(ctx, "Klant")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddEmployer(ctx, "Leeg"); err != nil { // nothing imported
		t.Fatal(err)
	}
	loadRetentionOrg(t, s)
	loadRetentionOrgFor(t, s, "Klant")
	all, err := s.Reader().EmployerSummaries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0].Cases == 0 || all[1].Employees == 0 || all[1].LastImport.IsZero() {
		t.Fatalf("the summaries of every employer: %+v; want 3, the first two with data", all)
	}
	for _, ids := range [][]int64{{klant.ID}, {storage.DefaultEmployerID}, {all[2].ID}, {klant.ID, storage.DefaultEmployerID}} {
		got, err := s.Reader().EmployerSummaries(ctx, ids...)
		if err != nil {
			t.Fatal(err)
		}
		var want []storage.EmployerSummary
		for _, e := range all { // in id order, as every summary
			if slices.Contains(ids, e.ID) {
				want = append(want, e)
			}
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("the summaries of employers %v differ from theirs among all (-want +got):\n%s", ids, d)
		}
	}
}
