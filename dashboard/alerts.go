package dashboard

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// shownAlerts is how many of the latest alerts the Alerts page lists.
const shownAlerts = 200

// showAlerts lists the alerts sent about the employers the user sees: an
// employer's HR and admin its own, the installation admin every one and
// the failed imports. The alerts themselves name no person.
func (s *Server) showAlerts(c *gin.Context) {
	v, ok := s.viewOf(c)
	if !ok {
		return
	}
	p, err := s.viewPage(c, "alerts", v)
	if err != nil {
		s.serverError(c, err)
		return
	}
	list, err := s.store.Reader().Alerts(c.Request.Context(), v.scope.ids(), shownAlerts)
	if err != nil {
		s.serverError(c, err)
		return
	}
	p.Data = list
	s.render(c, http.StatusOK, p)
}
