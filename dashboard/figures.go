package dashboard

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
)

// The figures pages and API share: each computed once per view and data
// version.

// viewOf reads and restricts the filter of a request. On failure it has
// answered the request already.
func (s *Server) viewOf(c *gin.Context) (view, bool) {
	st, err := s.state(c.Request.Context())
	if err != nil {
		s.serverError(c, err)
		return view{}, false
	}
	v, err := parseView(c.Request.URL.Query(), st.extract)
	if err == nil {
		err = v.restrict(c.MustGet(ctxUser).(User))
	}
	switch {
	case errors.Is(err, errForbidden):
		forbidden(c)
		return v, false
	case err != nil:
		s.refuse(c, http.StatusBadRequest, err)
		return v, false
	}
	return v, true
}

func (s *Server) kpis(c *gin.Context, v view) (analytics.KPISet, error) {
	version, err := s.dataVersion(c.Request.Context())
	if err != nil {
		return analytics.KPISet{}, err
	}
	return cached(s.cache, version, "kpis?"+v.key(), func() (analytics.KPISet, error) {
		return analytics.KPIs(c.Request.Context(), s.store.Reader(), v.filter(), s.cfg.Analytics)
	})
}

func (s *Server) breakdown(c *gin.Context, v view, d analytics.Dimension) (analytics.BreakdownResult, error) {
	version, err := s.dataVersion(c.Request.Context())
	if err != nil {
		return analytics.BreakdownResult{}, err
	}
	return cached(s.cache, version, "breakdown/"+string(d)+"?"+v.key(), func() (analytics.BreakdownResult, error) {
		return analytics.Breakdown(c.Request.Context(), s.store.Reader(), v.filter(), d, s.cfg.Analytics)
	})
}

func (s *Server) series(c *gin.Context, v view) (analytics.SeriesResult, error) {
	version, err := s.dataVersion(c.Request.Context())
	if err != nil {
		return analytics.SeriesResult{}, err
	}
	return cached(s.cache, version, "series?"+v.key(), func() (analytics.SeriesResult, error) {
		return analytics.Series(c.Request.Context(), s.store.Reader(), v.filter(), analytics.Monthly, s.cfg.Analytics)
	})
}

// absentees lists the frequent absentees only (the analytics list everyone
// with a spell in the window).
func (s *Server) absentees(c *gin.Context, v view) (analytics.AbsenteeList, error) {
	version, err := s.dataVersion(c.Request.Context())
	if err != nil {
		return analytics.AbsenteeList{}, err
	}
	return cached(s.cache, version, "absentees?"+v.key(), func() (analytics.AbsenteeList, error) {
		list, err := analytics.FrequentAbsentees(c.Request.Context(), s.store.Reader(), v.filter(), s.cfg.Analytics)
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
// age and contract-hours bands.
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
		b, err := s.breakdown(c, all, d.dim)
		if err != nil {
			return err
		}
		for _, g := range b.Groups {
			*d.into = append(*d.into, g.Key)
		}
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

// chart renders a chart once per view, language and data version: building
// a go-echarts snippet parses its templates anew each time.
func (s *Server) chart(c *gin.Context, p page, id string, build func() charts.Snippet) charts.Snippet {
	version, err := s.dataVersion(c.Request.Context())
	if err != nil {
		return build()
	}
	snip, _ := cached(s.cache, version, "chart/"+id+"/"+p.Lang+"?"+p.View.key(), func() (charts.Snippet, error) { return build(), nil })
	return snip
}

func (s *Server) survival(c *gin.Context, v view) (analytics.SurvivalResult, error) {
	version, err := s.dataVersion(c.Request.Context())
	if err != nil {
		return analytics.SurvivalResult{}, err
	}
	return cached(s.cache, version, "survival?"+v.key(), func() (analytics.SurvivalResult, error) {
		return analytics.Survival(c.Request.Context(), s.store.Reader(), v.filter(), "", s.cfg.Analytics)
	})
}

func (s *Server) progression(c *gin.Context, v view) (analytics.ProgressionResult, error) {
	version, err := s.dataVersion(c.Request.Context())
	if err != nil {
		return analytics.ProgressionResult{}, err
	}
	return cached(s.cache, version, "progression?"+v.key(), func() (analytics.ProgressionResult, error) {
		return analytics.Progression(c.Request.Context(), s.store.Reader(), v.filter(), analytics.ProgressionOptions{}, s.cfg.Analytics)
	})
}

func (s *Server) tracks(c *gin.Context, v view) (analytics.TracksResult, error) {
	version, err := s.dataVersion(c.Request.Context())
	if err != nil {
		return analytics.TracksResult{}, err
	}
	return cached(s.cache, version, "tracks?"+v.key(), func() (analytics.TracksResult, error) {
		return analytics.Tracks(c.Request.Context(), s.store.Reader(), v.filter(), analytics.TrackOptions{DeadlineWeeks: 6}, s.cfg.Analytics)
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
	version, err := s.dataVersion(c.Request.Context())
	if err != nil {
		return analytics.InterventionsResult{}, err
	}
	return cached(s.cache, version, "interventions?"+v.key(), func() (analytics.InterventionsResult, error) {
		return analytics.Interventions(c.Request.Context(), s.store.Reader(), v.filter(), s.cfg.Analytics)
	})
}

func (s *Server) landmark(c *gin.Context, v view) (analytics.LandmarkResult, error) {
	version, err := s.dataVersion(c.Request.Context())
	if err != nil {
		return analytics.LandmarkResult{}, err
	}
	return cached(s.cache, version, "landmark?"+v.key(), func() (analytics.LandmarkResult, error) {
		return analytics.Landmark(c.Request.Context(), s.store.Reader(), v.filter(), analytics.LandmarkOptions{}, s.cfg.Analytics)
	})
}
