package main

import (
	"bytes"
	"encoding/csv"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/ingest/storage"
)

// The vangnet figures are columns of `absence report`: on the law fixture
// (datasets/fixtures/law) 54 of the 66 sick days of 2024 are vangnet days,
// in 5 cases, over 5 × 366 FTE days.
func TestReportHasVangnetColumns(t *testing.T) {
	db := filepath.Join(t.TempDir(), "law.duckdb")
	if err := runImport([]string{"--db", db, "--extract-date", "2025-01-31", fixtures + "law/law_employments.csv", fixtures + "law/law_absence.csv"}); err != nil {
		t.Fatal(err)
	}
	s, err := storage.Open(t.Context(), db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	k, err := analytics.KPIs(t.Context(), s.Reader(), analytics.Filter{From: mustDay(t, "2024-01-01"), To: mustDay(t, "2024-12-31")}, analytics.Options{MinEmployees: 5, MinCases: 5})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := writeReport(&out, k.Report(), "csv"); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("csv: %v %v", rows, err)
	}
	col := map[string]string{}
	for i, h := range rows[0] {
		col[h] = rows[1][i]
	}
	want := map[string]float64{"vangnet_zvp_pct": 100 * 54 / (5 * 366.0), "vangnet_share_pct": 100 * 54 / 66.0, "vangnet_cases": 5, "frequent_absentees": 1}
	for name, w := range want {
		got, err := strconv.ParseFloat(col[name], 64)
		if err != nil || got-w > 1e-9 || w-got > 1e-9 {
			t.Errorf("%s = %q, want %v", name, col[name], w)
		}
	}
}

func mustDay(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
