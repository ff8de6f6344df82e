package analytics

import "fmt"

// CostRates price a day of absence, for the cost of absence (verzuimkosten)
// and the return on interventions. The zero value prices nothing.
type CostRates struct {
	// WagePerFTEDay is the wage cost of one full-time calendar day in
	// euros (the yearly wage cost of a full-time job, employer's charges
	// included, ÷ 365). 0: no cost figures.
	WagePerFTEDay float64
	// FirstYearPct and SecondYearPct are the share of the wage paid
	// during sickness in the case's days 1–365 and 366–730 (art. 7:629 BW:
	// at least 70%; many collective agreements pay more). 0: the defaults
	// 100 and 70. After day 730 wage continuation ends: no wage cost.
	FirstYearPct, SecondYearPct float64
	// ReplacementPerFTEDay is the cost of replacing one sick full-time
	// calendar day (temporary staff, overtime), on top of the wage; 0: none.
	ReplacementPerFTEDay float64
}

// Default wage continuation (art. 7:629 BW as most employers apply it).
const (
	DefaultFirstYearPct  = 100
	DefaultSecondYearPct = 70
)

// Configured reports whether a wage cost is set, so cost figures exist.
func (c CostRates) Configured() bool { return c.WagePerFTEDay > 0 }

func (c CostRates) withDefaults() (CostRates, error) {
	if c.FirstYearPct == 0 {
		c.FirstYearPct = DefaultFirstYearPct
	}
	if c.SecondYearPct == 0 {
		c.SecondYearPct = DefaultSecondYearPct
	}
	if c.WagePerFTEDay < 0 || c.ReplacementPerFTEDay < 0 {
		return c, fmt.Errorf("analytics: a wage or replacement cost of %v / %v euros per FTE day is negative", c.WagePerFTEDay, c.ReplacementPerFTEDay)
	}
	for _, p := range []float64{c.FirstYearPct, c.SecondYearPct} {
		if p < 0 || p > 100 {
			return c, fmt.Errorf("analytics: wage continuation %v%% is not between 0 and 100", p)
		}
	}
	return c, nil
}

// absenceCost prices sick FTE days: y1 in the cases' first year, y2 in
// their second, y in all (the rest lies after day 730).
func (c CostRates) absenceCost(y1, y2, y float64) float64 {
	return c.WagePerFTEDay*(c.FirstYearPct*y1+c.SecondYearPct*y2)/100 + c.ReplacementPerFTEDay*y
}

// DayCost is the price of one sick full-time day on day n of a case.
func (c CostRates) DayCost(n int) float64 {
	wage := 0.0
	switch {
	case n <= 365:
		wage = c.WagePerFTEDay * c.FirstYearPct / 100
	case n <= 730:
		wage = c.WagePerFTEDay * c.SecondYearPct / 100
	}
	return wage + c.ReplacementPerFTEDay
}
