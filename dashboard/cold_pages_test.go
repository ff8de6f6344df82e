package dashboard

import (
	"io"
	"maps"
	"net/http"
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
