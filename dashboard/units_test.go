package dashboard

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// The departments file's units, read in one query per extract date, are
// each employer's departments read alone; employers with other extract
// dates each get their own three years.
func TestReadUnitsEqualsEachEmployerAlone(t *testing.T) {
	site := newTestSiteSized(t, 150)
	addEmployer(t, site, "Klant B", 120, 9, testExtract.AddDate(0, -2, 0))
	ctx := context.Background()
	r := site.store.Reader()
	got, err := ReadUnits(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	employers, err := r.Employers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(employers) || len(employers) < 2 {
		t.Fatalf("units of %d employers, the database holds %d", len(got), len(employers))
	}
	for _, e := range employers {
		want, err := EmployerDepartments(ctx, r, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 || !cmp.Equal(got[e.Name], want) {
			t.Errorf("%s: departments %v, alone %v", e.Name, got[e.Name], want)
		}
	}
}

// After one employer's import the server reads that employer's departments
// again and keeps the others' (issue 12: it read every employer's after
// every import, 1–1.4 s at 300 employers, several seconds at 2,000): the
// file has Klant B's departments unchanged and A's new one.
func TestUnitsFileRereadsOnlyTheEmployerThatImported(t *testing.T) {
	site := newTestSiteSized(t, 150) // employer A: the default employer
	addEmployer(t, site, "Klant B", 120, 9, testExtract.AddDate(0, -2, 0))
	ctx := context.Background()
	written := func(want func(Units) bool) Units {
		t.Helper()
		getAs(t, site, "hr", "/api/v1/kpis") // sees the new state
		deadline := time.Now().Add(time.Minute)
		for {
			u, ok, err := LoadUnits(site.store.Path)
			if err != nil {
				t.Fatal(err)
			}
			if ok && want(u) {
				return u
			}
			if time.Now().After(deadline) {
				t.Fatalf("departments file not as expected a minute after the import: %v", u)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	before := written(func(u Units) bool { return len(u["Klant B"]) > 0 })

	// A renames a department in a new employments snapshot.
	data, err := os.ReadFile(filepath.Join(site.dataDir, "employments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	old := site.depts[0]
	renamed := strings.ReplaceAll(string(data), ","+old+",", ",Nieuwe afdeling,")
	path := filepath.Join(t.TempDir(), "employments.csv")
	if err := os.WriteFile(path, []byte(renamed), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := site.server.importer.ImportFile(ctx, path, ingest.ImportOptions{ExtractDate: testExtract}); err != nil {
		t.Fatal(err)
	}
	after := written(func(u Units) bool { return slices.Contains(u[storage.DefaultEmployer], "Nieuwe afdeling") })
	want, err := EmployerDepartments(ctx, site.store.Reader(), storage.DefaultEmployerID)
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(after[storage.DefaultEmployer], want) || slices.Contains(want, old) {
		t.Errorf("employer A's departments after its import %v, read alone %v (without %q)", after[storage.DefaultEmployer], want, old)
	}
	if !cmp.Equal(after["Klant B"], before["Klant B"]) {
		t.Errorf("Klant B's departments changed with A's import: %v, before %v", after["Klant B"], before["Klant B"])
	}
	if got := site.server.units.lastRead(); !slices.Equal(got, []string{storage.DefaultEmployer}) {
		t.Errorf("after employer A's import the server read the departments of %q, want A's only", got)
	}
}

// The departments file is upkeep: the server writes it once the figures
// being computed are done, and never before the first page's, so a cold
// server's first page does not share the cores with reading every
// employer's departments (issue 15: the breakdown page at 100,000
// employees took 1.72× the analytics it needs).
func TestUnitsFileWaitsForTheFigures(t *testing.T) {
	site := newTestSiteSized(t, 150)
	srv, ctx := site.server, context.Background()
	st, err := srv.readState(ctx, site.store.Commits())
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); srv.writeUnits(st) }()
	notYet := func(when string) {
		t.Helper()
		select {
		case <-done:
		case <-time.After(500 * time.Millisecond):
		}
		if _, ok, _ := LoadUnits(site.store.Path); ok {
			t.Fatalf("the departments file was written %s", when)
		}
	}
	notYet("before the first page's figures")
	if err := srv.slots.acquire(ctx, "a figure", prioPage); err != nil {
		t.Fatal(err)
	}
	notYet("while a figure was being computed")
	srv.slots.release()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("the departments file was not written once the figure was done")
	}
	if u, ok, err := LoadUnits(site.store.Path); !ok || err != nil || len(u[storage.DefaultEmployer]) == 0 {
		t.Fatalf("departments file after the figure: %v, %v, %v", u, ok, err)
	}
}
