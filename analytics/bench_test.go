package analytics

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/datasets/speed"
	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// Speed, per the issue: on the generated 1M-employee organisation, the full
// KPI set for one year and a 60-month trend, each side by side with plain
// reference SQL for the same figures (datasets/speed), in the same run: for
// the KPI set one query of ZVP, ZMF, GZVD and zero absence; for the trend
// the plain range join for one month (ZVP and ZMF), run for each of the 60
// months. The README's table comes from cmd/absence's TestSpeedTable.
//
//	go test ./analytics/ -run '^$' -bench . -benchtime 5x -count 5
//
// ABSENCE_BENCH_EMPLOYEES (default 1000000) sets the size; the generated
// database is kept in ABSENCE_BENCH_DIR (default a fresh temporary folder) and
// reused by later runs, since generating and importing it takes minutes.

var benchExtract = date("2026-06-30")

func benchStore(b *testing.B) *testStore {
	b.Helper()
	start := time.Now()
	csvDir, err := datasets.BenchFiles(datasets.Config{Seed: 7, Years: 6, ExtractDate: benchExtract})
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(csvDir, "statistics-bench.duckdb")
	ctx := context.Background()
	if _, err := os.Stat(path + ".ready"); err != nil {
		os.Remove(path)
		os.Remove(path + ".key")
		s, err := openDB(ctx, path, storage.Options{MemoryLimit: "4GB"})
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range []string{"employments.csv", "absence_periods.csv"} {
			if _, err := s.ImportFile(ctx, filepath.Join(csvDir, f), ingest.ImportOptions{ExtractDate: benchExtract}); err != nil {
				b.Fatal(err)
			}
		}
		s.Close()
		os.WriteFile(path+".ready", nil, 0o600)
		b.Logf("generated and imported in %v", time.Since(start).Round(time.Second))
	}
	s, err := openDB(ctx, path, storage.Options{MemoryLimit: "4GB"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func BenchmarkKPIs(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	f := Filter{From: date("2025-01-01"), To: date("2025-12-31")}
	b.Run("analytics", func(b *testing.B) {
		for b.Loop() {
			if _, err := KPIs(ctx, s.DB, f, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("reference", func(b *testing.B) {
		for b.Loop() {
			if _, _, _, _, err := speed.PlainKPIs(ctx, s.DB, f.From, f.To, benchExtract); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkBreakdownByDepartment(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	f := Filter{From: date("2025-01-01"), To: date("2025-12-31")}
	for b.Loop() {
		if _, err := Breakdown(ctx, s.DB, f, ByDepartment, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEmployerScope measures what the employer scope costs a
// one-employer installation: the KPI set and the breakdown by department
// for all data, and for the default employer (which holds all of it), side
// by side in one run.
func BenchmarkEmployerScope(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	all := Filter{From: date("2025-01-01"), To: date("2025-12-31")}
	scoped := all
	scoped.Employers = []int64{storage.DefaultEmployerID}
	for _, f := range []struct {
		name string
		f    Filter
	}{{"all", all}, {"default-employer", scoped}} {
		b.Run("kpis/"+f.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := KPIs(ctx, s.DB, f.f, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("department/"+f.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Breakdown(ctx, s.DB, f.f, ByDepartment, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkTrend60Months(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	f := Filter{From: date("2021-07-01"), To: date("2026-06-30")}
	b.Run("analytics", func(b *testing.B) {
		for b.Loop() {
			r, err := Series(ctx, s.DB, f, Monthly, Options{})
			if err != nil {
				b.Fatal(err)
			}
			if len(r.Points) != 60 {
				b.Fatalf("%d points", len(r.Points))
			}
		}
	})
	b.Run("reference", func(b *testing.B) {
		for b.Loop() {
			if _, err := speed.PlainTrend(ctx, s.DB, f.From, f.To, benchExtract); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestReferenceQueriesAgree keeps the benchmarks' reference queries
// (datasets/speed) honest: on the generated test organisation they give the
// same figures as the analytics.
func TestReferenceQueriesAgree(t *testing.T) {
	s := generatedStore(t, 300)
	ctx := context.Background()
	f := Filter{From: date("2025-01-01"), To: date("2025-12-31")}
	zvp, zmf, gzvd, zero, err := speed.PlainKPIs(ctx, s.DB, f.From, f.To, date(refExtract))
	if err != nil {
		t.Fatal(err)
	}
	g := rawGroups(t, s, f, Options{})[TotalKey]
	checkF(t, "zvp", g.ZVP, zvp)
	checkF(t, "zmf", g.ZMF, zmf)
	checkF(t, "gzvd", g.GZVD, gzvd)
	checkF(t, "zero", g.ZeroAbsence, zero)
	n := 0
	for m := date("2025-01-01"); m.Year() == 2025; m = m.AddDate(0, 1, 0) {
		zvp, zmf, err := speed.PlainMonth(ctx, s.DB, m, date(refExtract))
		if err != nil {
			t.Fatal(err)
		}
		g := rawGroups(t, s, Filter{From: m, To: m.AddDate(0, 1, -1)}, Options{})[TotalKey]
		checkF(t, day(m)+" zvp", g.ZVP, zvp)
		checkF(t, day(m)+" zmf", g.ZMF, zmf)
		n++
	}
	if n != 12 {
		t.Errorf("%d months", n)
	}
}
