package analytics

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// Speed, per the issue: on the generated 1M-employee organisation, the full
// KPI set for one year and a 60-month trend, each side by side with plain
// reference SQL for the same figures, in the same run: for the KPI set one
// query of ZVP, ZMF, GZVD and zero absence; for the trend the plain range
// join for one month (ZVP and ZMF), run for each of the 60 months.
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

// referenceKPISQL is the plain query: ZVP, ZMF, GZVD and zero absence for one
// period, straight from the tables, with no pieces, groups, variants,
// intervals, classes or protection.
const referenceKPISQL = `
WITH e AS (
	SELECT employee_key AS emp, greatest(start_date, $1::DATE) AS s, least(coalesce(end_date, $2::DATE), $2::DATE) + 1 AS x,
		contract_hours / fulltime_hours AS ptf
	FROM employments WHERE start_date <= $2::DATE AND coalesce(end_date, $2::DATE) >= $1::DATE
),
sick AS (
	SELECT e.emp, e.ptf * g.absence_pct / 100 AS w,
		least(coalesce(g.valid_to, c.recovery_date, $3::DATE + 1), $3::DATE + 1, e.x) - greatest(g.valid_from, e.s) AS d
	FROM case_segments g
	JOIN absence_cases c USING (employee_key, first_sick_day)
	JOIN e ON e.emp = g.employee_key AND g.valid_from < e.x AND coalesce(g.valid_to, c.recovery_date, $3::DATE + 1) > e.s
	WHERE c.absence_type IN ('sickness', 'sickness_pregnancy')
)
SELECT
	100 * (SELECT sum(w * d) FROM sick WHERE d > 0) / (SELECT sum((x - s) * ptf) FROM e),
	(SELECT count(*) FROM absence_cases WHERE absence_type IN ('sickness', 'sickness_pregnancy') AND first_sick_day BETWEEN $1::DATE AND $2::DATE)
		* 365.0 / (SELECT sum(x - s) FROM e),
	(SELECT avg(recovery_date - first_sick_day) FROM absence_cases
		WHERE absence_type IN ('sickness', 'sickness_pregnancy') AND recovery_date BETWEEN $1::DATE AND $2::DATE),
	100.0 * (SELECT count(DISTINCT emp) FROM e WHERE emp NOT IN (SELECT emp FROM sick WHERE d > 0)) / (SELECT count(DISTINCT emp) FROM e)`

// referenceMonthSQL is the plain range join for one month: ZVP and ZMF of
// [$1, $2]; the trend reference runs it once per month.
const referenceMonthSQL = `
WITH e AS (
	SELECT employee_key AS emp, greatest(start_date, $1::DATE) AS s, least(coalesce(end_date, $2::DATE), $2::DATE) + 1 AS x,
		contract_hours / fulltime_hours AS ptf
	FROM employments WHERE start_date <= $2::DATE AND coalesce(end_date, $2::DATE) >= $1::DATE
),
sick AS (
	SELECT e.ptf * g.absence_pct / 100
		* (least(coalesce(g.valid_to, c.recovery_date, $3::DATE + 1), $3::DATE + 1, e.x) - greatest(g.valid_from, e.s)) AS y
	FROM case_segments g
	JOIN absence_cases c USING (employee_key, first_sick_day)
	JOIN e ON e.emp = g.employee_key AND g.valid_from < e.x AND coalesce(g.valid_to, c.recovery_date, $3::DATE + 1) > e.s
	WHERE c.absence_type IN ('sickness', 'sickness_pregnancy')
)
SELECT
	100 * (SELECT sum(y) FROM sick WHERE y > 0) / (SELECT sum((x - s) * ptf) FROM e),
	(SELECT count(*) FROM absence_cases WHERE absence_type IN ('sickness', 'sickness_pregnancy') AND first_sick_day BETWEEN $1::DATE AND $2::DATE)
		* 365.0 / (SELECT sum(x - s) FROM e)`

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
			var zvp, zmf, gzvd, zero float64
			if err := s.DB.QueryRowContext(ctx, referenceKPISQL, f.From, f.To, benchExtract).Scan(&zvp, &zmf, &gzvd, &zero); err != nil {
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
			for m := f.From; m.Before(f.To); m = m.AddDate(0, 1, 0) {
				var zvp, zmf float64
				if err := s.DB.QueryRowContext(ctx, referenceMonthSQL, m, m.AddDate(0, 1, -1), benchExtract).Scan(&zvp, &zmf); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// TestReferenceQueriesAgree keeps the benchmark's reference queries honest:
// on the generated test organisation they give the same figures as the
// analytics.
func TestReferenceQueriesAgree(t *testing.T) {
	s := generatedStore(t, 300)
	ctx := context.Background()
	f := Filter{From: date("2025-01-01"), To: date("2025-12-31")}
	var zvp, zmf, gzvd, zero float64
	if err := s.DB.QueryRowContext(ctx, referenceKPISQL, f.From, f.To, date(refExtract)).Scan(&zvp, &zmf, &gzvd, &zero); err != nil {
		t.Fatal(err)
	}
	g := rawGroups(t, s, f, Options{})[TotalKey]
	checkF(t, "zvp", g.ZVP, zvp)
	checkF(t, "zmf", g.ZMF, zmf)
	checkF(t, "gzvd", g.GZVD, gzvd)
	checkF(t, "zero", g.ZeroAbsence, zero)
	n := 0
	for m := date("2025-01-01"); m.Year() == 2025; m = m.AddDate(0, 1, 0) {
		var zvp, zmf float64
		if err := s.DB.QueryRowContext(ctx, referenceMonthSQL, m, m.AddDate(0, 1, -1), date(refExtract)).Scan(&zvp, &zmf); err != nil {
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
