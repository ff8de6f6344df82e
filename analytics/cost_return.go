package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// The return on interventions: per intervention type, provider and client
// employer with an adjusted landmark estimate (ipw_landmark), the days of
// absence saved per case that got the intervention (the difference in
// median time to the return to the own employer, with its bootstrap
// interval) priced as the cost of absence prices them, minus what the
// intervention cost per case; and the cost of all interventions by who
// bore it (payer). See the
// catalogue entries intervention_return and cost_by_payer.

// ReturnMethod is the adjusted estimate the return is computed from: the
// weighted landmark comparison, whose effect is averaged over the group
// (marginal), as a budget is.
const ReturnMethod = MethodIPWLandmark

// ReasonNoMedian: an arm of the estimate never reached half back at the own
// employer, so there is no difference in median duration to price.
const ReasonNoMedian = "no_median"

// InterventionReturn is the return per case that got the intervention of a
// type (or of one provider or client employer of it). Money is in euros;
// the money fields are null without a configured wage cost
// (InterventionCost.Configured), and the net benefit also when no cost was
// imported. A suppressed row keeps
// its keys and gives the reason (those of AdjustedEstimate, or no_median).
type InterventionReturn struct {
	InterventionType string  `json:"intervention_type"`
	Provider         *string `json:"provider"` // null: all providers
	Employer         *string `json:"employer"` // null: all employers
	Method           string  `json:"method"`
	LandmarkDay      *int    `json:"landmark_day"`
	Suppressed       bool    `json:"suppressed"`
	Reason           string  `json:"reason,omitempty"`
	NTreated         *int64  `json:"n_treated"`
	// DaysSaved is the estimate's median_difference_days (control −
	// treated; negative: the treated were back later).
	DaysSaved   *float64 `json:"days_saved"`
	DaysSavedCI *Bounds  `json:"days_saved_ci95"`
	// FTEFactor is the mean part-time factor × absence fraction of the
	// treated cases on the landmark day: how much of a full-time day one
	// calendar day of their absence is.
	FTEFactor *float64 `json:"fte_factor"`
	// DayCost is the price of one calendar day of a treated case's
	// absence: FTEFactor × the mean price of a full-time day over the case
	// days saved (wage continuation by the case's year, plus replacement).
	DayCost      *float64 `json:"day_cost"`
	ValueSaved   *float64 `json:"value_saved"` // DaysSaved × DayCost
	ValueSavedCI *Bounds  `json:"value_saved_ci95"`
	// MeanCost is the imported cost of the type's (provider's)
	// interventions per case that got one, over the cases with a cost.
	MeanCost     *float64 `json:"mean_cost"`
	NetBenefit   *float64 `json:"net_benefit"` // ValueSaved − MeanCost
	NetBenefitCI *Bounds  `json:"net_benefit_ci95"`
}

// PayerCost is what one payer bore for the interventions of a type, or of
// all types (InterventionType null). Share is of the recorded cost of the
// type. A suppressed row keeps its keys.
type PayerCost struct {
	InterventionType *string  `json:"intervention_type"`
	Payer            string   `json:"payer"` // employer, erd_zw, erd_wga, zorgverzekeraar, uwv, other, not_recorded
	Suppressed       bool     `json:"suppressed"`
	Interventions    *int64   `json:"interventions"`
	Cases            *int64   `json:"cases"`
	Cost             *float64 `json:"cost"`      // sum of the recorded costs, euros
	SharePct         *float64 `json:"share_pct"` // of the type's recorded cost
}

// InterventionCost is the return on interventions and the cost by payer,
// for the interventions started (and the cases begun) in the filter's
// period.
type InterventionCost struct {
	Coverage
	Configured  bool                 `json:"configured"` // a wage cost is set, so days are priced
	Returns     []InterventionReturn `json:"returns"`
	ByPayer     []PayerCost          `json:"by_payer"`
	Definitions DefinitionList       `json:"definitions"`
}

// InterventionCosts computes the return on interventions from the adjusted
// effect (Adjusted's result for the same filter and options) and the cost
// by payer.
func InterventionCosts(ctx context.Context, q Querier, f Filter, adj AdjustedResult, opt Options) (InterventionCost, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return InterventionCost{}, err
	}
	f, cut, err := resolvePeriod(ctx, q, f)
	if err != nil {
		return InterventionCost{}, err
	}
	res := InterventionCost{Coverage: coverageOf(f, cut), Configured: opt.Cost.Configured(), Returns: []InterventionReturn{}, ByPayer: []PayerCost{},
		Definitions: outcomeDefinitions(opt, "intervention_return", "cost_by_payer", "cost", MethodIPWLandmark, "outcome_suppressed")}
	groups, err := interventionCostGroups(ctx, q, f)
	if err != nil {
		return InterventionCost{}, err
	}
	_, hidden, err := strataVisibility(ctx, q, f, opt, nil, &stratum{emp: groups.total.emps, cases: groups.total.cases}, nil)
	if err != nil {
		return InterventionCost{}, err
	}
	th := thresholdsOf(opt)
	for _, e := range adj.Estimates {
		if e.Method != ReturnMethod {
			continue
		}
		var meanCost *float64
		if c, ok := groups.byKey[costKey(e.InterventionType, e.Provider, e.Employer)]; ok && c.costCases > 0 && !th.small(c.emps, c.cases) {
			meanCost = ptr(c.cost / float64(c.costCases))
		}
		res.Returns = append(res.Returns, returnOf(e, adj.cases, meanCost, opt.Cost))
	}
	res.ByPayer = payerCosts(groups.payers, th, hidden)
	return res, nil
}

// returnOf prices one adjusted estimate.
func returnOf(e AdjustedEstimate, cases []adjCase, meanCost *float64, rates CostRates) InterventionReturn {
	r := InterventionReturn{InterventionType: e.InterventionType, Provider: e.Provider, Employer: e.Employer, Method: e.Method,
		LandmarkDay: e.LandmarkDay, Suppressed: e.Suppressed, Reason: e.Reason}
	if e.Suppressed {
		return r
	}
	if e.MedianDifference == nil {
		r.Suppressed, r.Reason = true, ReasonNoMedian
		return r
	}
	l := *e.LandmarkDay
	r.NTreated, r.DaysSaved, r.DaysSavedCI, r.MeanCost = e.NTreated, e.MedianDifference, e.MedianDifferenceCI, meanCost
	set, treated := groupOf(e).landmarkSet(cases, l)
	var sum float64
	var n int
	for i, c := range set {
		if treated[i] {
			sum += c.ptf * c.absentPct(l) / 100
			n++
		}
	}
	if n == 0 {
		return r
	}
	r.FTEFactor = ptr(sum / float64(n))
	if !rates.Configured() {
		return r
	}
	// The days saved are the case days between the arms' medians.
	from, to := l+int(min(*e.MedianTreated, *e.MedianControl)), l+int(max(*e.MedianTreated, *e.MedianControl))
	price := rates.DayCost(to)
	if to > from {
		price = 0
		for d := from + 1; d <= to; d++ {
			price += rates.DayCost(d)
		}
		price /= float64(to - from)
	}
	r.DayCost = ptr(*r.FTEFactor * price)
	value := func(days float64) float64 { return days * *r.DayCost }
	r.ValueSaved = ptr(value(*r.DaysSaved))
	if ci := r.DaysSavedCI; ci != nil && ci.Low != nil && ci.High != nil {
		r.ValueSavedCI = &Bounds{Low: ptr(value(*ci.Low)), High: ptr(value(*ci.High))}
	}
	if meanCost == nil {
		return r
	}
	r.NetBenefit = ptr(*r.ValueSaved - *meanCost)
	if ci := r.ValueSavedCI; ci != nil {
		r.NetBenefitCI = &Bounds{Low: ptr(*ci.Low - *meanCost), High: ptr(*ci.High - *meanCost)}
	}
	return r
}

// costGroup is one row of sql/intervention_cost.sql.
type costGroup struct {
	typ, prov, payer *string
	n, cases, emps   int64
	cost             float64
	costCases        int64
}

type costGroups struct {
	total  costGroup            // every linked intervention
	byKey  map[string]costGroup // by costKey: type, type and provider, type and employer
	payers []costGroup          // per type and payer, then per payer over all types
}

// costKey keys the cost of a type, or of one provider or employer of it.
func costKey(typ string, provider, employer *string) string {
	switch {
	case provider != nil:
		return typ + keySep + "provider" + keySep + *provider
	case employer != nil:
		return typ + keySep + "employer" + keySep + *employer
	}
	return typ
}

// interventionCostGroups runs sql/intervention_cost.sql.
func interventionCostGroups(ctx context.Context, q Querier, f Filter) (costGroups, error) {
	link, p := linkSQL(f)
	rows, err := render("intervention_cost", link, p).run(ctx, q)
	if err != nil {
		return costGroups{}, fmt.Errorf("analytics: intervention cost: %w", err)
	}
	defer rows.Close()
	out := costGroups{byKey: map[string]costGroup{}}
	for rows.Next() {
		var g costGroup
		var gid int
		var cost sql.NullFloat64
		var employer sql.NullString
		if err := rows.Scan(&g.typ, &g.prov, &g.payer, &employer, &gid, &g.n, &g.cases, &g.emps, &cost, &g.costCases); err != nil {
			return costGroups{}, fmt.Errorf("analytics: intervention cost: %w", err)
		}
		g.cost = cost.Float64
		// gid: a bit per column left out, typ 0b1000, prov 0b0100, payer
		// 0b0010, employer 0b0001.
		switch gid {
		case 0b0111: // type
			out.byKey[costKey(*g.typ, nil, nil)] = g
		case 0b0011: // type and provider
			out.byKey[costKey(*g.typ, g.prov, nil)] = g
		case 0b0110: // type and employer
			out.byKey[costKey(*g.typ, nil, &employer.String)] = g
		case 0b1111:
			out.total = g
		default: // type and payer (0b0101), payer (0b1101)
			if g.payer == nil {
				g.payer = ptr(PayerNotRecorded)
			}
			out.payers = append(out.payers, g)
		}
	}
	return out, rows.Err()
}

// payerCosts are the payers' shares per type (InterventionTypes order) and
// over all types, the payers of a type hidden as a partition of it.
func payerCosts(groups []costGroup, th thresholds, hidden bool) []PayerCost {
	byType := map[string][]costGroup{} // "" for all types
	for _, g := range groups {
		t := ""
		if g.typ != nil {
			t = *g.typ
		}
		byType[t] = append(byType[t], g)
	}
	var out []PayerCost
	for _, t := range append(slices.Clone(InterventionTypes), "") {
		gs := byType[t]
		var cells []cell
		var total float64
		for _, g := range gs {
			cells = append(cells, cell{*g.payer, g.emps, g.cases})
			total += g.cost
		}
		small := hideCells(cells, nil, th)
		slices.SortFunc(gs, func(a, b costGroup) int { return payerRank(*a.payer) - payerRank(*b.payer) })
		for _, g := range gs {
			pc := PayerCost{Payer: *g.payer}
			if t != "" {
				pc.InterventionType = ptr(t)
			}
			if hidden || small[*g.payer] {
				pc.Suppressed = true
			} else {
				pc.Interventions, pc.Cases, pc.Cost = ptr(g.n), ptr(g.cases), ptr(g.cost)
				if total > 0 {
					pc.SharePct = ptr(100 * g.cost / total)
				}
			}
			out = append(out, pc)
		}
	}
	return out
}

// Payers are the payers of the import in the order shown; PayerNotRecorded
// (an intervention without a payer) comes last.
var Payers = []string{"employer", "erd_zw", "erd_wga", "zorgverzekeraar", "uwv", "other"}

const PayerNotRecorded = "not_recorded"

func payerRank(p string) int {
	if i := slices.Index(Payers, p); i >= 0 {
		return i
	}
	return len(Payers)
}
