package dashboard

import (
	"cmp"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/widgets"
	"github.com/verzuim/absence/ingest/storage"
)

// The employers a request's figures are of, from its account: an
// employer's admin, HR person or manager sees that employer only; provider
// staff the employers they serve and only their own organisation's
// interventions; the installation admin every employer. A user who may see
// more than one chooses one with ?employer=NAME; asking for an employer
// outside the account answers 403, never a silent fallback. The scope
// enters the analytics filter in one place (view.filter) and keys the
// cache (widgetView), for pages, downloads and the API alike.

// scope is the employers and provider a request is restricted to.
type scope struct {
	// employers in scope; nil: every employer (the installation admin,
	// who chose none).
	employers []storage.EmployerSummary
	served    []storage.EmployerSummary // every employer the account may see
	provider  string                    // provider staff's organisation; "" every provider
	extract   time.Time                 // the extract date of the employers in scope
}

// ids are the ids of the scope's employers.
func (sc scope) ids() []int64 { return idsOf(sc.employers) }

// pool is every employer the account serves, by id.
func (sc scope) pool() []int64 { return idsOf(sc.served) }

// reads are the employers whose data the scope's pages may read: those in
// scope and the pool (the benchmark); nil for every employer.
func (sc scope) reads() []int64 {
	if sc.employers == nil {
		return nil
	}
	out := append(sc.ids(), sc.pool()...)
	slices.Sort(out)
	return slices.Compact(out)
}

func idsOf(list []storage.EmployerSummary) []int64 {
	var out []int64
	for _, e := range list {
		out = append(out, e.ID)
	}
	return out
}

// key identifies the scope in the cache.
func (sc scope) key() string { return "employers=" + joinIDs(sc.ids()) + "&provider=" + sc.provider }

func joinIDs(ids []int64) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(out, ",")
}

// scopeOf is the scope of request c by user u; errForbidden when the
// request asks for an employer outside the account, or the account serves
// no employer the database holds.
func (s *Server) scopeOf(c *gin.Context, u User) (scope, error) {
	g, err := s.gen(c)
	if err != nil {
		return scope{}, err
	}
	served, err := s.served(c, u)
	if err != nil {
		return scope{}, err
	}
	if len(served) == 0 || u.Access() == RoleProvider && u.Provider == "" {
		// Fail closed: an empty scope would mean every employer, and no
		// provider every provider (a provider account from before
		// employers names no organisation: 'absence user add --provider').
		return scope{}, errForbidden
	}
	sc := scope{employers: served, served: served, provider: u.Provider, extract: g.state.extract}
	if name := strings.TrimSpace(c.Query("employer")); name != "" {
		i := slices.IndexFunc(served, func(e storage.EmployerSummary) bool { return strings.EqualFold(e.Name, name) })
		if i < 0 {
			return scope{}, errForbidden
		}
		sc.employers = served[i : i+1]
	} else if u.Access() == RoleInstallation {
		sc.employers = nil
	}
	if sc.employers != nil {
		ids := sc.ids()
		sc.extract, err = cached(c.Request.Context(), g, "extract?"+sc.key(), ids, func() (time.Time, error) {
			return analytics.LatestExtractDate(s.base, s.store.Reader(), ids...)
		})
	}
	return sc, err
}

// served are the employers user u may see, by id, with their last import.
// An account of named employers gets the summaries of those only: one
// employer's pages cost the same however many employers the installation
// holds.
func (s *Server) served(c *gin.Context, u User) ([]storage.EmployerSummary, error) {
	g, err := s.gen(c)
	if err != nil {
		return nil, err
	}
	ctx := c.Request.Context()
	var names []string
	switch u.Access() {
	case RoleInstallation:
	case RoleProvider:
		names = u.Employers
	default:
		names = []string{cmp.Or(u.Employer, storage.DefaultEmployer)}
	}
	if len(names) == 0 { // every employer
		all, err := cached(ctx, g, "employers", nil, func() ([]storage.EmployerSummary, error) {
			return s.store.Reader().EmployerSummaries(s.base)
		})
		if err != nil {
			return nil, fmt.Errorf("read the employers: %w", err)
		}
		return all, nil
	}
	all, err := cached(ctx, g, "employer-names", nil, func() ([]storage.Employer, error) {
		return s.store.Reader().Employers(s.base)
	})
	if err != nil {
		return nil, fmt.Errorf("read the employers: %w", err)
	}
	var ids []int64
	for _, n := range names {
		i := slices.IndexFunc(all, func(e storage.Employer) bool { return strings.EqualFold(e.Name, strings.TrimSpace(n)) })
		if i < 0 {
			slog.Warn("an account names an employer the database does not hold", "user", u.Name, "employer", n)
			continue
		}
		ids = append(ids, all[i].ID)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	list, err := cached(ctx, g, "employers?"+joinIDs(ids), ids, func() ([]storage.EmployerSummary, error) {
		return s.store.Reader().EmployerSummaries(s.base, ids...)
	})
	if err != nil {
		return nil, fmt.Errorf("read the employers: %w", err)
	}
	// In the account's order, as it names them.
	out := make([]storage.EmployerSummary, 0, len(ids))
	for _, id := range ids {
		if i := slices.IndexFunc(list, func(e storage.EmployerSummary) bool { return e.ID == id }); i >= 0 {
			out = append(out, list[i])
		}
	}
	return out, nil
}

// clients are the scope's employers as the provider pages list them
// (every employer for the installation admin who chose none).
func (sc scope) clients() []widgets.Client {
	list := sc.employers
	if list == nil {
		list = sc.served
	}
	var out []widgets.Client
	for _, e := range list {
		if e.Employees == 0 && e.Cases == 0 {
			continue // nothing imported: the default employer of a provider installation
		}
		out = append(out, widgets.Client{ID: e.ID, Name: e.Name, LastImport: e.LastImport, Extract: e.ExtractDate})
	}
	return out
}

// shownName is an employer's name as users see it: "" for the default
// employer, whose name is internal (an organisation that installs the
// product for itself never names an employer).
func shownName(name string) string {
	if name == storage.DefaultEmployer {
		return ""
	}
	return name
}
