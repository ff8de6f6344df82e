package dashboard

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// The menu shows exactly the pages a role may open, every other page, its
// download and its API answer 403, and the table of pages says what the
// README promises of the roles.
func TestMenuAndRoutesFollowTheTableOfPages(t *testing.T) {
	site := newTestSiteSized(t, 200)
	want := map[string][]string{ // user (named after their role) → the menu
		"admin":    {"/", "/trends", "/breakdown", "/durations", "/poortwachter", "/absentees", "/interventions", "/clients", "/benchmark", "/client-interventions", "/alerts", "/imports"},
		"hr":       {"/", "/trends", "/breakdown", "/durations", "/poortwachter", "/absentees", "/interventions", "/alerts"},
		"manager":  {"/", "/trends", "/breakdown", "/durations"},
		"provider": {"/interventions", "/clients", "/benchmark", "/client-interventions"},
	}
	// Downloads and API routes read the figures of a page.
	figuresOf := map[string]string{
		"/breakdown.csv": "/breakdown", "/absentees.csv": "/absentees", "/breakdown.xlsx": "/breakdown", "/absentees.xlsx": "/absentees",
		// The pack has the roles of the personal pages (packRoles).
		"/poortwachter/worklist.csv": "/poortwachter", "/poortwachter/worklist.xlsx": "/poortwachter", "/print/pack.xlsx": "/poortwachter",
		"/durations/survival.csv": "/durations", "/durations/survival.xlsx": "/durations",
		"/interventions/landmark.csv": "/interventions", "/interventions/landmark.xlsx": "/interventions",
		"/interventions/providers.csv": "/interventions", "/interventions/providers.xlsx": "/interventions",
		"/api/v1/kpis": "/", "/api/v1/series": "/trends", "/api/v1/breakdown": "/breakdown",
		"/api/v1/survival": "/durations", "/api/v1/progression": "/durations", "/api/v1/outcomes": "/durations",
		"/api/v1/tracks": "/poortwachter", "/api/v1/absentees": "/absentees", "/api/v1/frequent-to-long": "/absentees",
		"/api/v1/interventions": "/interventions", "/api/v1/landmark": "/interventions", "/api/v1/adjusted": "/interventions",
		"/api/v1/intervention-cost": "/interventions", "/api/v1/dose": "/interventions",
		"/interventions/card/intervention_talk": "/interventions", "/interventions/card/mediation.xlsx": "/interventions", "/api/v1/imports": "/imports",
		"/api/v1/report/survival": "/poortwachter", // every report kind, the personal lists included
	}
	nav := regexp.MustCompile(`(?s)<nav>(.*?)</nav>`)
	href := regexp.MustCompile(`href="([^"?]*)`)
	for user, menu := range want {
		code, body := getAs(t, site, user, menu[0])
		if code != http.StatusOK {
			t.Fatalf("%s: %s answers %d", user, menu[0], code)
		}
		var shown []string
		for _, m := range href.FindAllStringSubmatch(nav.FindStringSubmatch(body)[1], -1) {
			shown = append(shown, m[1])
		}
		if !slices.Equal(shown, menu) {
			t.Errorf("%s: menu %v, want %v", user, shown, menu)
		}
		for _, e := range pages {
			code, _ := getAs(t, site, user, e.path)
			if may := slices.Contains(menu, e.path); may != (code == http.StatusOK) || !may && code != http.StatusForbidden {
				t.Errorf("%s: %s answers %d, in the menu: %v", user, e.path, code, may)
			}
		}
		for path, page := range figuresOf {
			target := path
			if strings.HasPrefix(path, "/print/pack") {
				target += "?month=2026-05" // a pack is of a month
			}
			code, _ := getAs(t, site, user, target)
			if may := slices.Contains(menu, page); may != (code == http.StatusOK) || !may && code != http.StatusForbidden {
				t.Errorf("%s: %s answers %d; the page %s is in the menu: %v", user, path, code, page, may)
			}
		}
	}
	// Every GET route of figures is in this test.
	for _, r := range site.server.Handler().(*gin.Engine).Routes() {
		figures := strings.HasPrefix(r.Path, "/api/v1/") || (strings.HasSuffix(r.Path, ".csv") || strings.HasSuffix(r.Path, ".xlsx")) && !strings.Contains(r.Path, ":id")
		if _, ok := figuresOf[strings.Replace(r.Path, ":kind", "survival", 1)]; r.Method == http.MethodGet && figures && !ok {
			t.Errorf("route %s is not in this test", r.Path)
		}
	}
}
