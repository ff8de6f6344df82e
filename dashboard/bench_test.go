package dashboard

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/verzuim/absence/dashboard/pagecost"
	"github.com/verzuim/absence/datasets/speed"
	"github.com/verzuim/absence/ingest/storage"
)

// BenchmarkPagesVsAnalytics times each page that computes figures with an
// empty cache against the analytics calls its widgets need, called
// directly, interleaved in one run (dashboard/pagecost). The page's
// overhead (filter bar, charts, template) shows as the ratio. Size the
// organisation with ABSENCE_BENCH_EMPLOYEES (default 1,000,000).
func BenchmarkPagesVsAnalytics(b *testing.B) {
	employees := 1_000_000
	if v := os.Getenv("ABSENCE_BENCH_EMPLOYEES"); v != "" {
		employees, _ = strconv.Atoi(v)
	}
	site := newTestSiteSized(b, employees)
	site.server.cfg.WidgetTimeout = time.Hour // the whole page, never "being computed"
	ctx := context.Background()
	for _, pg := range pagecost.Pages(pagecost.Scope{Extract: testExtract, Employers: []int64{storage.DefaultEmployerID}, Provider: testProvider}) {
		cookie := sessionCookieFor(b, site, pg.Role)
		b.Run(pg.Name, func(b *testing.B) {
			times, err := speed.Interleave(b.N,
				speed.Timed(func() error { return pg.Analytics(ctx, site.store.Reader()) }),
				speed.Timed(func() error {
					site.server.current = nil // an empty cache
					req := httptest.NewRequest(http.MethodGet, pg.Path, nil)
					req.AddCookie(cookie)
					rec := httptest.NewRecorder()
					site.server.Handler().ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						b.Fatalf("%s: status %d", pg.Path, rec.Code)
					}
					return pagecost.Shown(rec.Body.Bytes())
				}))
			if err != nil {
				b.Fatal(err)
			}
			d, s := speed.Median(times[0]), speed.Median(times[1])
			b.ReportMetric(d.Seconds()*1000, "analytics-median-ms")
			b.ReportMetric(s.Seconds()*1000, "page-median-ms")
			b.ReportMetric(s.Seconds()/d.Seconds(), "ratio")
		})
	}
}

// sessionCookieFor logs a user in directly, for benchmarks.
func sessionCookieFor(tb testing.TB, site *testSite, user string) *http.Cookie {
	id, _ := site.server.sessions.create(user, 0)
	return &http.Cookie{Name: sessionCookie, Value: id}
}
