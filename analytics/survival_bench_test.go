package analytics

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// outcomesBench generates the benchmark organisation once per process and
// imports it once into a database file next to the generated files, which
// later runs reuse. The files come from datasets.BenchFiles, the same as
// ingest's benchmark, so both share them.
var outcomesBench = sync.OnceValues(func() (string, error) {
	dir, err := datasets.BenchFiles(datasets.Config{Seed: 1})
	if err != nil {
		return "", err
	}
	db := filepath.Join(dir, "outcomes-bench.duckdb")
	if _, err := os.Stat(db); err == nil {
		return db, nil
	}
	ctx := context.Background()
	tmp := db + ".partial"
	os.Remove(tmp)
	os.Remove(tmp + ".key")
	s, err := openDB(ctx, tmp, storage.Options{})
	if err != nil {
		return "", err
	}
	for _, f := range []string{"employments.csv", "absence_periods.csv", "interventions.csv"} {
		if _, err := s.ImportFile(ctx, filepath.Join(dir, f), ingest.ImportOptions{ExtractDate: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)}); err != nil {
			s.Close()
			return "", err
		}
	}
	if err := s.Close(); err != nil {
		return "", err
	}
	if err := os.Rename(tmp+".key", db+".key"); err != nil && !os.IsNotExist(err) {
		return "", err
	}
	return db, os.Rename(tmp, db)
})

// BenchmarkKaplanMeier estimates the survival curve of every sickness case
// of the benchmark organisation (Survival: the case-to-contract join, the
// GROUP BY in DuckDB, the product in Go), interleaved with a plain DuckDB
// query of the same counts (events and censorings per day, no join) and the
// same with the join to the contract on the first sick day, and reports the
// medians and the ratios.
func BenchmarkKaplanMeier(b *testing.B) {
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
	plainSQL := `SELECT t, count(*) FILTER (WHERE ev), count(*) FILTER (WHERE NOT ev) FROM (
		SELECT CASE WHEN recovery_date <= DATE '2026-06-30' THEN recovery_date - first_sick_day ELSE DATE '2026-06-30' - first_sick_day END AS t,
			coalesce(recovery_date <= DATE '2026-06-30', false) AS ev
		FROM absence_cases WHERE absence_type IN ('sickness', 'sickness_pregnancy')) GROUP BY t`
	// The same counts restricted to cases with a contract on their first
	// sick day, which is what attributing a case to the population costs.
	joinSQL := `SELECT t, count(*) FILTER (WHERE ev), count(*) FILTER (WHERE NOT ev) FROM (
		SELECT CASE WHEN recovery_date <= DATE '2026-06-30' THEN recovery_date - first_sick_day ELSE DATE '2026-06-30' - first_sick_day END AS t,
			coalesce(recovery_date <= DATE '2026-06-30', false) AS ev
		FROM absence_cases c JOIN employments m ON m.employee_key = c.employee_key
			AND m.start_date <= c.first_sick_day AND c.first_sick_day <= coalesce(m.end_date, DATE '9999-12-31')
		WHERE absence_type IN ('sickness', 'sickness_pregnancy')) GROUP BY t`
	count := func(query string) int64 {
		rows, err := s.DB.QueryContext(ctx, query)
		if err != nil {
			b.Fatal(err)
		}
		defer rows.Close()
		var n int64
		for rows.Next() {
			var t, d, c int64
			if err := rows.Scan(&t, &d, &c); err != nil {
				b.Fatal(err)
			}
			n += d + c
		}
		return n
	}
	var plain, joined, ours []time.Duration
	var cases int64
	var points int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		n := count(plainSQL)
		plain = append(plain, time.Since(start))

		start = time.Now()
		count(joinSQL)
		joined = append(joined, time.Since(start))

		start = time.Now()
		res, err := Survival(ctx, s.DB, f, "", Options{})
		if err != nil {
			b.Fatal(err)
		}
		ours = append(ours, time.Since(start))
		if *res.Total.Cases != n {
			b.Fatalf("Survival counts %d cases, the plain query %d", *res.Total.Cases, n)
		}
		cases, points = n, len(res.Total.Points)
	}
	p, j, o := medianDuration(plain), medianDuration(joined), medianDuration(ours)
	b.ReportMetric(float64(cases), "cases")
	b.ReportMetric(float64(points), "points")
	b.ReportMetric(p.Seconds(), "plain-median-s")
	b.ReportMetric(j.Seconds(), "plain-join-median-s")
	b.ReportMetric(o.Seconds(), "km-median-s")
	b.ReportMetric(o.Seconds()/p.Seconds(), "ratio")
	b.ReportMetric(o.Seconds()/j.Seconds(), "ratio-to-join")
}

func medianDuration(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
