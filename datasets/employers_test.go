package datasets

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// Each employer gets its own folder of files, of its own size, unlike the
// others, with the demo provider's interventions beside other providers'.
func TestExportEmployers(t *testing.T) {
	dir := t.TempDir()
	sums, err := ExportEmployers(dir, Config{Seed: 4}, []Employer{{Name: "Groot", Employees: 300}, {Name: "Klein", Employees: 60}}, FormatNative)
	if err != nil {
		t.Fatal(err)
	}
	if sums[0].Employees != 300 || sums[1].Employees != 60 {
		t.Errorf("employees %d and %d, want 300 and 60", sums[0].Employees, sums[1].Employees)
	}
	a, err := os.ReadFile(filepath.Join(dir, "Groot", "interventions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "Klein", "interventions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, b) {
		t.Error("two employers have the same interventions")
	}
	if !bytes.Contains(a, []byte(","+DemoProvider+",")) || !bytes.Contains(a, []byte(",Mentaal Vitaal Coaching,")) {
		t.Error("the interventions are not by the demo provider and others")
	}
}

// A provider's clients: seeded, within their sizes, mostly small (log-
// uniform: the median near the geometric mean), with extract dates on
// the month ends before the given one.
func TestProviderClients(t *testing.T) {
	extract := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	a, b := ProviderClients(400, 50, 1000, 3, extract, 7), ProviderClients(400, 50, 1000, 3, extract, 7)
	if !slices.Equal(a, b) {
		t.Fatal("the same seed gave other clients")
	}
	var sizes []int
	dates := map[time.Time]int{}
	for _, e := range a {
		if e.Employees < 50 || e.Employees > 1000 {
			t.Errorf("%s: %d employees, outside 50–1,000", e.Name, e.Employees)
		}
		sizes = append(sizes, e.Employees)
		dates[e.ExtractDate]++
	}
	slices.Sort(sizes)
	if median := sizes[len(sizes)/2]; median < 160 || median > 290 { // geometric mean 224
		t.Errorf("median size %d, want near 224 (log-uniform)", median)
	}
	for _, d := range []time.Time{extract, time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC)} {
		if dates[d] == 0 {
			t.Errorf("no client has extract date %s: %v", d.Format(time.DateOnly), dates)
		}
	}
	if len(dates) != 3 {
		t.Errorf("extract dates %v, want the 3 month ends up to %s", dates, extract.Format(time.DateOnly))
	}
}
