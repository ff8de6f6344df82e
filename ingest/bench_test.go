package ingest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/datasets/speed"
	"github.com/verzuim/absence/ingest/storage"
)

// BenchmarkImportVsPlainLoad imports the generated absence periods with full
// validation, case building and pseudonymisation, and times DuckDB's plain
// read_csv of the same file into a table, interleaved in the same run so
// machine noise hits both alike. It reports the medians and their ratio.
// The README's table comes from cmd/absence's TestSpeedTable, which runs
// both sides as processes of their own to measure their peak memory too.
func BenchmarkImportVsPlainLoad(b *testing.B) {
	dir, err := datasets.BenchFiles(datasets.Config{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	periods := filepath.Join(dir, "absence_periods.csv")
	ctx := context.Background()
	var plain, ours []time.Duration
	var rows int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := openStore(b, filepath.Join(b.TempDir(), "bench.duckdb"), storage.Options{}, Config{})
		if _, err := s.ImportFile(ctx, filepath.Join(dir, "employments.csv"), ImportOptions{}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()

		sess, err := s.DB.Store.Session(ctx, true)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := speed.PlainLoad(ctx, sess.Conn(), periods); err != nil {
			b.Fatal(err)
		}
		plain = append(plain, time.Since(start))
		sess.Close()

		start = time.Now()
		res, err := s.ImportFile(ctx, periods, ImportOptions{ExtractDate: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			b.Fatal(err)
		}
		ours = append(ours, time.Since(start))
		if res.Rejected != 0 {
			b.Fatalf("%d rows rejected: %v", res.Rejected, res.Errors[:min(5, len(res.Errors))])
		}
		rows = res.Read
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	p, o := speed.Median(plain), speed.Median(ours)
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(p.Seconds(), "plain-median-s")
	b.ReportMetric(o.Seconds(), "import-median-s")
	b.ReportMetric(o.Seconds()/p.Seconds(), "ratio")
}
