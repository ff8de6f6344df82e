package dashboard

import (
	"context"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics/reports"
)

// apiReport answers GET /api/v1/report/KIND with the report `absence report
// KIND` computes, its parameters named as the command's flags, for
// `absence report --server`: the command formats the JSON with the same
// code as a report against the file. The server's own thresholds apply.
// Reports are for admin and HR, who see the whole organisation.
func (s *Server) apiReport(c *gin.Context) (any, error) {
	kind := c.Param("kind")
	req, err := reports.ParseQuery(kind, c.Request.URL.Query())
	if err != nil {
		return nil, badInput("bad_report", err.Error())
	}
	return figure(c.Request.Context(), s, c, "report_"+kind, req.Query().Encode(), func(ctx context.Context) (any, error) {
		return reports.Compute(ctx, s.store.Reader(), req, req.Options(s.cfg.Analytics))
	})
}
