package dashboard

import (
	"context"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/dashboard/pagecost"
	"github.com/verzuim/absence/ingest/storage"
)

// TestColdPageFigures: a page opened with an empty cache computes the
// figures its widgets show and the filter bar's two lists, each once —
// never a figure twice, never a breakdown to fill a list — as counted by
// the server's metrics. The same list is what the speed benchmarks time
// each page against.
func TestColdPageFigures(t *testing.T) {
	site := newTestSite(t)
	site.server.cfg.WidgetTimeout = 5 * time.Minute // the whole page, never "being computed"
	for _, pg := range pagecost.Pages(pagecost.Scope{Extract: testExtract, Employers: []int64{storage.DefaultEmployerID}, Provider: testProvider}) {
		t.Run(pg.Name, func(t *testing.T) {
			site.server.current = nil // an empty cache
			before := computeTotals(site.server)
			resp, err := sessionClient(t, site, pg.Role, 5*time.Minute).Get(site.url + pg.Path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: status %d\n%s", pg.Path, resp.StatusCode, body)
			}
			if err := pagecost.Shown(body); err != nil {
				t.Errorf("%s: %v", pg.Path, err)
			}
			got := map[string]int{}
			for name, n := range computeTotals(site.server) {
				if d := n.count - before[name].count; d > 0 {
					got[name] = d
				}
			}
			if !maps.Equal(got, pg.Figures) {
				t.Errorf("%s with an empty cache computed %v, want %v", pg.Path, got, pg.Figures)
			}
		})
	}
}

// TestColdPageFiguresAtOnce: a page opened with an empty cache asks for all
// its figures at once — the filter bar's lists alongside the widgets, and
// no widget held back behind two others waiting for one figure — so the
// query slots alone bound how many are computed at a time. The test holds
// every query slot, opens the page, and waits until each figure is queued.
func TestColdPageFiguresAtOnce(t *testing.T) {
	// Figures computed from another figure, so asked for only once it is
	// there: the card's cost and benefit from its adjusted effect.
	after := map[string]bool{"intervention_cost": true}
	site := newTestSite(t)
	s := site.server
	s.cfg.WidgetTimeout = 5 * time.Minute
	for _, pg := range pagecost.Pages(pagecost.Scope{Extract: testExtract, Employers: []int64{storage.DefaultEmployerID}, Provider: testProvider}) {
		t.Run(pg.Name, func(t *testing.T) {
			s.current = nil // an empty cache
			want := map[string]bool{}
			for name := range pg.Figures {
				if !after[name] {
					want[name] = true
				}
			}
			for range s.slots.n {
				if err := s.slots.acquire(context.Background(), "the test", prioAnswer); err != nil {
					t.Fatal(err)
				}
			}
			done := make(chan error, 1)
			go func() {
				resp, err := sessionClient(t, site, pg.Role, 5*time.Minute).Get(site.url + pg.Path)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				done <- err
			}()
			var asked map[string]bool
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
				if asked = askedFigures(s); maps.Equal(asked, want) {
					break
				}
			}
			for range s.slots.n {
				s.slots.release()
			}
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(asked, want) {
				t.Errorf("%s with an empty cache and the query slots taken waited for %v at once, want %v", pg.Path, slices.Sorted(maps.Keys(asked)), slices.Sorted(maps.Keys(want)))
			}
		})
	}
}

// askedFigures are the figures requests are waiting for, by name (the
// query queue's keys are "COMMITS/NAME?VIEW").
func askedFigures(s *Server) map[string]bool {
	s.slots.mu.Lock()
	defer s.slots.mu.Unlock()
	out := map[string]bool{}
	for key := range s.slots.askers {
		_, figure, _ := strings.Cut(key, "/")
		name, _, _ := strings.Cut(figure, "?")
		out[name] = true
	}
	return out
}
