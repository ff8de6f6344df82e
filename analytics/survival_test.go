package analytics

import (
	"context"
	"path/filepath"
	"testing"
)

const survivalFixtures = "../datasets/fixtures/survival/"

// survivalStore imports fixture files from datasets/fixtures/survival.
func survivalStore(t testing.TB, extract string, files ...string) Querier {
	t.Helper()
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = absFixture(t, survivalFixtures+f)
	}
	return openStore(t, extract, paths...).DB
}

func absFixture(t testing.TB, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestSurvivalSuppression(t *testing.T) {
	// Each arm has 21 cases: with MinCases 22 both strata are small, the
	// total (42) is shown, and there is no test between hidden strata.
	res := sixMPSurvival(t, Options{MinCases: 22})
	for _, c := range res.Strata {
		if !c.Suppressed || c.Points != nil || c.Cases != nil || c.Median != nil {
			t.Errorf("%s not suppressed: %+v", c.Key, c)
		}
	}
	if res.Total.Suppressed || res.LogRank != nil {
		t.Errorf("total suppressed=%v, log-rank %+v", res.Total.Suppressed, res.LogRank)
	}
	// A filter on one department under the same thresholds: its breakdown
	// value is hidden, so the filtered total is too.
	q := survivalStore(t, "2024-12-31", "sixmp_employments.csv", "sixmp_absence.csv")
	f := Filter{From: date("2024-01-01"), To: date("2024-12-31"), Units: []Unit{{Department: "6-MP"}}}
	r, err := Survival(context.Background(), q, f, "", Options{MinCases: 22})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Total.Suppressed || r.Total.Points != nil {
		t.Errorf("filtered total shown: %+v", r.Total)
	}
	// With the default thresholds the filter shows the 6-MP arm alone.
	r, err = Survival(context.Background(), q, f, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total.Suppressed || *r.Total.Cases != 21 {
		t.Errorf("filtered total: %+v", r.Total)
	}
}

func TestHideCells(t *testing.T) {
	th := thresholds{10, 5}
	cells := []cell{{"a", 3, 3}, {"b", 20, 20}, {"c", 30, 30}, {"d", 40, 40}}
	// a is small; alone it could be worked out, so the next-smallest (b)
	// goes too.
	if got := hideCells(cells, nil, th); len(got) != 2 || !got["a"] || !got["b"] {
		t.Errorf("hidden %v, want a and b", got)
	}
	// c hidden by another rule: c alone is not enough, b is added.
	if got := hideCells(cells[1:], map[string]bool{"c": true}, th); len(got) != 2 || !got["b"] || !got["c"] {
		t.Errorf("hidden %v, want b and c", got)
	}
	if got := hideCells(cells[1:], nil, th); len(got) != 0 {
		t.Errorf("hidden %v, want none", got)
	}
}

func TestSurvivalWithoutAbsenceData(t *testing.T) {
	q := survivalStore(t, "2024-12-31", "sixmp_employments.csv")
	res, err := Survival(context.Background(), q, Filter{From: date("2024-01-01"), To: date("2024-12-31")}, ByDepartment, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Total.Suppressed || len(res.Strata) != 0 || res.LogRank != nil {
		t.Errorf("no cases: %+v", res)
	}
}
