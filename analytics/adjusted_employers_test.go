package analytics

import (
	"context"
	"fmt"
	"math"
	"testing"
)

// A provider's scope of three client employers: per type an estimate per
// employer, named, whose figures are those the employer's own scope gives
// as its pooled row (the same cases, the same default landmark); too small an employer is suppressed
// in words, and then the smaller of the others too (complementary); the
// return on interventions follows per employer. An employer's own scope
// has no employer rows.
func TestAdjustedPerEmployer(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, refExtract)
	f := Filter{From: date("2024-07-01"), To: date("2026-06-30")}
	ids := map[string]int64{}
	for i, e := range []struct {
		name      string
		employees int
	}{{"Klant A", 500}, {"Klant B", 300}, {"Klant C", 25}} {
		emp, err := s.AddEmployer(ctx, e.name)
		if err != nil {
			t.Fatal(err)
		}
		importFor(t, s, e.name, orgFiles(t, e.employees, uint64(31+i)))
		ids[e.name] = emp.ID
		f.Employers = append(f.Employers, emp.ID)
	}
	typ := InterventionTalk
	aopt := AdjustedOptions{Types: []string{typ}, Bootstrap: 20}
	opt := Options{Cost: CostRates{WagePerFTEDay: 200}}
	adjusted := func(f Filter) (AdjustedResult, InterventionCost) {
		adj, err := Adjusted(ctx, s.DB, f, aopt, opt)
		if err != nil {
			t.Fatal(err)
		}
		cost, err := InterventionCosts(ctx, s.DB, f, adj, opt)
		if err != nil {
			t.Fatal(err)
		}
		return adj, cost
	}
	all, allCost := adjusted(f)
	byEmployer := map[string]map[string]AdjustedEstimate{} // employer, method
	for _, e := range all.Estimates {
		if e.Employer == nil {
			continue
		}
		if e.Provider != nil {
			t.Errorf("an employer row of provider %s", *e.Provider)
		}
		if byEmployer[*e.Employer] == nil {
			byEmployer[*e.Employer] = map[string]AdjustedEstimate{}
		}
		byEmployer[*e.Employer][e.Method] = e
	}
	if len(byEmployer) != 3 {
		t.Fatalf("employer rows of %d employers, want 3: %v", len(byEmployer), byEmployer)
	}
	for m, e := range byEmployer["Klant C"] {
		// Its 25 employees had no intervention talk: that is said, and
		// still hides the smaller of the others (its controls are hidden).
		if !e.Suppressed || e.Reason != ReasonTooFewCases && e.Reason != ReasonNoInterventions || e.HazardRatio != nil || e.NTreated != nil {
			t.Errorf("Klant C (25 employees) %s: suppressed %v, reason %q, HR %v, treated %v; want too few cases (or no interventions) and no figure", m, e.Suppressed, e.Reason, e.HazardRatio, e.NTreated)
		}
	}
	for _, m := range []string{MethodIPWLandmark, MethodCoxLandmark, MethodCoxTimeVarying} {
		if e := byEmployer["Klant B"][m]; !e.Suppressed || e.Reason != ReasonComplementary {
			t.Errorf("Klant B %s: suppressed %v (%s); with Klant C hidden, the smaller of the others must be hidden too", m, e.Suppressed, e.Reason)
		}
	}

	// Klant A's rows are its own scope's pooled rows.
	alone, aloneCost := adjusted(Filter{From: f.From, To: f.To, Employers: []int64{ids["Klant A"]}})
	for _, e := range alone.Estimates {
		if e.Employer != nil {
			t.Errorf("an employer's own scope has an employer row: %s %s", *e.Employer, e.Method)
		}
		if e.Provider != nil {
			continue
		}
		got := byEmployer["Klant A"][e.Method]
		if (got.LandmarkDay == nil) != (e.LandmarkDay == nil) || e.LandmarkDay != nil && *got.LandmarkDay != *e.LandmarkDay {
			t.Errorf("Klant A %s: landmark %s in the provider's scope, %s in its own", e.Method, fmtDay(got.LandmarkDay), fmtDay(e.LandmarkDay))
		}
		if e.Suppressed || got.Suppressed {
			t.Fatalf("Klant A %s: suppressed in its own scope %v (%s), in the provider's %v (%s)", e.Method, e.Suppressed, e.Reason, got.Suppressed, got.Reason)
		}
		for name, pair := range map[string][2]float64{
			"hazard ratio": {*got.HazardRatio, *e.HazardRatio}, "lower": {*got.Lower, *e.Lower}, "upper": {*got.Upper, *e.Upper},
			"treated": {float64(*got.NTreated), float64(*e.NTreated)}, "control": {float64(*got.NControl), float64(*e.NControl)},
		} {
			if math.Abs(pair[0]-pair[1]) > 1e-6*math.Max(1, math.Abs(pair[1])) {
				t.Errorf("Klant A %s %s: %v in the provider's scope, %v in its own", e.Method, name, pair[0], pair[1])
			}
		}
	}

	// The return follows per employer.
	returns := map[string]InterventionReturn{}
	for _, r := range allCost.Returns {
		if r.Employer != nil {
			returns[*r.Employer] = r
		}
	}
	if len(returns) != 3 {
		t.Fatalf("returns of %d employers, want 3", len(returns))
	}
	if r := returns["Klant C"]; !r.Suppressed || r.DaysSaved != nil || r.MeanCost != nil {
		t.Errorf("Klant C's return: %+v; want it suppressed", r)
	}
	var own InterventionReturn
	for _, r := range aloneCost.Returns {
		if r.Provider == nil && r.Employer == nil {
			own = r
		}
	}
	got := returns["Klant A"]
	if got.Suppressed || own.Suppressed {
		t.Fatalf("Klant A's return suppressed: %s in the provider's scope, %s in its own", got.Reason, own.Reason)
	}
	for name, pair := range map[string][2]*float64{"days saved": {got.DaysSaved, own.DaysSaved}, "mean cost": {got.MeanCost, own.MeanCost},
		"day cost": {got.DayCost, own.DayCost}, "net benefit": {got.NetBenefit, own.NetBenefit}} {
		if pair[0] == nil || pair[1] == nil || math.Abs(*pair[0]-*pair[1]) > 1e-6*math.Max(1, math.Abs(*pair[1])) {
			t.Errorf("Klant A's return, %s: %s in the provider's scope, %s in its own", name, show(pair[0]), show(pair[1]))
		}
	}
}

func show(p *float64) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprint(*p)
}
