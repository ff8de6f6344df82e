package dashboard

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
)

type interventionsData struct {
	Result   analytics.InterventionsResult
	Landmark analytics.LandmarkResult
}

// showInterventions answers "what do our interventions achieve": the outcome
// mix per type, recovery from the start of each type, and — free of the
// immortal-time bias of naive comparisons — the landmark comparison of cases
// still absent at day L with and without the intervention, with n per arm.
// Aggregates only; small arms are suppressed by analytics.
func (s *Server) showInterventions(c *gin.Context) {
	v, ok := s.viewOf(c)
	if !ok {
		return
	}
	v = interventionView(c, v)
	s.prefetch(c, func(c *gin.Context) { s.landmark(c, v) })
	res, err := s.interventions(c, v)
	if err != nil {
		s.serverError(c, err)
		return
	}
	lm, err := s.landmark(c, v)
	if err != nil {
		s.serverError(c, err)
		return
	}
	p, err := s.viewPage(c, "interventions", v)
	if err != nil {
		s.serverError(c, err)
		return
	}
	p.Data = interventionsData{Result: res, Landmark: lm}
	p.Charts = append(p.Charts,
		s.chart(c, p, "outcomeMix", func() charts.Snippet { return outcomeChart(p, res) }),
		s.chart(c, p, "recoveryFromStart", func() charts.Snippet { return recoveryChart(p, res) }))
	s.render(c, http.StatusOK, p)
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

func outcomeChart(p page, res analytics.InterventionsResult) charts.Snippet {
	groups := typeGroups(res)
	var types, outcomes []string
	index := map[string]int{}
	for _, g := range groups {
		types = append(types, p.T("iv_"+g.Type))
		for _, o := range g.Outcomes {
			if _, ok := index[o.Outcome]; !ok {
				index[o.Outcome] = len(outcomes)
				outcomes = append(outcomes, o.Outcome)
			}
		}
	}
	stacks := make([]charts.Stack, len(outcomes))
	for i, o := range outcomes {
		stacks[i] = charts.Stack{Name: p.T("end_" + o), Values: make([]*float64, len(groups))}
	}
	for gi, g := range groups {
		for _, o := range g.Outcomes {
			pct := o.Pct
			stacks[index[o.Outcome]].Values[gi] = &pct
		}
	}
	return charts.StackedBars("outcomeMix", "%", types, stacks)
}

func recoveryChart(p page, res analytics.InterventionsResult) charts.Snippet {
	var curves []charts.StepCurve
	for _, g := range typeGroups(res) {
		if g.Suppressed {
			continue
		}
		points := make([]charts.StepPoint, len(g.Recovery.Points))
		for i, pt := range g.Recovery.Points {
			points[i] = charts.StepPoint{T: pt.T, Value: pt.Surv}
		}
		curves = append(curves, charts.StepCurve{Name: p.T("iv_" + g.Type), Points: points})
	}
	return charts.Survival("recoveryFromStart", p.T("days_since_start"), "% "+p.T("still_absent"), curves)
}
