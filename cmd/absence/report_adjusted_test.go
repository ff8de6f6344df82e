package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/datasets"
)

// `absence report interventions --format json` carries the adjusted effect
// as adjusted: [{intervention_type, provider, employer, method,
// landmark_day, hazard_ratio, lower, upper, n_treated, n_control}], the
// pooled row of a type with provider and employer null and the
// time-varying row with landmark_day null; a suppressed row has a reason
// and no numbers. The organisation is the generator's known-effect mode,
// where only intervention_talk is given, so the other types are
// suppressed.
func TestInterventionsReportAdjustedJSON(t *testing.T) {
	dir := t.TempDir()
	extract := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	cfg := datasets.Config{Employees: 1500, Seed: 3, ExtractDate: extract, Effect: &datasets.KnownEffect{}}
	if _, err := datasets.WriteFiles(dir, cfg, "native"); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "cli.duckdb")
	if err := runImport([]string{"--db", db, "--extract-date", "2026-06-30", filepath.Join(dir, "employments.csv"),
		filepath.Join(dir, "absence_periods.csv"), filepath.Join(dir, "interventions.csv")}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args     []string
		landmark int
	}{{nil, 42}, {[]string{"--type-landmark", "intervention_talk=49"}, 49}} {
		var out bytes.Buffer
		args := append([]string{"--db", db, "--from", "2024-07-01", "--to", "2026-06-30", "--format", "json"}, c.args...)
		if err := outcomeReport(&out, "interventions", args); err != nil {
			t.Fatal(err)
		}
		var rep struct {
			Adjusted      []map[string]any       `json:"adjusted"`
			Definitions   []struct{ Key string } `json:"adjusted_definitions"`
			Interventions map[string]any         `json:"interventions"`
			Landmark      map[string]any         `json:"landmark"`
		}
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Interventions == nil || rep.Landmark == nil {
			t.Error("the existing fields interventions and landmark are gone")
		}
		pooled := map[string]bool{}
		for _, e := range rep.Adjusted {
			for _, k := range []string{"intervention_type", "provider", "employer", "method", "landmark_day", "hazard_ratio", "lower", "upper", "n_treated", "n_control"} {
				if _, ok := e[k]; !ok {
					t.Fatalf("row without %s: %v", k, e)
				}
			}
			typ, method := e["intervention_type"].(string), e["method"].(string)
			if e["employer"] != nil {
				t.Errorf("employer %v: the employer dimension is not there yet", e["employer"])
			}
			if (method == analytics.MethodCoxTimeVarying) != (e["landmark_day"] == nil) {
				t.Errorf("%s %s: landmark_day %v", typ, method, e["landmark_day"])
			}
			if typ == analytics.InterventionTalk && e["provider"] == nil && method != analytics.MethodCoxTimeVarying && e["landmark_day"].(float64) != float64(c.landmark) {
				t.Errorf("%s %s: landmark_day %v, want %d", typ, method, e["landmark_day"], c.landmark)
			}
			if e["suppressed"].(bool) {
				if e["reason"] == nil || e["hazard_ratio"] != nil || e["n_treated"] != nil {
					t.Errorf("suppressed row with numbers or without a reason: %v", e)
				}
				continue
			}
			hr, lo, hi := e["hazard_ratio"].(float64), e["lower"].(float64), e["upper"].(float64)
			if !(lo < hr && hr < hi) || e["n_treated"].(float64) < 5 || e["n_control"].(float64) < 5 {
				t.Errorf("%s %s: HR %v (%v–%v), n %v/%v", typ, method, hr, lo, hi, e["n_treated"], e["n_control"])
			}
			if e["provider"] == nil {
				pooled[typ+" "+method] = true
			}
		}
		for _, m := range []string{analytics.MethodIPWLandmark, analytics.MethodCoxLandmark, analytics.MethodCoxTimeVarying} {
			if !pooled[analytics.InterventionTalk+" "+m] {
				t.Errorf("no pooled %s row for intervention_talk", m)
			}
			if !slices.ContainsFunc(rep.Definitions, func(d struct{ Key string }) bool { return d.Key == m }) {
				t.Errorf("no definition of %s", m)
			}
		}
		if !slices.ContainsFunc(rep.Adjusted, func(e map[string]any) bool {
			return e["intervention_type"] == analytics.Mediation && e["reason"] == analytics.ReasonTooFewCases
		}) {
			t.Error("mediation, never given, is not suppressed as too_few_cases")
		}
	}
}
