package main

import (
	"fmt"
	"io"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/analytics/reports"
)

// doseAndCostTables write the dose (descriptive), the return on
// interventions and the cost by payer of the interventions report.
func doseAndCostTables(w io.Writer, r reports.Interventions) error {
	tw, row := newTable(w)
	fmt.Fprintf(w, "\nOutcome by sessions and by completion (descriptive, not an effect: who stops or gets more sessions differs):\n")
	row("TYPE", "BY", "GROUP", "N", "CASES", fmt.Sprintf("OWN EMPLOYER %dd %% (95%% CI)", analytics.DoseReturnDays), "MEDIAN DAYS TO RETURN")
	for _, g := range r.Dose.Groups {
		if g.Suppressed {
			row(g.InterventionType, g.By, g.Band, "suppressed", "", "", "")
			continue
		}
		b := g.BackAtOwnEmployer
		row(g.InterventionType, g.By, g.Band, ocCount(g.Interventions), ocCount(g.Cases), ocNum(b.Pct, 1)+" "+ocBounds(b.CI, 1), ocNum(g.MedianDaysToReturn, 0))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	c := r.Cost
	fmt.Fprintf(w, "\nReturn per case that got the intervention (days saved from %s, priced as the cost of absence; euros):\n", analytics.ReturnMethod)
	if !c.Configured {
		fmt.Fprintln(w, "No wage cost configured ([cost] wage_per_fte_day, or --cost-per-fte-day for the statistics): days and costs only.")
	}
	row("TYPE / PROVIDER / EMPLOYER", "L", "TREATED", "DAYS SAVED (95% CI)", "COST OF A DAY", "VALUE SAVED", "MEAN COST", "NET BENEFIT (95% CI)")
	for _, x := range c.Returns {
		name := x.InterventionType
		if x.Provider != nil {
			name = "  " + *x.Provider
		}
		if x.Employer != nil {
			name = "  employer " + *x.Employer
		}
		l := ocCount(nil)
		if x.LandmarkDay != nil {
			l = fmt.Sprint(*x.LandmarkDay)
		}
		if x.Suppressed {
			row(name, l, "suppressed: "+x.Reason, "", "", "", "", "")
			continue
		}
		row(name, l, ocCount(x.NTreated), ocNum(x.DaysSaved, 0)+" "+ocBounds(x.DaysSavedCI, 0), ocNum(x.DayCost, 2), ocNum(x.ValueSaved, 0),
			ocNum(x.MeanCost, 0), ocNum(x.NetBenefit, 0)+" "+ocBounds(x.NetBenefitCI, 0))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nWho bore the cost of the interventions:")
	row("TYPE", "PAYER", "INTERVENTIONS", "CASES", "COST", "SHARE %")
	for _, p := range c.ByPayer {
		typ := "all types"
		if p.InterventionType != nil {
			typ = *p.InterventionType
		}
		if p.Suppressed {
			row(typ, p.Payer, "suppressed", "", "", "")
			continue
		}
		row(typ, p.Payer, ocCount(p.Interventions), ocCount(p.Cases), ocNum(p.Cost, 2), ocNum(p.SharePct, 1))
	}
	return tw.Flush()
}
