package dashboard

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
)

type absenteesData struct {
	analytics.AbsenteeList
	// ToLong follows the frequent absentees of a reference date forward;
	// Keep is the rest of the query, for its date form.
	ToLong analytics.FrequentToLongResult
	Keep   url.Values
}

// showAbsentees lists frequent absentees by pseudonym, for HR's case
// management ("frequent verzuimgesprek"). It is personal data: only admin
// and HR reach it (routes.go), and it carries no names and no diagnoses.
// Below the list, in aggregate: do the frequent absentees of a reference
// date ("at") start a long case more often afterwards than the others?
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
	at, err := referenceDate(c)
	if err != nil {
		s.refuse(c, http.StatusBadRequest, err)
		return
	}
	toLong, err := s.frequentToLong(c, v, at)
	if err != nil {
		s.refuse(c, http.StatusBadRequest, err)
		return
	}
	p, err := s.viewPage(c, "absentees", v)
	if err != nil {
		s.serverError(c, err)
		return
	}
	keep := c.Request.URL.Query()
	keep.Del("at")
	p.Data = absenteesData{AbsenteeList: list, ToLong: toLong, Keep: keep}
	s.render(c, http.StatusOK, p)
}
