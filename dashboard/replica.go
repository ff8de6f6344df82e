package dashboard

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// writerOnly answers a change asked of a replica (an upload, an import, an
// undo) with 409 and where to make it: a replica serves the writer's
// publications and never writes.
func (s *Server) writerOnly(c *gin.Context) {
	if !s.store.IsReplica() {
		c.Next()
		return
	}
	slog.Info("a change was asked of a read-only replica", "method", c.Request.Method, "path", c.Request.URL.Path)
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		c.AbortWithStatusJSON(http.StatusConflict, apiError{Status: "error", ErrorType: "read_only_replica", Error: translate("en", "read_only_replica")})
		return
	}
	p := s.newPage(c, "error")
	p.Query = ""
	p.Error = translate(p.Lang, "read_only_replica")
	c.Abort()
	s.render(c, http.StatusConflict, p)
}
