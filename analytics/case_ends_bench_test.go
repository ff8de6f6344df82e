package analytics

import (
	"context"
	"testing"
	"time"

	"github.com/verzuim/absence/ingest/storage"
)

// BenchmarkOutcomes estimates how every sickness case of the benchmark
// organisation ended (Outcomes: the end of each case, the tallies per day
// and way in DuckDB, Aalen–Johansen in Go), interleaved with Survival over
// the same cases, and reports the medians and their ratio; and relapse and
// frequent to long on the same data.
func BenchmarkOutcomes(b *testing.B) {
	path, err := outcomesBench()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	s, err := openDB(ctx, path, storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	f := Filter{From: date("1900-01-01"), To: date("2026-06-30")}
	var km, aj, rel, fl []time.Duration
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		sv, err := Survival(ctx, s.DB, f, "", Options{})
		if err != nil {
			b.Fatal(err)
		}
		km = append(km, time.Since(start))

		start = time.Now()
		res, err := Outcomes(ctx, s.DB, f, "", OutcomesOptions{AllTimes: true}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		aj = append(aj, time.Since(start))
		if *res.Groups[0].Cases != *sv.Total.Cases {
			b.Fatalf("Outcomes counts %d cases, Survival %d", *res.Groups[0].Cases, *sv.Total.Cases)
		}

		start = time.Now()
		if _, err := Interventions(ctx, s.DB, Filter{From: date("2023-07-01"), To: date("2026-06-30")}, Options{}); err != nil {
			b.Fatal(err)
		}
		rel = append(rel, time.Since(start))

		start = time.Now()
		if _, err := FrequentToLong(ctx, s.DB, Filter{}, date("2024-06-30"), Options{}); err != nil {
			b.Fatal(err)
		}
		fl = append(fl, time.Since(start))
	}
	k, a := medianDuration(km), medianDuration(aj)
	b.ReportMetric(k.Seconds(), "km-median-s")
	b.ReportMetric(a.Seconds(), "outcomes-median-s")
	b.ReportMetric(a.Seconds()/k.Seconds(), "ratio")
	b.ReportMetric(medianDuration(rel).Seconds(), "interventions-median-s")
	b.ReportMetric(medianDuration(fl).Seconds(), "frequent-to-long-median-s")
}
