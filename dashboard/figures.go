package dashboard

import (
	"context"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
)

// The figures pages and API share: each computed once per view and
// generation of the data (cache.go).

// viewOf reads and restricts the filter of a request. On failure it has
// answered the request already.
func (s *Server) viewOf(c *gin.Context) (view, bool) {
	g, err := s.gen(c)
	if err != nil {
		s.serverError(c, err)
		return view{}, false
	}
	user := c.MustGet(ctxUser).(User)
	v, err := parseView(c.Request.URL.Query(), g.state.extract)
	if err == nil {
		err = v.restrict(user)
	}
	switch {
	case errors.Is(err, errForbidden):
		forbidden(c)
		return v, false
	case err != nil:
		s.refuse(c, http.StatusBadRequest, err)
		return v, false
	}
	g.remember(c, user)
	return v, true
}

func (s *Server) kpis(c *gin.Context, v view) (analytics.KPISet, error) {
	return figure(s, c, "kpis", v.key(), func(ctx context.Context) (analytics.KPISet, error) {
		return analytics.KPIs(ctx, s.store.Reader(), v.filter(), s.cfg.Analytics)
	})
}

func (s *Server) breakdown(c *gin.Context, v view, d analytics.Dimension) (analytics.BreakdownResult, error) {
	return figure(s, c, "breakdown/"+string(d), v.key(), func(ctx context.Context) (analytics.BreakdownResult, error) {
		return analytics.Breakdown(ctx, s.store.Reader(), v.filter(), d, s.cfg.Analytics)
	})
}

func (s *Server) series(c *gin.Context, v view) (analytics.SeriesResult, error) {
	return figure(s, c, "series", v.key(), func(ctx context.Context) (analytics.SeriesResult, error) {
		return analytics.Series(ctx, s.store.Reader(), v.filter(), analytics.Monthly, s.cfg.Analytics)
	})
}

// absentees lists the frequent absentees only (the analytics list everyone
// with a spell in the window).
func (s *Server) absentees(c *gin.Context, v view) (analytics.AbsenteeList, error) {
	return figure(s, c, "absentees", v.key(), func(ctx context.Context) (analytics.AbsenteeList, error) {
		list, err := analytics.FrequentAbsentees(ctx, s.store.Reader(), v.filter(), s.cfg.Analytics)
		var frequent []analytics.Absentee
		for _, a := range list.Employees {
			if a.Frequent {
				frequent = append(frequent, a)
			}
		}
		list.Employees = frequent
		return list, err
	})
}

// withFilters fills the filter bar's choices: the departments and locations
// of the period (a manager is offered only their own departments), and the
// age and contract-hours bands. They are the groups a breakdown would show,
// listed without computing one.
func (s *Server) withFilters(c *gin.Context, p *page) error {
	all := p.View
	all.Departments, all.Teams, all.Locations = nil, nil, nil
	if err := all.restrict(p.User); err != nil {
		return err
	}
	for _, d := range []struct {
		dim  analytics.Dimension
		into *[]string
	}{{analytics.ByDepartment, &p.Filter.Departments}, {analytics.ByLocation, &p.Filter.Locations}} {
		values, err := figure(s, c, "values/"+string(d.dim), all.key(), func(ctx context.Context) ([]string, error) {
			return analytics.Values(ctx, s.store.Reader(), all.filter(), d.dim)
		})
		if err != nil {
			return err
		}
		*d.into = values
	}
	p.Filter.AgeBands, p.Filter.HoursBands = bandLabels(analytics.AgeBands), bandLabels(analytics.HoursBands)
	return nil
}

// previous is the same view one period earlier, for "change vs previous".
func (v view) previous() view {
	days := int(v.To.Sub(v.From).Hours()/24) + 1
	p := v
	p.To = v.From.AddDate(0, 0, -1)
	p.From = p.To.AddDate(0, 0, -(days - 1))
	return p
}

// chart renders a chart once per view, language and generation: building
// a go-echarts snippet parses its templates anew each time.
func (s *Server) chart(c *gin.Context, p page, id string, build func() charts.Snippet) charts.Snippet {
	g, err := s.gen(c)
	if err != nil {
		return build()
	}
	snip, _ := cached(c.Request.Context(), g, "chart/"+id+"/"+p.Lang+"?"+p.View.key(), func(context.Context) (charts.Snippet, error) { return build(), nil })
	return snip
}

func (s *Server) survival(c *gin.Context, v view) (analytics.SurvivalResult, error) {
	return figure(s, c, "survival", v.key(), func(ctx context.Context) (analytics.SurvivalResult, error) {
		return analytics.Survival(ctx, s.store.Reader(), v.filter(), "", s.cfg.Analytics)
	})
}

func (s *Server) progression(c *gin.Context, v view) (analytics.ProgressionResult, error) {
	return figure(s, c, "progression", v.key(), func(ctx context.Context) (analytics.ProgressionResult, error) {
		return analytics.Progression(ctx, s.store.Reader(), v.filter(), analytics.ProgressionOptions{}, s.cfg.Analytics)
	})
}

func (s *Server) tracks(c *gin.Context, v view) (analytics.TracksResult, error) {
	return figure(s, c, "tracks", v.key(), func(ctx context.Context) (analytics.TracksResult, error) {
		return analytics.Tracks(ctx, s.store.Reader(), v.filter(), analytics.TrackOptions{DeadlineWeeks: 6}, s.cfg.Analytics)
	})
}

// interventionView widens the default period to three years: interventions
// take months to show their effect.
func interventionView(c *gin.Context, v view) view {
	if c.Query("from") == "" {
		v.From = v.To.AddDate(-3, 0, 1)
	}
	return v
}

func (s *Server) interventions(c *gin.Context, v view) (analytics.InterventionsResult, error) {
	return figure(s, c, "interventions", v.key(), func(ctx context.Context) (analytics.InterventionsResult, error) {
		return analytics.Interventions(ctx, s.store.Reader(), v.filter(), s.cfg.Analytics)
	})
}

func (s *Server) landmark(c *gin.Context, v view) (analytics.LandmarkResult, error) {
	return figure(s, c, "landmark", v.key(), func(ctx context.Context) (analytics.LandmarkResult, error) {
		return analytics.Landmark(ctx, s.store.Reader(), v.filter(), analytics.LandmarkOptions{}, s.cfg.Analytics)
	})
}
