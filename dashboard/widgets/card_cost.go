package widgets

import (
	"context"
	"fmt"

	"github.com/verzuim/absence/analytics"
)

// InterventionCost is the return on interventions and who bore their cost
// (analytics.InterventionCosts), priced from the adjusted effect of the
// same view, so the card's euros follow from its days.
func InterventionCost(ctx context.Context, d Deps, v View) (analytics.InterventionCost, error) {
	adj, err := Adjusted.Get(ctx, d, v)
	if err != nil {
		return analytics.InterventionCost{}, err
	}
	return Source[analytics.InterventionCost]{"intervention_cost", func(ctx context.Context, d Deps, f analytics.Filter) (analytics.InterventionCost, error) {
		return analytics.InterventionCosts(ctx, d.Reader, f, adj, d.Options)
	}}.Get(ctx, d, v)
}

// CardCost is the section "Kosten en opbrengst": what the intervention cost
// per case, what the days it saved are worth in wage continuation, the net
// benefit, each with its interval, in sentences; and who paid for the
// type's interventions.
type CardCost struct {
	cardSection
	cost analytics.InterventionCost
}

// CardCostData is the section as its template shows it.
type CardCostData struct {
	Sentences  []string
	Why        string // the return is suppressed: the reason in words
	Payers     []PayerRow
	PayersHint string
	PayersWhy  string // no payer to show: why
}

// PayerRow is one payer of the type's interventions, or why it is hidden.
type PayerRow struct{ Payer, Interventions, Cost, Share, Why string }

func (*CardCost) Name() string { return "cardCost" }

func (w *CardCost) Load(ctx context.Context, d Deps, v View) error {
	if err := w.cardSection.Load(ctx, d, v); err != nil {
		return err
	}
	var err error
	w.cost, err = InterventionCost(ctx, d, v.ThreeYears())
	return err
}

func (w *CardCost) Render(_ Deps, v View) Output { return Output{Data: CostOf(v, w.card, w.cost)} }

// ReturnOf is card c's return row of cost, and whether there is one.
func ReturnOf(cost analytics.InterventionCost, c Card) (analytics.InterventionReturn, bool) {
	for _, r := range cost.Returns {
		if r.InterventionType == c.Type && r.Employer == nil && (r.Provider == nil) == (c.Provider == "") && (r.Provider == nil || *r.Provider == c.Provider) {
			return r, true
		}
	}
	return analytics.InterventionReturn{}, false
}

// PayersOf are the payer rows of card c's type. They are of every provider
// of it: the cost is not split by provider and payer at once.
func PayersOf(cost analytics.InterventionCost, c Card) []analytics.PayerCost {
	var out []analytics.PayerCost
	for _, p := range cost.ByPayer {
		if p.InterventionType != nil && *p.InterventionType == c.Type {
			out = append(out, p)
		}
	}
	return out
}

// CostOf is the cost section of card c, as the page and the download
// show it.
func CostOf(v View, c Card, cost analytics.InterventionCost) CardCostData {
	out := CardCostData{PayersHint: v.T("card_cost_payers_hint")}
	if c.Provider != "" {
		out.PayersHint += " " + v.T("card_all_providers_note")
	}
	with := With(v, c.Type)
	r, ok := ReturnOf(cost, c)
	switch {
	case !ok:
		out.Why = Why(v, analytics.ReasonTooFewCases)
	case r.Suppressed:
		out.Why = Why(v, r.Reason)
	default:
		out.Sentences = returnSentences(v, with, cost.Configured, r)
	}
	if !cost.Configured {
		out.Sentences = append(out.Sentences, v.T("card_cost_not_configured"))
	}
	for _, p := range PayersOf(cost, c) {
		row := PayerRow{Payer: v.T("card_payer_" + p.Payer)}
		if p.Suppressed {
			row.Why = Why(v, analytics.ReasonTooFewCases)
		} else {
			row.Interventions, row.Cost, row.Share = Count(p.Interventions), Euro(v.Lang, p.Cost), Pct(v.Lang, p.SharePct)
		}
		out.Payers = append(out.Payers, row)
	}
	if len(out.Payers) == 0 {
		out.PayersWhy = v.T("card_cost_no_payers")
	}
	return out
}

// returnSentences say a shown return in words: what it cost and what it
// saved per case, the days behind it, and the net benefit.
func returnSentences(v View, with string, configured bool, r analytics.InterventionReturn) []string {
	var out []string
	cost := v.T("card_cost_no_cost")
	if r.MeanCost != nil {
		cost = fmt.Sprintf(v.T("card_cost_mean"), Euro(v.Lang, r.MeanCost))
	}
	if configured && r.ValueSaved != nil {
		s := fmt.Sprintf(v.T("card_cost_value"), with, cost, Euro(v.Lang, r.ValueSaved))
		if ci := r.ValueSavedCI; ci != nil {
			s += " " + fmt.Sprintf(v.T("card_cost_interval"), Between(Euro(v.Lang, ci.Low), Euro(v.Lang, ci.High)))
		}
		out = append(out, s+".")
	} else {
		out = append(out, fmt.Sprintf(v.T("card_cost_only"), with, cost))
	}
	d := fmt.Sprintf(v.T("card_cost_days"), sooner(v, wholeDays(*r.DaysSaved)))
	if ci := r.DaysSavedCI; ci != nil && ci.Low != nil && ci.High != nil {
		d += " " + fmt.Sprintf(v.T("card_cost_interval"), soonerRange(v, wholeDays(*ci.Low), wholeDays(*ci.High)))
	}
	if r.DayCost != nil {
		d += fmt.Sprintf(v.T("card_cost_day_cost"), Euro(v.Lang, r.DayCost))
	}
	out = append(out, d+".")
	if r.NetBenefit != nil {
		s := fmt.Sprintf(v.T("card_cost_net"), Euro(v.Lang, r.NetBenefit))
		if ci := r.NetBenefitCI; ci != nil {
			s += " " + fmt.Sprintf(v.T("card_cost_interval"), Between(Euro(v.Lang, ci.Low), Euro(v.Lang, ci.High)))
		}
		out = append(out, s+".")
	}
	return out
}
