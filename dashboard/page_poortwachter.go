package dashboard

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
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
	version, err := s.dataVersion(c.Request.Context())
	if err != nil {
		s.serverError(c, err)
		return
	}
	tracks, err := cached(s.cache, version, "tracks?"+v.key(), func() (analytics.TracksResult, error) {
		return analytics.Tracks(c.Request.Context(), s.store.DB, v.filter(), analytics.TrackOptions{DeadlineWeeks: 6}, s.cfg.Analytics)
	})
	if err != nil {
		s.serverError(c, err)
		return
	}
	p := s.newPage(c, "poortwachter")
	p.View, p.Query = v, v.query().Encode()
	p.Data = tracks
	s.render(c, http.StatusOK, p)
}
