package dashboard

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/widgets"
)

// The pseudonym lookup: an HR person enters a personnel number and sees the
// pseudonym it has on the Poortwachter worklist, so the list can be acted
// on without names in the database. The number is pseudonymised exactly
// as the import does (the database's key and the employer's salt). Every
// lookup is logged — who, when, which employer — never the number, and
// each user may look up a handful a minute (the login limiter's budget).

// lookupData is what the lookup page shows.
type lookupData struct {
	Number    string // as entered, shown back to the user only
	Pseudonym string
	Open      bool   // the pseudonym has an open track in the view
	Error     string // a message key
}

// showLookup shows the form, for an employer the account may see.
func (s *Server) showLookup(c *gin.Context) {
	if _, ok := s.viewOf(c); ok {
		s.renderLookup(c, http.StatusOK, lookupData{})
	}
}

func (s *Server) renderLookup(c *gin.Context, status int, d lookupData) {
	p := s.newPage(c, "lookup")
	p.Data = d
	s.render(c, status, p)
}

// lookup answers the lookup form (POST, CSRF checked before).
func (s *Server) lookup(c *gin.Context) {
	v, ok := s.viewOf(c)
	if !ok {
		return
	}
	u := c.MustGet(ctxUser).(User)
	d := lookupData{Number: strings.TrimSpace(c.Request.PostForm.Get("number"))}
	switch {
	case d.Number == "":
		d.Error = "lookup_empty"
	case len(v.scope.employers) != 1: // the installation admin chooses one
		d.Error = "lookup_no_employer"
	}
	if d.Error != "" { // the form again, with what to do
		s.renderLookup(c, http.StatusOK, d)
		return
	}
	done, allowed := s.limiter.begin("lookup " + u.Name)
	if !allowed {
		slog.Warn("pseudonym lookup refused: too many", "user", u.Name)
		s.renderLookup(c, http.StatusTooManyRequests, lookupData{Error: "lookup_too_many"})
		return
	}
	done(true) // every lookup spends the budget
	e := v.scope.employers[0]
	pseudonym, err := s.store.EmployerPseudonym(c.Request.Context(), e.ID, d.Number)
	if err != nil {
		s.serverError(c, err)
		return
	}
	slog.Info("pseudonym looked up", "user", u.Name, "role", string(u.Access()), "employer", e.Name, "client", c.ClientIP())
	d.Pseudonym = pseudonym
	res, err := widgets.Tracks.Get(answer(c.Request.Context()), s.deps(c), widgetView(c, v))
	if err != nil {
		s.serverError(c, err)
		return
	}
	d.Open = slices.ContainsFunc(res.Open, func(t analytics.Track) bool { return t.EmployeeID == pseudonym })
	s.renderLookup(c, http.StatusOK, d)
}
