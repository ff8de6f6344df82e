package analytics

import "testing"

// The cost fixture (datasets/fixtures/cost/), 2024 (366 days), extract
// date 2025-01-31:
//
//	K01 full-time; sick from 2023-07-01 (day 365 of the case is
//	    2024-06-29), 100% to 31 Mar, 50% from 1 Apr to 30 Sep. In 2024:
//	    91 days at 100% and 90 at 50% in the first year, 93 at 50% in the
//	    second: y1 = 91 + 45 = 136, y2 = 46.5.
//	K02 part-time 0.6; sick 4–13 Mar at 100% (10 days) and 1–20 Oct at 40%
//	    (20 days): y1 = 6 + 4.8 = 10.8.
//	K03 full-time; sick from 2022-03-01 (day 730 is 2024-02-28) to 31 Mar
//	    2024: 59 days in the second year, 32 after day 730: y2 = 59.
//
// So y1 = 146.8, y2 = 105.5, y = 284.3 sick FTE days.
const costFixtures = "../datasets/fixtures/cost/"

func TestAbsenceCost(t *testing.T) {
	s := openStore(t, "2025-01-31", absFixture(t, costFixtures+"cost_employments.csv"), absFixture(t, costFixtures+"cost_absence.csv"))
	f := Filter{From: date("2024-01-01"), To: date("2024-12-31")}
	for _, c := range []struct {
		name  string
		rates CostRates
		want  float64
	}{
		// 200 × (146.8 + 0.7 × 105.5) + 50 × 284.3
		{"defaults with replacement", CostRates{WagePerFTEDay: 200, ReplacementPerFTEDay: 50}, 58345},
		// 200 × (0.9 × 146.8 + 0.8 × 105.5)
		{"a collective agreement's 90% and 80%", CostRates{WagePerFTEDay: 200, FirstYearPct: 90, SecondYearPct: 80}, 43304},
		// 100% in both years: the sick FTE days × the wage
		{"full pay both years", CostRates{WagePerFTEDay: 200, SecondYearPct: 100}, 200 * (146.8 + 105.5)},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := rawGroups(t, s, f, Options{Cost: c.rates})[TotalKey]
			checkF(t, "sick_days", g.SickDays, 284.3)
			checkF(t, "cost", g.Cost, c.want)
		})
	}
	if g := rawGroups(t, s, f, Options{})[TotalKey]; g.Cost != nil {
		t.Errorf("cost %v without a configured wage cost, want none", *g.Cost)
	}
}

func TestCostRatesChecked(t *testing.T) {
	for _, r := range []CostRates{{WagePerFTEDay: -1}, {WagePerFTEDay: 200, SecondYearPct: 120}, {WagePerFTEDay: 200, ReplacementPerFTEDay: -5}} {
		if _, err := (Options{Cost: r}).withDefaults(); err == nil {
			t.Errorf("%+v accepted", r)
		}
	}
}
