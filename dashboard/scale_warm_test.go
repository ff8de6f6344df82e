//go:build scale

package dashboard

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/datasets/speed"
	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// TestScaleWarmAfterImport (issue 12): on a copy of the provider database
// TestScale kept in ABSENCE_SCALE_DIR, with the HR pages / and /breakdown
// of ABSENCE_SCALE_WARM employers (20) and the provider's client overview
// warm, ABSENCE_SCALE_IMPORTS of those employers (1) import a new absence
// case one after another, as an inbox run does. It prints how many figures
// the refresh computed, how long from the first request after the first
// commit until the new generation served, and what the other employers'
// pages then cost. Run it for two builds, interleaved, to compare:
//
//	ABSENCE_SCALE_DIR=/tmp/warm/s300 go test -tags scale -run 'TestScaleWarmAfterImport$' -v ./dashboard/
func TestScaleWarmAfterImport(t *testing.T) {
	dir := os.Getenv("ABSENCE_SCALE_DIR")
	if dir == "" {
		t.Skip("ABSENCE_SCALE_DIR names no database kept by TestScale")
	}
	warmed, imports := speed.Knob(t, "ABSENCE_SCALE_WARM", 20), speed.Knob(t, "ABSENCE_SCALE_IMPORTS", 1)
	ctx := context.Background()
	store := keptProvider(t, dir)
	summaries, err := store.Reader().EmployerSummaries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var chosen []datasets.Employer
	extract := map[string]time.Time{}
	for _, e := range summaries {
		if e.Cases > 0 && len(chosen) < warmed {
			chosen = append(chosen, datasets.Employer{Name: e.Name})
			extract[e.Name] = e.ExtractDate
		}
	}
	srv, url := scaleServer(t, store, chosen)
	pages := []string{"/", "/breakdown"}
	for _, e := range chosen {
		for _, p := range pages {
			scaleGetWarm(t, srv, url+p, scaleHR(e))
		}
	}
	scaleGetWarm(t, srv, url+"/clients", "provider")
	total := func() (n int) {
		for _, c := range computeTotals(srv) {
			n += c.count
		}
		return n
	}

	profile, err := ingest.LoadProfile("native-periods")
	if err != nil {
		t.Fatal(err)
	}
	profile.Source = "second-source"
	before, load := total(), speed.Load()
	var began time.Time
	for i, x := range chosen[:imports] {
		path := extraCaseOf(t, filepath.Join(dir, "inbox", x.Name, "archive"), extract[x.Name])
		if _, err := ingest.NewImporter(store, ingest.Config{}).ImportFile(ctx, path, ingest.ImportOptions{Profile: profile, ExtractDate: extract[x.Name], Employer: x.Name}); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			began = time.Now()
		}
		scaleGetWarm(t, srv, url+"/", scaleHR(chosen[imports])) // served from before; starts the refresh
	}
	for {
		srv.genMu.Lock()
		done := srv.current.state.commits == store.Commits() && !srv.refreshing
		srv.genMu.Unlock()
		if done {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	swap, refreshed := time.Since(began), total()-before
	began, before = time.Now(), total()
	for _, e := range chosen[imports:] {
		for _, p := range pages {
			scaleGetWarm(t, srv, url+p, scaleHR(e))
		}
	}
	others, othersComputed := time.Since(began), total()-before
	fmt.Printf("WARM employers=%d warmed=%d imports=%d refresh_figures=%d swap_ms=%d other_pages=%d other_pages_ms=%d other_pages_figures=%d load=%.1f-%.1f\n",
		len(summaries), len(chosen), imports, refreshed, swap.Milliseconds(), 2*(len(chosen)-imports), others.Milliseconds(), othersComputed, load, speed.Load())
}

// keptProvider opens a copy of the provider database TestScale kept in
// dir, so a measurement can change it.
func keptProvider(t testing.TB, dir string) *storage.Store {
	t.Helper()
	work := t.TempDir()
	for _, f := range []string{"provider.duckdb", "provider.duckdb.key"} {
		copyFile(t, filepath.Join(dir, f), filepath.Join(work, f))
	}
	return openScaleStore(t, filepath.Join(work, "provider.duckdb"))
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// extraCaseOf writes one new closed case, 30 to 21 days before extract, of
// an employee of the employer's archived exports (extraCase).
func extraCaseOf(t testing.TB, archive string, extract time.Time) string {
	t.Helper()
	file := func(name string) string {
		paths, _ := filepath.Glob(filepath.Join(archive, "*", "*", name))
		if len(paths) == 0 {
			t.Fatalf("no %s in %s", name, archive)
		}
		return paths[0]
	}
	return extraCase(t, file, "2-absence_periods.csv", "1-employments.csv", extract)
}
