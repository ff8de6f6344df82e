package analytics

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"
)

// BenchmarkClientOverview times the client overview's figures of one
// extract date's clients (ABSENCE_BENCH_CLIENTS, 20): the breakdown by
// employer and the deadlines by employer, and, interleaved, all the tracks
// of those clients (which the deadlines were counted from before).
//
//	go test -run '^$' -bench ClientOverview -benchtime 3x -timeout 30m ./analytics/
func BenchmarkClientOverview(b *testing.B) {
	n := 20
	if v := os.Getenv("ABSENCE_BENCH_CLIENTS"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	s, f, _ := providerClients(b, n, 50, 1000)
	ctx := context.Background()
	var br, dl, tr []time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := BreakdownByEmployer(ctx, s.DB, f, Options{}); err != nil {
			b.Fatal(err)
		}
		br = append(br, time.Since(start))
		start = time.Now()
		if _, err := DeadlinesByEmployer(ctx, s.DB, f, TrackOptions{DeadlineWeeks: 6}, Options{}); err != nil {
			b.Fatal(err)
		}
		dl = append(dl, time.Since(start))
		start = time.Now()
		if _, err := Tracks(ctx, s.DB, f, TrackOptions{DeadlineWeeks: 6}, Options{}); err != nil {
			b.Fatal(err)
		}
		tr = append(tr, time.Since(start))
	}
	b.ReportMetric(medianDuration(br).Seconds()*1000, "breakdown-ms")
	b.ReportMetric(medianDuration(dl).Seconds()*1000, "deadlines-ms")
	b.ReportMetric(medianDuration(tr).Seconds()*1000, "all-tracks-ms")
}
