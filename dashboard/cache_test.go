package dashboard

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/verzuim/absence/ingest"
)

// computations counts how often the database computed a figure.
func computations(site *testSite, figure string) int {
	return computeTotals(site.server)[figure].count
}

type computeTotal struct {
	count   int
	seconds float64
}

// computeTotals reads the computations per figure off the server's metrics.
func computeTotals(s *Server) map[string]computeTotal {
	families, err := s.metrics.registry.Gather()
	if err != nil {
		panic(err)
	}
	out := map[string]computeTotal{}
	for _, f := range families {
		if f.GetName() != "absence_figure_computation_seconds" {
			continue
		}
		for _, m := range f.GetMetric() {
			h := m.GetHistogram()
			out[m.GetLabel()[0].GetValue()] = computeTotal{int(h.GetSampleCount()), h.GetSampleSum()}
		}
	}
	return out
}

// TestBurstComputesOnce: many clients asking for the same figure of a cold
// cache at the same moment make the database compute it once, and all get
// it.
func TestBurstComputesOnce(t *testing.T) {
	site := newTestSite(t)
	const clients = 16
	for _, tc := range []struct{ path, figure string }{
		{"/api/v1/kpis?from=2025-01-01&to=2025-12-31", "kpis"},
		{"/trends?age=35-44", "series"},
		{"/api/v1/survival?hours=35%2B", "survival"},
	} {
		before := computations(site, tc.figure)
		start := make(chan struct{})
		var wg sync.WaitGroup
		statuses := make(chan int, clients)
		for range clients {
			client := sessionClient(t, site, "hr", time.Minute)
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				resp, err := client.Get(site.url + tc.path)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				statuses <- resp.StatusCode
			}()
		}
		close(start)
		wg.Wait()
		close(statuses)
		for s := range statuses {
			if s != http.StatusOK {
				t.Errorf("%s: status %d", tc.path, s)
			}
		}
		// The trends page asks for two series (12 months and five years).
		want := 1
		if tc.figure == "series" {
			want = 2
		}
		if got := computations(site, tc.figure) - before; got != want {
			t.Errorf("%d clients at once on %s: %s computed %d times, want %d", clients, tc.path, tc.figure, got, want)
		}
	}
}

// TestOldFiguresUntilRefreshed: after an import commits, requests keep
// getting the figures of before, without an error and without waiting for
// the database, until the new figures are ready; then they get the new ones.
func TestOldFiguresUntilRefreshed(t *testing.T) {
	site := newTestSite(t)
	newCases := newCasesOf(t, site)
	before := newCases()
	path, profile := site.extraCaseFile(t)
	if _, err := site.server.importer.ImportFile(context.Background(), path, ingest.ImportOptions{Profile: profile, ExtractDate: testExtract}); err != nil {
		t.Fatal(err)
	}
	// With every query slot taken, the refresh cannot finish: requests
	// meanwhile must not need the database.
	release := holdSlots(t, site.server)
	for i := range 5 {
		if got := newCases(); got != before {
			t.Fatalf("request %d after the import: %d new cases, want the %d of before until the new figures are ready", i+1, got, before)
		}
	}
	if swapped(site) {
		t.Fatal("the new generation took over before its figures were computed")
	}
	// A figure not cached before is computed on the new data meanwhile.
	uncached := make(chan int, 1)
	go func() {
		resp, err := sessionClient(t, site, "hr", time.Minute).Get(site.url + "/api/v1/series")
		if err != nil {
			t.Error(err)
			uncached <- 0
			return
		}
		resp.Body.Close()
		uncached <- resp.StatusCode
	}()
	release()
	if status := <-uncached; status != http.StatusOK {
		t.Errorf("a figure not cached before, asked for during the refresh: status %d", status)
	}
	deadline := time.Now().Add(time.Minute)
	for newCases() != before+1 {
		if time.Now().After(deadline) {
			t.Fatalf("a minute after the import the figures still show %d new cases, want %d", before, before+1)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// holdSlots takes every query slot until release is called.
func holdSlots(t testing.TB, s *Server) (release func()) {
	t.Helper()
	for i := range s.slots.n {
		if err := s.slots.acquire(context.Background(), fmt.Sprint("held by the test ", i), prioAnswer); err != nil {
			t.Fatal(err)
		}
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			for range s.slots.n {
				s.slots.release()
			}
		})
	}
	t.Cleanup(release)
	return release
}

// newCasesOf reads the new cases of the default view off the API.
func newCasesOf(t *testing.T, site *testSite) func() int64 {
	client := sessionClient(t, site, "hr", time.Minute)
	return func() int64 {
		t.Helper()
		resp, err := client.Get(site.url + "/api/v1/kpis")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		var body struct {
			Data struct {
				NewCases int64 `json:"new_cases"`
			}
		}
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		return body.Data.NewCases
	}
}

// TestFigureTheRefreshMissedServedFromBefore: when a refresh runs out of time
// before it got to a figure, the new generation serves the figure of before
// while it computes it, rather than make the users wait.
func TestFigureTheRefreshMissedServedFromBefore(t *testing.T) {
	site := newTestSite(t)
	newCases := newCasesOf(t, site)
	before := newCases()
	budget := refreshBudget
	refreshBudget = 0 // the refresh replays nothing
	t.Cleanup(func() { refreshBudget = budget })
	release := holdSlots(t, site.server)
	path, profile := site.extraCaseFile(t)
	if _, err := site.server.importer.ImportFile(context.Background(), path, ingest.ImportOptions{Profile: profile, ExtractDate: testExtract}); err != nil {
		t.Fatal(err)
	}
	if got := newCases(); got != before { // starts the refresh
		t.Fatalf("first request after the import: %d new cases, want the %d of before", got, before)
	}
	deadline := time.Now().Add(time.Minute)
	for !swapped(site) {
		if time.Now().After(deadline) {
			t.Fatal("no new generation a minute after the import")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := newCases(); got != before {
		t.Fatalf("new generation without the figure, query slots taken: %d new cases, want the %d of before", got, before)
	}
	release()
	for newCases() != before+1 {
		if time.Now().After(deadline) {
			t.Fatalf("the new figure was never computed: still %d new cases", before)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// swapped tells whether the site serves a generation of its latest data.
func swapped(site *testSite) bool {
	site.server.genMu.Lock()
	defer site.server.genMu.Unlock()
	return site.server.current.state.commits == site.store.Commits() && !site.server.refreshing
}
