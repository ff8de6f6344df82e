package dashboard

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics exposes /metrics in the Prometheus format: request latencies per
// route, and the import figures, read from the ledger at each scrape so they
// survive restarts and count every way in (CLI, upload, inbox).
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.HistogramVec
	computed *prometheus.HistogramVec
}

func newMetrics(s *Server) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "absence_http_request_duration_seconds", Help: "Time to answer HTTP requests, by route and status.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 12),
		}, []string{"route", "status"}),
		computed: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "absence_figure_computation_seconds", Help: "Time the database took to compute figures (not served from the cache), by figure.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 12),
		}, []string{"figure"}),
	}
	m.registry.MustRegister(m.requests, m.computed, ledgerCollector{s}, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) observe() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, statusClass(c.Writer.Status())).Observe(time.Since(start).Seconds())
	}
}

func (m *metrics) handler() gin.HandlerFunc {
	h := promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
	return func(c *gin.Context) { h.ServeHTTP(c.Writer, c.Request) }
}

func statusClass(code int) string {
	return []string{"0xx", "1xx", "2xx", "3xx", "4xx", "5xx"}[min(code/100, 5)]
}

var (
	importsDesc      = prometheus.NewDesc("absence_imports_total", "Imports run, by status (committed or failed).", []string{"status"}, nil)
	rowsDesc         = prometheus.NewDesc("absence_import_rows_total", "Rows of committed imports, by outcome.", []string{"outcome"}, nil)
	lastSuccessDesc  = prometheus.NewDesc("absence_last_successful_import_timestamp_seconds", "When the last import committed (Unix time).", nil, nil)
	inboxLastRunDesc = prometheus.NewDesc("absence_inbox_last_run_timestamp_seconds", "When the inbox last ran (Unix time).", nil, nil)
)

type ledgerCollector struct{ s *Server }

func (l ledgerCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- importsDesc
	ch <- rowsDesc
	ch <- lastSuccessDesc
	ch <- inboxLastRunDesc
}

func (l ledgerCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := l.s.store.ImportTotals(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(importsDesc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(importsDesc, prometheus.CounterValue, float64(st.Committed), "committed")
	ch <- prometheus.MustNewConstMetric(importsDesc, prometheus.CounterValue, float64(st.Failed), "failed")
	ch <- prometheus.MustNewConstMetric(rowsDesc, prometheus.CounterValue, float64(st.Accepted), "accepted")
	ch <- prometheus.MustNewConstMetric(rowsDesc, prometheus.CounterValue, float64(st.Rejected), "rejected")
	ch <- prometheus.MustNewConstMetric(rowsDesc, prometheus.CounterValue, float64(st.Duplicate), "duplicate")
	if !st.LastSuccess.IsZero() {
		ch <- prometheus.MustNewConstMetric(lastSuccessDesc, prometheus.GaugeValue, float64(st.LastSuccess.Unix()))
	}
	if in := l.s.cfg.Inbox; in != nil {
		if last := in.Status().LastRun; !last.IsZero() {
			ch <- prometheus.MustNewConstMetric(inboxLastRunDesc, prometheus.GaugeValue, float64(last.Unix()))
		}
	}
}
