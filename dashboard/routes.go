package dashboard

import (
	"io/fs"
	"net/http"

	"github.com/gin-gonic/gin"
)

// routes lists every route in one place. Who may use a route is decided
// here, on the server, for pages and API alike.
func (s *Server) routes(r *gin.Engine) {
	static, _ := fs.Sub(staticFS, "static")
	r.StaticFS("/static", http.FS(static))
	r.GET("/healthz", s.healthz)
	r.GET("/metrics", s.metrics.handler())
	r.GET("/favicon.ico", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	r.GET("/login", s.showLogin)
	r.POST("/login", s.login)

	// Every POST checks its CSRF token after its role check (checkCSRF reads
	// the body).
	authed := r.Group("/", s.authenticate())
	authed.POST("/logout", s.checkCSRF(), s.logout)
	authed.POST("/lang", s.checkCSRF(), s.switchLanguage)

	analysts := authed.Group("/", allow(RoleAdmin, RoleHR, RoleManager), s.checkCSRF())
	analysts.GET("/", s.showOverview)
	analysts.GET("/trends", s.showTrends)
	analysts.GET("/durations", s.showDurations)
	analysts.GET("/breakdown", s.showBreakdown)
	analysts.GET("/breakdown.csv", s.downloadBreakdown)

	personal := authed.Group("/", allow(RoleAdmin, RoleHR), s.checkCSRF())
	personal.GET("/absentees", s.showAbsentees)
	personal.GET("/absentees.csv", s.downloadAbsentees)
	personal.GET("/poortwachter", s.showPoortwachter)

	outcomes := authed.Group("/", allow(RoleAdmin, RoleHR, RoleProvider), s.checkCSRF())
	outcomes.GET("/interventions", s.showInterventions)

	admins := authed.Group("/", allow(RoleAdmin), s.checkCSRF())
	admins.GET("/imports", s.showImports)
	admins.POST("/imports/preview", s.writerOnly, s.previewUpload)
	admins.POST("/imports/commit", s.writerOnly, s.commitUpload)
	admins.GET("/imports/:id/rejects.csv", s.downloadRejects)
	admins.GET("/imports/:id/undo", s.writerOnly, s.confirmUndo)
	admins.POST("/imports/:id/undo", s.writerOnly, s.undoImport)

	api := authed.Group("/api/v1")
	api.GET("/kpis", allow(RoleAdmin, RoleHR, RoleManager), s.api(s.apiKPIs))
	api.GET("/breakdown", allow(RoleAdmin, RoleHR, RoleManager), s.api(s.apiBreakdown))
	api.GET("/series", allow(RoleAdmin, RoleHR, RoleManager), s.api(s.apiSeries))
	api.GET("/survival", allow(RoleAdmin, RoleHR, RoleManager), s.api(apiFigure(s, nil, s.survival)))
	api.GET("/outcomes", allow(RoleAdmin, RoleHR, RoleManager), s.api(s.apiOutcomes))
	api.GET("/progression", allow(RoleAdmin, RoleHR, RoleManager), s.api(apiFigure(s, nil, s.progression)))
	api.GET("/tracks", allow(RoleAdmin, RoleHR), s.api(apiFigure(s, nil, s.tracks)))
	api.GET("/absentees", allow(RoleAdmin, RoleHR), s.api(apiFigure(s, nil, s.absentees)))
	api.GET("/frequent-to-long", allow(RoleAdmin, RoleHR), s.api(s.apiFrequentToLong))
	api.GET("/interventions", allow(RoleAdmin, RoleHR, RoleProvider), s.api(apiFigure(s, interventionView, s.interventions)))
	api.GET("/landmark", allow(RoleAdmin, RoleHR, RoleProvider), s.api(apiFigure(s, interventionView, s.landmark)))
	api.GET("/report/:kind", allow(RoleAdmin, RoleHR), s.api(s.apiReport))
	api.GET("/imports", allow(RoleAdmin), s.api(s.apiImports))
	api.POST("/imports", allow(RoleAdmin), s.checkCSRF(), s.writerOnly, s.apiImport)
	api.POST("/imports/:id/undo", allow(RoleAdmin), s.checkCSRF(), s.writerOnly, s.apiUndo)
}
