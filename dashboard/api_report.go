package dashboard

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics/reports"
)

// apiReport answers GET /api/v1/report/KIND with the report `absence report
// KIND` computes, its parameters named as the command's flags, for
// `absence report --server`: the command formats the JSON with the same
// code as a report against the file. The server's own thresholds apply.
// Reports are for admin and HR, who see their whole employer (or, the
// installation admin, ?employer=NAME or every employer).
func (s *Server) apiReport(c *gin.Context) (any, error) {
	kind := c.Param("kind")
	sc, err := s.scopeOf(c, c.MustGet(ctxUser).(User))
	if err != nil {
		return nil, err
	}
	q := c.Request.URL.Query()
	q.Del("employer")                                    // the scope's
	if _, err := parseView(q, time.Time{}); err != nil { // the period, as every page reads it
		return nil, err
	}
	req, err := reports.ParseQuery(kind, q)
	if err != nil {
		return nil, badInput("bad_report", err.Error())
	}
	req.Employers = sc.ids()
	return figure(c.Request.Context(), s, c, "report_"+kind, sc.key()+"&"+req.Query().Encode(), sc.ids(), func(ctx context.Context) (any, error) {
		return reports.Compute(ctx, s.store.Reader(), req, req.Options(s.cfg.Analytics))
	})
}
