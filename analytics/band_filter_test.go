package analytics

import (
	"context"
	"testing"
)

// TestBandFilterOnEveryStore: a filter on an age or tenure band reads the
// band's label, never its bounds. DuckDB's optimizer, pushing the filter
// into the table of bands while it dropped that table's unused columns,
// sometimes compared the label with a bound ("Could not convert string
// '35-44' to DOUBLE"), depending on how the import happened to lay out the
// rows; so the query runs on several stores, each imported anew.
func TestBandFilterOnEveryStore(t *testing.T) {
	ctx := context.Background()
	for i := range 8 {
		s := generatedStore(t, 100)
		for _, f := range []Filter{
			{AgeBands: []string{"35-44"}},
			{TenureBands: []string{TenureBands[1].Label}},
			{AgeBands: []string{"25-34", "45-54"}, TenureBands: []string{TenureBands[0].Label}},
		} {
			f.Employers, f.From, f.To = []int64{1}, date("2023-07-01"), date("2026-06-30")
			if _, err := Survival(ctx, s.DB, f, "", Options{}); err != nil {
				t.Fatalf("store %d, survival of ages %v and tenures %v: %v", i, f.AgeBands, f.TenureBands, err)
			}
			if _, err := KPIs(ctx, s.DB, f, Options{}); err != nil {
				t.Fatalf("store %d, KPIs of ages %v and tenures %v: %v", i, f.AgeBands, f.TenureBands, err)
			}
		}
	}
}
