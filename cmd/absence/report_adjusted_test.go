package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
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
			// No landmark day for the time-varying model, nor for a type
			// nobody gave (nothing to compare).
			if (method == analytics.MethodCoxTimeVarying || e["reason"] == analytics.ReasonNoInterventions) != (e["landmark_day"] == nil) {
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
			return e["intervention_type"] == analytics.Mediation && e["reason"] == analytics.ReasonNoInterventions
		}) {
			t.Error("mediation, never given, is not suppressed as no_interventions")
		}
	}
	checkDoseAndCost(t, db, dir)
}

// checkDoseAndCost: the same report with a wage cost configured carries
// dose and cost. In the known-effect organisation every intervention is
// one completed intervention talk of one session costing € 150 without a
// payer, so the dose has the band 1-4 and completed only, the mean cost is
// € 150, and the one payer is not_recorded.
func checkDoseAndCost(t *testing.T, db, dir string) {
	t.Helper()
	config := filepath.Join(dir, "absence.toml")
	if err := os.WriteFile(config, []byte("[cost]\nwage_per_fte_day = 250\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := outcomeReport(&out, "interventions", []string{"--config", config, "--db", db, "--from", "2024-07-01", "--to", "2026-06-30", "--format", "json"}); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Dose struct{ Groups []analytics.DoseGroup } `json:"dose"`
		Cost analytics.InterventionCost             `json:"cost"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	var bands []string
	for _, g := range rep.Dose.Groups {
		bands = append(bands, g.InterventionType+" "+g.Band)
		if g.Suppressed || *g.Interventions < 5 || g.BackAtOwnEmployer.Pct == nil {
			t.Errorf("dose group %+v", g)
		}
	}
	if want := []string{"intervention_talk 1-4", "intervention_talk completed"}; !slices.Equal(bands, want) {
		t.Errorf("dose groups %v, want %v", bands, want)
	}
	if !rep.Cost.Configured {
		t.Error("cost not configured with [cost] wage_per_fte_day")
	}
	priced := 0
	for _, r := range rep.Cost.Returns {
		if r.Method != analytics.ReturnMethod {
			t.Errorf("return by %s, want %s", r.Method, analytics.ReturnMethod)
		}
		if r.Suppressed || r.InterventionType != analytics.InterventionTalk {
			continue
		}
		priced++
		if *r.MeanCost != 150 {
			t.Errorf("%v: mean cost %v, want 150", r.Provider, *r.MeanCost)
		}
		value := *r.DaysSaved * *r.DayCost
		if math.Abs(*r.ValueSaved-value) > 1e-6 || math.Abs(*r.NetBenefit-(value-150)) > 1e-6 || *r.DayCost <= 0 || *r.DayCost > 250 {
			t.Errorf("%v: %v days × € %v = € %v, net € %v", r.Provider, *r.DaysSaved, *r.DayCost, *r.ValueSaved, *r.NetBenefit)
		}
	}
	if priced == 0 {
		t.Errorf("no intervention talk priced: %+v", rep.Cost.Returns)
	}
	if len(rep.Cost.ByPayer) != 2 || rep.Cost.ByPayer[0].Payer != analytics.PayerNotRecorded || *rep.Cost.ByPayer[0].SharePct != 100 {
		t.Errorf("by payer %+v, want intervention talks and all types, not_recorded, 100%%", rep.Cost.ByPayer)
	}
}
