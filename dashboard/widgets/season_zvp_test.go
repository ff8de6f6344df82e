package widgets

import (
	"testing"

	"github.com/verzuim/absence/analytics"
)

func TestDataStartSkipsTheMonthsBeforeTheExport(t *testing.T) {
	counts := []int64{0, 1, 2, 40, 55, 50, 60, 45}
	points := make([]analytics.SeriesPoint, len(counts))
	for i := range counts {
		points[i].Current.NewCases = &counts[i]
	}
	// Median of the sorted counts is 45; the first month with ≥ 22.5 is index 3.
	if got := dataStart(points); got != 3 {
		t.Errorf("dataStart = %d, want 3", got)
	}
	if got := dataStart(nil); got != 0 {
		t.Errorf("dataStart(nil) = %d", got)
	}
}
