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
	// Every download as CSV (for scripts) and XLSX (for Excel): exports.go.
	for _, ext := range []string{".csv", ".xlsx"} {
		authed.GET("/breakdown"+ext, allow(rolesOf("/breakdown")...), s.checkCSRF(), s.download(s.breakdownExport))
		authed.GET("/absentees"+ext, allow(rolesOf("/absentees")...), s.checkCSRF(), s.download(s.absenteesExport))
		authed.GET("/durations/survival"+ext, allow(rolesOf("/durations")...), s.checkCSRF(), s.download(s.survivalExport))
		authed.GET("/interventions/landmark"+ext, allow(rolesOf("/interventions")...), s.checkCSRF(), s.download(s.landmarkExport))
		authed.GET("/interventions/providers"+ext, allow(rolesOf("/interventions")...), s.checkCSRF(), s.download(s.interventionsExport))
	}
	for _, ext := range []string{".csv", ".xlsx"} {
		authed.GET("/poortwachter/worklist"+ext, allow(rolesOf("/poortwachter")...), s.checkCSRF(), s.download(s.worklistExport))
	}
	authed.GET("/poortwachter/lookup", allow(rolesOf("/poortwachter")...), s.checkCSRF(), s.showLookup)
	authed.POST("/poortwachter/lookup", allow(rolesOf("/poortwachter")...), s.checkCSRF(), s.lookup)
	authed.GET("/alerts", allow(rolesOf("/alerts")...), s.checkCSRF(), s.showAlerts)
	authed.GET("/print/pack", allow(packRoles...), s.checkCSRF(), s.showPack)
	authed.GET("/print/pack.xlsx", allow(packRoles...), s.checkCSRF(), s.downloadPack)

	admins := authed.Group("/", allow(rolesOf("/imports")...), s.checkCSRF(), s.importsScope)
	admins.GET("/imports", s.showImports)
	admins.POST("/imports/preview", s.writerOnly, s.previewUpload)
	admins.POST("/imports/commit", s.writerOnly, s.commitUpload)
	admins.GET("/imports/:id/rejects.csv", s.download(s.rejectsExport))
	admins.GET("/imports/:id/rejects.xlsx", s.download(s.rejectsExport))
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
	api.GET("/imports", allow(rolesOf("/imports")...), s.importsScope, s.api(s.apiImports))
	api.POST("/imports", allow(rolesOf("/imports")...), s.checkCSRF(), s.writerOnly, s.importsScope, s.apiImport)
	api.POST("/imports/:id/undo", allow(rolesOf("/imports")...), s.checkCSRF(), s.writerOnly, s.importsScope, s.apiUndo)
}
