package dashboard

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
)

type durationsData struct {
	KPIs        analytics.KPISet
	Survival    analytics.SurvivalResult
	AtRisk      []atRisk
	Progression analytics.ProgressionResult
	Outcomes    outcomesSection
}

// atRisk is the number of cases still observed at a day of the curve.
type atRisk struct {
	Day   int
	NRisk int64
}

var atRiskDays = []int{0, 7, 42, 91, 182, 365, 728}

// showDurations answers "how long does absence last, how much of it
// becomes long-term, and how does it end": duration classes, the survival
// curve with its interval and numbers at risk, the progression funnel, the
// cohort grid, and the shares back at the own employer, elsewhere, in WIA
// or out of employment over time (per group with "by").
func (s *Server) showDurations(c *gin.Context) {
	v, ok := s.viewOf(c)
	if !ok {
		return
	}
	by, err := dimensionOf(c, "")
	if err != nil {
		s.refuse(c, http.StatusBadRequest, err)
		return
	}
	s.prefetch(c, func(c *gin.Context) { s.survival(c, v) }, func(c *gin.Context) { s.progression(c, v) }, func(c *gin.Context) { s.outcomes(c, v, by) })
	k, err := s.kpis(c, v)
	if err != nil {
		s.serverError(c, err)
		return
	}
	surv, err := s.survival(c, v)
	if err != nil {
		s.serverError(c, err)
		return
	}
	prog, err := s.progression(c, v)
	if err != nil {
		s.serverError(c, err)
		return
	}
	ends, err := s.outcomes(c, v, by)
	if err != nil {
		s.serverError(c, err)
		return
	}
	p, err := s.viewPage(c, "durations", v)
	if err != nil {
		s.serverError(c, err)
		return
	}
	p.By = string(by)
	p.Charts = append(p.Charts,
		s.chart(c, p, "durationClasses", func() charts.Snippet { return classesChart(p, k.Total) }),
		s.chart(c, p, "survivalCurve", func() charts.Snippet { return survivalChart(p, surv.Total) }),
		s.chart(c, p, "progressionFunnel", func() charts.Snippet { return funnelChart(p, prog.Total) }),
		s.chart(c, p, "cohortGrid", func() charts.Snippet { return cohortChart(prog) }))
	p.Data = durationsData{KPIs: k, Survival: surv, AtRisk: atRiskOf(surv.Total), Progression: prog,
		Outcomes: s.buildOutcomes(c, &p, ends, by)}
	s.render(c, http.StatusOK, p)
}

func classesChart(p page, g analytics.Group) charts.Snippet {
	bars := make([]charts.Bar, len(g.DurationClasses))
	for i, cl := range g.DurationClasses {
		bars[i] = charts.Bar{Name: cl.Label + " " + p.T("days"), Value: cl.ZVP, Suppressed: g.Suppressed}
	}
	return charts.Bars("durationClasses", p.T("zvp")+" (%)", p.T("suppressed"), bars)
}

func survivalChart(p page, c analytics.Curve) charts.Snippet {
	points := make([]charts.StepPoint, len(c.Points))
	for i, pt := range c.Points {
		points[i] = charts.StepPoint{T: pt.T, Value: pt.Surv, Lower: pt.Lower, Upper: pt.Upper}
	}
	return charts.Survival("survivalCurve", p.T("days"), "% "+p.T("still_absent"), []charts.StepCurve{{Name: p.T("still_absent"), Points: points, Band: true}})
}

// atRiskOf reads the numbers at risk off a curve at the usual days: the
// cases observed at least that long.
func atRiskOf(c analytics.Curve) []atRisk {
	var out []atRisk
	for _, d := range atRiskDays {
		var n int64
		for _, pt := range c.Points { // points are in time order
			if pt.T >= d {
				n = pt.NRisk
				break
			}
		}
		out = append(out, atRisk{d, n})
	}
	return out
}

func funnelChart(p page, row analytics.ProgressionRow) charts.Snippet {
	var stages []charts.Stage
	for _, sa := range row.StillAbsent {
		stages = append(stages, charts.Stage{Name: durationLabel(p, sa.Days), Value: sa.Pct})
	}
	return charts.Funnel("progressionFunnel", stages)
}

func durationLabel(p page, days int) string {
	switch {
	case days%7 == 0 && days >= 14 && days < 365:
		return fmt.Sprintf("%d %s", days/7, p.T("weeks"))
	case days == 365:
		return "1 " + p.T("year")
	case days == 728:
		return "104 " + p.T("weeks")
	}
	return fmt.Sprintf("%d %s", days, p.T("days"))
}

// cohortChart: % still absent by week since the first sick day (columns) per
// cohort of first sick day (rows).
func cohortChart(r analytics.ProgressionResult) charts.Snippet {
	weeks := make([]string, r.GridWeeks)
	for i := range weeks {
		weeks[i] = fmt.Sprint(i + 1)
	}
	var rows []string
	var cells []charts.Cell
	for y, co := range r.Cohorts {
		rows = append(rows, co.Cohort)
		for w, pct := range co.Grid {
			cells = append(cells, charts.Cell{X: w, Y: y, Value: pct})
		}
	}
	return charts.Heatmap("cohortGrid", weeks, rows, cells, 0, 30, false)
}
