package dashboard

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// The terminal of `absence serve` shows what needs attention: a request
// that went well is logged at debug level (ABSENCE_LOG=debug), a server
// error always.
func TestRequestLogQuietUnlessError(t *testing.T) {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo})))
	t.Cleanup(func() { slog.SetDefault(old) })
	r := gin.New()
	r.Use(requestLog())
	r.GET("/ok", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	r.GET("/missing", func(c *gin.Context) { c.String(http.StatusNotFound, "nee") })
	r.GET("/broken", func(c *gin.Context) { c.String(http.StatusInternalServerError, "kapot") })
	for _, path := range []string{"/ok", "/missing", "/broken"} {
		r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
	}
	out := buf.String()
	if strings.Contains(out, "path=/ok") || strings.Contains(out, "path=/missing") {
		t.Errorf("requests that went well or were refused are logged at info level:\n%s", out)
	}
	if !strings.Contains(out, "path=/broken") || !strings.Contains(out, "level=ERROR") {
		t.Errorf("a server error is not logged as an error:\n%s", out)
	}
}
