package dashboard

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/widgets"
)

// BenchmarkPagesVsAnalytics times each page with an empty cache against the
// analytics calls it needs, called directly, interleaved in one run. The
// page's overhead (filter, charts, template) shows as the ratio. Size the
// organisation with ABSENCE_BENCH_EMPLOYEES (default 1,000,000).
func BenchmarkPagesVsAnalytics(b *testing.B) {
	employees := 1_000_000
	if v := os.Getenv("ABSENCE_BENCH_EMPLOYEES"); v != "" {
		employees, _ = strconv.Atoi(v)
	}
	site := newTestSiteSized(b, employees)
	ctx := context.Background()
	v, err := parseView(nil, testExtract)
	if err != nil {
		b.Fatal(err)
	}
	opt := analytics.Options{}
	pages := []struct {
		name, path string
		analytics  func() error
	}{
		{"overview", "/", func() error {
			if _, err := analytics.KPIs(ctx, site.store.Reader(), v.filter(), opt); err != nil {
				return err
			}
			if _, err := analytics.KPIs(ctx, site.store.Reader(), widgets.View{Filter: v.filter()}.Previous().Filter, opt); err != nil {
				return err
			}
			_, err := analytics.Series(ctx, site.store.Reader(), v.filter(), analytics.Monthly, opt)
			return err
		}},
		{"breakdown", "/breakdown", func() error {
			_, err := analytics.Breakdown(ctx, site.store.Reader(), v.filter(), analytics.ByDepartment, opt)
			return err
		}},
	}
	cookie := sessionCookieFor(b, site, "hr")
	for _, pg := range pages {
		b.Run(pg.name, func(b *testing.B) {
			var direct, served []time.Duration
			for i := 0; i < b.N; i++ {
				start := time.Now()
				if err := pg.analytics(); err != nil {
					b.Fatal(err)
				}
				direct = append(direct, time.Since(start))

				site.server.current = nil // an empty cache
				req := httptest.NewRequest(http.MethodGet, pg.path, nil)
				req.AddCookie(cookie)
				rec := httptest.NewRecorder()
				start = time.Now()
				site.server.Handler().ServeHTTP(rec, req)
				served = append(served, time.Since(start))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: status %d", pg.path, rec.Code)
				}
			}
			d, s := medianOf(direct), medianOf(served)
			b.ReportMetric(d.Seconds()*1000, "analytics-median-ms")
			b.ReportMetric(s.Seconds()*1000, "page-median-ms")
			b.ReportMetric(s.Seconds()/d.Seconds(), "ratio")
		})
	}
}

func medianOf(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// sessionCookieFor logs a user in directly, for benchmarks.
func sessionCookieFor(tb testing.TB, site *testSite, user string) *http.Cookie {
	id, _ := site.server.sessions.create(user, 0)
	return &http.Cookie{Name: sessionCookie, Value: id}
}
