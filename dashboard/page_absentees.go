package dashboard

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// showAbsentees lists frequent absentees by pseudonym, for HR's case
// management ("frequent verzuimgesprek"). It is personal data: only admin
// and HR reach it (routes.go), and it carries no names and no diagnoses.
func (s *Server) showAbsentees(c *gin.Context) {
	v, ok := s.viewOf(c)
	if !ok {
		return
	}
	list, err := s.absentees(c, v)
	if err != nil {
		s.serverError(c, err)
		return
	}
	p, err := s.viewPage(c, "absentees", v)
	if err != nil {
		s.serverError(c, err)
		return
	}
	p.Data = list
	s.render(c, http.StatusOK, p)
}
