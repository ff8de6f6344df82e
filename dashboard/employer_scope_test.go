package dashboard

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/ingest"
)

// An account that names no employer (a users file from before employers)
// belongs to the default employer: a client employer imported beside it
// never reaches it. Every API route answers as it did before the other
// employer was imported.
func TestAnAccountWithoutAnEmployerSeesTheDefaultEmployer(t *testing.T) {
	site := newTestSiteSized(t, 300)
	routes := []string{"/api/v1/kpis", "/api/v1/breakdown?by=department", "/api/v1/survival", "/api/v1/tracks", "/api/v1/absentees", "/api/v1/interventions"}
	before := map[string]string{}
	for _, r := range routes {
		code, body := getAs(t, site, "hr", r)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", r, code)
		}
		before[r] = body
	}

	ctx := context.Background()
	if _, err := site.store.AddEmployer(ctx, "Other Employer"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	_, err := datasets.WriteFiles(dir, datasets.Config{Employees: 500, Seed: 9, ExtractDate: testExtract}, "native")
	if err != nil {
		t.Fatal(err)
	}
	importer := ingest.NewImporter(site.store, ingest.Config{})
	for _, name := range []string{"employments.csv", "absence_periods.csv", "interventions.csv"} {
		src, err := ingest.Inspect(filepath.Join(dir, name), nil, importer.Limits())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := importer.Import(ctx, src, ingest.ImportOptions{ExtractDate: testExtract, Employer: "Other Employer"}); err != nil {
			t.Fatal(err)
		}
	}
	// The figures of before are served until the new ones are computed.
	deadline := time.Now().Add(2 * time.Minute)
	for getAs(t, site, "hr", routes[0]); !swapped(site); getAs(t, site, "hr", routes[0]) {
		if time.Now().After(deadline) {
			t.Fatal("the figures were not refreshed after the import")
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, r := range routes {
		code, body := getAs(t, site, "hr", r)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", r, code)
		}
		if !sameJSON(t, before[r], body) {
			t.Errorf("%s changed when another employer was imported:\nbefore %.300s\nafter  %.300s", r, before[r], body)
		}
	}
}

// sameJSON compares two JSON answers as values, numbers to 1e-12 (DuckDB's
// parallel sums vary in the last digits from one computation to the next).
func sameJSON(t *testing.T, a, b string) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		t.Fatal(err)
	}
	return sameValue(x, y)
}

func sameValue(x, y any) bool {
	switch x := x.(type) {
	case float64:
		y, ok := y.(float64)
		return ok && math.Abs(x-y) <= 1e-12*math.Max(1, math.Abs(x))
	case []any:
		y, ok := y.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameValue(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := y.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k := range x {
			if !sameValue(x[k], y[k]) {
				return false
			}
		}
		return true
	}
	return x == y
}
