package dashboard

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// showPoortwachter answers "which cases need action this month": the legal
// tracks (cases chained by gaps under four weeks), the milestones due in the
// coming weeks, those overdue, and — with milestone dates imported — how
// often each milestone was met on time. Personal (pseudonymised) data: admin
// and HR only.
func (s *Server) showPoortwachter(c *gin.Context) {
	v, ok := s.viewOf(c)
	if !ok {
		return
	}
	tracks, err := s.tracks(c, v)
	if err != nil {
		s.serverError(c, err)
		return
	}
	p, err := s.viewPage(c, "poortwachter", v)
	if err != nil {
		s.serverError(c, err)
		return
	}
	p.Data = tracks
	s.render(c, http.StatusOK, p)
}
