package dashboard

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics/alerts"
	"github.com/verzuim/absence/ingest/storage"
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

// alertWords is an alert's title and text as the page shows it.
type alertWords struct{ Title, Body string }

// AlertWords says alert a in the page's language from what it said; an
// alert sent before its facts were kept in the Dutch it was sent in.
func (p page) AlertWords(a storage.Alert) alertWords {
	if a.Facts == "" {
		return alertWords{a.Title, a.Body}
	}
	ev := alerts.Event{Rule: alerts.Rule(a.Rule)}
	if err := json.Unmarshal([]byte(a.Facts), &ev.Facts); err != nil {
		slog.Error("an alert's facts", "key", a.Key, "error", err)
		return alertWords{a.Title, a.Body}
	}
	title, body := ev.In(p.Lang)
	return alertWords{title, body}
}
