package dashboard

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
)

type breakdownData struct {
	Dimension  analytics.Dimension
	Dimensions []analytics.Dimension
	Result     analytics.BreakdownResult
}

// showBreakdown answers "where is absence high": ZVP per group, with a click
// on a department drilling down to its teams. Suppressed groups show as
// suppressed, never as zero.
func (s *Server) showBreakdown(c *gin.Context) {
	v, ok := s.viewOf(c)
	if !ok {
		return
	}
	d := analytics.ByDepartment
	if len(v.Departments) == 1 && len(v.Teams) == 0 {
		d = analytics.ByTeam // drilled into one department: show its teams
	}
	d, err := dimensionOf(c, d)
	if err != nil {
		s.refuse(c, http.StatusBadRequest, err)
		return
	}
	res, err := s.breakdown(c, v, d)
	if err != nil {
		s.serverError(c, err)
		return
	}
	p, err := s.viewPage(c, "breakdown", v)
	if err != nil {
		s.serverError(c, err)
		return
	}
	p.By = string(d)
	p.Data = breakdownData{Dimension: d, Dimensions: analytics.Dimensions, Result: res}
	p.Charts = append(p.Charts, s.chart(c, p, "breakdownZVP/"+string(d), func() charts.Snippet { return breakdownChart(p, d, res) }))
	s.render(c, http.StatusOK, p)
}

func breakdownChart(p page, d analytics.Dimension, res analytics.BreakdownResult) charts.Snippet {
	bars := make([]charts.Bar, len(res.Groups))
	for i, g := range res.Groups {
		bars[i] = charts.Bar{Name: g.Key, Value: g.ZVP, Suppressed: g.Suppressed}
		if d == analytics.ByTeam && g.Parent != "" {
			bars[i].Name = g.Parent + " / " + g.Key
		}
		if d == analytics.ByDepartment && !g.Suppressed {
			bars[i].Link = string(p.Href("/breakdown", "dept", g.Key, "team", "", "by", analytics.ByTeam))
		}
	}
	return charts.Bars("breakdownZVP", p.T("zvp")+" (%)", p.T("suppressed"), bars)
}

// dimensionOf reads the breakdown's dimension ("by"); without one, def.
func dimensionOf(c *gin.Context, def analytics.Dimension) (analytics.Dimension, error) {
	by := c.Query("by")
	if by == "" {
		return def, nil
	}
	d, err := analytics.ParseDimension(by)
	if err != nil {
		var names []string
		for _, d := range analytics.Dimensions {
			names = append(names, string(d))
		}
		return def, badInput("bad_dimension", by, strings.Join(names, ", "))
	}
	return d, nil
}
