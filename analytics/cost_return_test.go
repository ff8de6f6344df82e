package analytics

import (
	"testing"
)

// TestInterventionReturnByHand prices an estimate by hand. Landmark day
// 350; the treated back at the own employer in median 10 days after it,
// the controls in 30: 20 days saved (interval 5–35), case days 361–380,
// of which 361–365 at the first year's 100% and 366–380 at 70% of a wage
// cost of € 200: (5 × 200 + 15 × 140) / 20 = € 155 per full-time day. The
// treated: one full-time absent 100%, one part-time 0.5 absent 60% on day
// 350: FTE factor (1 + 0.3) / 2 = 0.65, so a day costs € 100.75; 20 days
// € 2 015, minus a mean cost of € 1 500: € 515 (interval −996.25 to
// 2 026.25).
func TestInterventionReturnByHand(t *testing.T) {
	coaching := []adjIntervention{{day: 10, typ: PsychologicalCoaching, prv: "P"}}
	cases := []adjCase{
		{cluster: 1, t: 400, ended: true, own: true, ptf: 1, ivs: coaching},
		{cluster: 2, t: 420, ended: true, own: true, ptf: 0.5, segFrom: []int{0, 100}, segPct: []float64{100, 60}, ivs: coaching},
		{cluster: 3, t: 500, ended: true, own: true, ptf: 0.2}, // a control: not priced
	}
	e := AdjustedEstimate{InterventionType: PsychologicalCoaching, Method: MethodIPWLandmark, LandmarkDay: new(350), NTreated: new(int64(2)),
		MedianTreated: new(10.0), MedianControl: new(30.0), MedianDifference: new(20.0), MedianDifferenceCI: &Bounds{Low: new(5.0), High: new(35.0)}}
	for _, c := range []struct {
		name                string
		rates               CostRates
		dayCost, value, net float64
		netLow, netHigh     float64
	}{
		{"wage only", CostRates{WagePerFTEDay: 200}, 100.75, 2015, 515, 5*100.75 - 1500, 35*100.75 - 1500},
		// + € 40 replacement on every day: (155 + 40) × 0.65 = 126.75
		{"with replacement", CostRates{WagePerFTEDay: 200, ReplacementPerFTEDay: 40}, 126.75, 2535, 1035, 5*126.75 - 1500, 35*126.75 - 1500},
	} {
		t.Run(c.name, func(t *testing.T) {
			rates, err := c.rates.withDefaults()
			if err != nil {
				t.Fatal(err)
			}
			r := returnOf(e, cases, new(1500.0), rates)
			checkF(t, "fte_factor", r.FTEFactor, 0.65)
			checkF(t, "day_cost", r.DayCost, c.dayCost)
			checkF(t, "value_saved", r.ValueSaved, c.value)
			checkF(t, "net_benefit", r.NetBenefit, c.net)
			if r.NetBenefitCI == nil {
				t.Fatal("no interval for the net benefit")
			}
			checkF(t, "net_benefit low", r.NetBenefitCI.Low, c.netLow)
			checkF(t, "net_benefit high", r.NetBenefitCI.High, c.netHigh)
		})
	}
	// Without a wage cost: the days and the cost, no money figures.
	r := returnOf(e, cases, new(1500.0), CostRates{})
	checkF(t, "days_saved", r.DaysSaved, 20)
	checkNil(t, "day_cost", r.DayCost)
	checkNil(t, "net_benefit", r.NetBenefit)
	// An arm without a median: nothing to price.
	noMedian := e
	noMedian.MedianControl, noMedian.MedianDifference = nil, nil
	if r := returnOf(noMedian, cases, nil, CostRates{WagePerFTEDay: 200}); !r.Suppressed || r.Reason != ReasonNoMedian {
		t.Errorf("without a control median: %+v, want suppressed no_median", r)
	}
}

// TestCostByPayer: on the dose fixture, coaching paid by the employer for
// D01–D05 (€ 1 000 each) and by the health insurer for D06–D10 (€ 300
// each): € 5 000 (76.9%) and € 1 500 (23.1%), per type and over all types.
func TestCostByPayer(t *testing.T) {
	s := doseStore(t)
	res, err := InterventionCosts(t.Context(), s.DB, doseYear, AdjustedResult{}, Options{MinEmployees: 5, MinCases: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.ByPayer) != 4 {
		t.Fatalf("by payer %+v, want employer and zorgverzekeraar for coaching and for all types", res.ByPayer)
	}
	for i, p := range res.ByPayer {
		wantPayer, wantCost, wantShare := "employer", 5000.0, 100*5000.0/6500
		if i%2 == 1 {
			wantPayer, wantCost, wantShare = "zorgverzekeraar", 1500, 100*1500.0/6500
		}
		if (p.InterventionType == nil) != (i >= 2) || p.Payer != wantPayer || p.Suppressed {
			t.Errorf("row %d: %+v, want %s", i, p, wantPayer)
			continue
		}
		checkI(t, wantPayer+" cases", p.Cases, 5)
		checkF(t, wantPayer+" cost", p.Cost, wantCost)
		checkF(t, wantPayer+" share", p.SharePct, wantShare)
	}
	// Six employees needed: each payer is too small, both hidden.
	res, err = InterventionCosts(t.Context(), s.DB, doseYear, AdjustedResult{}, Options{MinEmployees: 6, MinCases: 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.ByPayer {
		if !p.Suppressed || p.Cost != nil {
			t.Errorf("%+v shown with 5 employees and a threshold of 6", p)
		}
	}
}
