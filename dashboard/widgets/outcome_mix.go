package widgets

import (
	"context"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
)

// OutcomeMix is how the cases with each type of intervention ended, as
// stacked shares per type. The default period is three years.
type OutcomeMix struct{ res analytics.InterventionsResult }

func (*OutcomeMix) Name() string { return "outcomeMix" }

func (w *OutcomeMix) Load(ctx context.Context, d Deps, v View) (err error) {
	w.res, err = Interventions.Get(ctx, d, v.ThreeYears())
	return err
}

func (w *OutcomeMix) Render(d Deps, v View) Output {
	return one(chart(d, v.ThreeYears(), w.Name(), func() charts.Snippet {
		groups := typeGroups(w.res)
		var types, outcomes []string
		index := map[string]int{}
		for _, g := range groups {
			types = append(types, v.T("iv_"+g.Type))
			for _, o := range g.Outcomes {
				if _, ok := index[o.Outcome]; !ok {
					index[o.Outcome] = len(outcomes)
					outcomes = append(outcomes, o.Outcome)
				}
			}
		}
		stacks := make([]charts.Stack, len(outcomes))
		for i, o := range outcomes {
			stacks[i] = charts.Stack{Name: v.T("end_" + o), Values: make([]*float64, len(groups))}
		}
		for gi, g := range groups {
			for _, o := range g.Outcomes {
				pct := o.Pct
				stacks[index[o.Outcome]].Values[gi] = &pct
			}
		}
		return charts.StackedBars(w.Name(), v.T("axis_intervention_type"), "%", types, stacks)
	}), nil)
}

// typeGroups are the per-type rows (not the per-provider ones).
func typeGroups(res analytics.InterventionsResult) []analytics.InterventionGroup {
	var out []analytics.InterventionGroup
	for _, g := range res.Groups {
		if g.Provider == "" {
			out = append(out, g)
		}
	}
	return out
}
