package dashboard

import (
	"io/fs"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/dashboard/widgets"
)

// routes lists every route in one place. Who may use a route is decided on
// the server, for pages and API alike, by the table of pages (pages.go).
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

	for i := range pages {
		e := &pages[i]
		if e.widgets != nil {
			authed.GET(e.path, allow(e.roles...), s.checkCSRF(), s.showPage(e))
		}
	}
	// The evidence card of an intervention type, and its PDF and XLSX
	// (TYPE.pdf, TYPE.xlsx): the figures of the Interventies page.
	authed.GET("/interventions/card/:type", allow(rolesOf("/interventions")...), s.checkCSRF(), s.showCard)
	authed.GET("/breakdown.csv", allow(rolesOf("/breakdown")...), s.checkCSRF(), s.downloadBreakdown)
	authed.GET("/absentees.csv", allow(rolesOf("/absentees")...), s.checkCSRF(), s.downloadAbsentees)

	admins := authed.Group("/", allow(rolesOf("/imports")...), s.checkCSRF())
	admins.GET("/imports", s.showImports)
	admins.POST("/imports/preview", s.writerOnly, s.previewUpload)
	admins.POST("/imports/commit", s.writerOnly, s.commitUpload)
	admins.GET("/imports/:id/rejects.csv", s.downloadRejects)
	admins.GET("/imports/:id/undo", s.writerOnly, s.confirmUndo)
	admins.POST("/imports/:id/undo", s.writerOnly, s.undoImport)

	// The API serves the figures of a page to those who may open it.
	api := authed.Group("/api/v1")
	api.GET("/kpis", allow(rolesOf("/")...), s.api(s.apiKPIs))
	api.GET("/breakdown", allow(rolesOf("/breakdown")...), s.api(s.apiBreakdown))
	api.GET("/series", allow(rolesOf("/trends")...), s.api(apiFigure(s, widgets.Series.Get)))
	api.GET("/survival", allow(rolesOf("/durations")...), s.api(apiFigure(s, widgets.Survival.Get)))
	api.GET("/outcomes", allow(rolesOf("/durations")...), s.api(s.apiOutcomes))
	api.GET("/progression", allow(rolesOf("/durations")...), s.api(apiFigure(s, widgets.Progression.Get)))
	api.GET("/tracks", allow(rolesOf("/poortwachter")...), s.api(apiFigure(s, widgets.Tracks.Get)))
	api.GET("/absentees", allow(rolesOf("/absentees")...), s.api(apiFigure(s, widgets.Absentees.Get)))
	api.GET("/frequent-to-long", allow(rolesOf("/absentees")...), s.api(s.apiFrequentToLong))
	api.GET("/interventions", allow(rolesOf("/interventions")...), s.api(apiFigure(s, threeYears(widgets.Interventions.Get))))
	api.GET("/landmark", allow(rolesOf("/interventions")...), s.api(apiFigure(s, threeYears(widgets.Landmark.Get))))
	api.GET("/adjusted", allow(rolesOf("/interventions")...), s.api(apiFigure(s, threeYears(widgets.Adjusted.Get))))
	api.GET("/intervention-cost", allow(rolesOf("/interventions")...), s.api(apiFigure(s, threeYears(widgets.InterventionCost))))
	api.GET("/dose", allow(rolesOf("/interventions")...), s.api(apiFigure(s, threeYears(widgets.Dose.Get))))
	// Every report kind, the personal lists included: for those who may
	// see all of them.
	api.GET("/report/:kind", allow(rolesOf("/poortwachter")...), s.api(s.apiReport))
	api.GET("/imports", allow(rolesOf("/imports")...), s.api(s.apiImports))
	api.POST("/imports", allow(rolesOf("/imports")...), s.checkCSRF(), s.writerOnly, s.apiImport)
	api.POST("/imports/:id/undo", allow(rolesOf("/imports")...), s.checkCSRF(), s.writerOnly, s.apiUndo)
}
