package analytics

import (
	"context"
	"os"
	"testing"

	"github.com/verzuim/absence/ingest/storage"
)

// The adjusted effect on a database made by `absence demo`:
//
//	absence demo --no-serve --employees 100000 --db /tmp/big.duckdb
//	ABSENCE_ADJUSTED_DB=/tmp/big.duckdb go test ./analytics/ -run '^$' -bench Adjusted -benchtime 3x
//
// for two years of cases up to the extract date, every type and provider,
// all methods and the timing model.
func BenchmarkAdjusted(b *testing.B) {
	path := os.Getenv("ABSENCE_ADJUSTED_DB")
	if path == "" {
		b.Skip("set ABSENCE_ADJUSTED_DB to a database made by absence demo")
	}
	ctx := context.Background()
	s, err := storage.Open(ctx, path, storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	f := Filter{From: date("2024-07-01"), To: date("2026-06-30")}
	for b.Loop() {
		res, err := Adjusted(ctx, s.Reader(), f, AdjustedOptions{}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Estimates) == 0 {
			b.Fatal("no estimates")
		}
	}
}
