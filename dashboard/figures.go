package dashboard

import (
	"context"
	"errors"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
	"github.com/verzuim/absence/dashboard/widgets"
)

// Pages, downloads and the API read every figure through widgets.Source,
// computed once per view and generation of the data (cache.go).

// viewOf reads and restricts the filter of a request. On failure it has
// answered the request already.
func (s *Server) viewOf(c *gin.Context) (view, bool) {
	v, err := s.readView(c)
	var bad inputError
	switch {
	case err == nil:
		return v, true
	case errors.Is(err, errForbidden):
		forbidden(c)
	case errors.As(err, &bad):
		s.refuse(c, http.StatusBadRequest, err)
	default:
		s.serverError(c, err)
	}
	return v, false
}

// readView reads the filter of a request within what its user may see:
// the employers of the account (scope.go), a manager's departments.
func (s *Server) readView(c *gin.Context) (view, error) {
	user := c.MustGet(ctxUser).(User)
	sc, err := s.scopeOf(c, user)
	if err != nil {
		return view{}, err
	}
	v, err := parseView(c.Request.URL.Query(), sc.extract)
	if err != nil {
		return v, err
	}
	v.scope = sc
	if err := v.restrict(user); err != nil {
		return v, err
	}
	g, err := s.gen(c)
	if err != nil {
		return v, err
	}
	g.remember(c, user, sc.reads())
	c.Set(ctxView, v)
	return v, nil
}

// deps are the widgets' dependencies for request c: its generation's
// cache. c's generation must be fixed (s.gen) before widgets run side by
// side.
func (s *Server) deps(c *gin.Context) widgets.Deps {
	d := widgets.Deps{Reader: s.store.Reader(), Options: s.cfg.Analytics, Sector: s.cfg.Sector, Cache: requestCache{s, c}}
	if g, err := s.gen(c); err == nil {
		d.Extract = g.state.extract
	}
	if v, ok := c.Get(ctxView); ok { // the extract date of the employers in scope
		d.Extract = v.(view).scope.extract
	}
	return d
}

// widgetView is view v as widgets read it, for request c. Its period and
// the rest of the filter (Scope) key the cache.
func widgetView(c *gin.Context, v view) widgets.View {
	scope := v.query()
	scope.Del("from")
	scope.Del("to")
	return widgets.View{Filter: v.filter(), Scope: v.scope.key() + "&" + scope.Encode(), Clients: v.scope.clients(), Pool: v.scope.pool(), Query: c.Request.URL.Query(), Lang: langOf(c),
		T: func(key string) string { return translate(langOf(c), key) }}
}

// requestCache is the generation cache as request c reads it.
type requestCache struct {
	s *Server
	c *gin.Context
}

func (r requestCache) Figure(ctx context.Context, name, key string, employers []int64, compute func(context.Context) (any, error)) (any, error) {
	return figure(ctx, r.s, r.c, name, key, employers, compute)
}

// Chart caches a chart without a query slot: it is built from figures
// already computed, so it is waited for even when the page's time is up.
func (r requestCache) Chart(key string, employers []int64, build func() charts.Snippet) charts.Snippet {
	g, err := r.s.gen(r.c)
	if err != nil {
		return build()
	}
	snip, _ := cached(context.Background(), g, key, employers, func() (charts.Snippet, error) { return build(), nil })
	return snip
}

// withFilters fills the filter bar's choices: the departments and locations
// of the period (a manager is offered only their own departments), and the
// age and contract-hours bands. They are the groups a breakdown would show,
// listed without computing one. Lists not ready within the page's time
// offer only what is chosen, until the page is fetched again (Pending).
func (s *Server) withFilters(c *gin.Context, p *page) error {
	all := p.View
	all.Departments, all.Teams, all.Locations = nil, nil, nil
	if err := all.restrict(p.User); err != nil {
		return err
	}
	d, v := s.deps(c), widgetView(c, all)
	lists := []struct {
		by     analytics.Dimension
		into   *[]string
		chosen []string
		values []string
		err    error
	}{{by: analytics.ByDepartment, into: &p.Filter.Departments, chosen: p.View.Departments}, {by: analytics.ByLocation, into: &p.Filter.Locations, chosen: p.View.Locations}}
	var wg sync.WaitGroup
	for i := range lists { // side by side, like the page's widgets; cheap, and the page needs them
		l := &lists[i]
		wg.Go(func() { l.values, l.err = widgets.Values(l.by).Get(answer(c.Request.Context()), d, v) })
	}
	wg.Wait()
	for _, dim := range lists {
		switch err := dim.err; {
		case err == nil:
			*dim.into = dim.values
		case isBusy(err) || errors.Is(err, context.DeadlineExceeded):
			*dim.into = dim.chosen
			p.Filter.Pending = true
			p.Pending++
		default:
			return err
		}
	}
	p.Filter.AgeBands, p.Filter.HoursBands = bandLabels(analytics.AgeBands), bandLabels(analytics.HoursBands)
	return nil
}
