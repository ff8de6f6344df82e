package dashboard

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// A new installation, before its first import: every page in the menu, its
// downloads and the API answer with their empty state, never with an
// error about dates nobody chose.
func TestEveryPageBeforeTheFirstImport(t *testing.T) {
	site := newTestSiteSized(t, 0)
	code, home := getAs(t, site, "admin", "/")
	if code != http.StatusOK {
		t.Fatalf("/ on an empty database: %d: %.300s", code, home)
	}
	nav, _, _ := strings.Cut(home[strings.Index(home, "<nav>"):], "</nav>")
	var paths []string
	for _, m := range regexp.MustCompile(`href="(/[^"?#]*)"`).FindAllStringSubmatch(nav, -1) {
		paths = append(paths, m[1])
	}
	if len(paths) < 8 {
		t.Fatalf("only %d pages in the menu: %q", len(paths), paths)
	}
	paths = append(paths, "/breakdown.csv", "/absentees.csv",
		"/api/v1/kpis", "/api/v1/breakdown", "/api/v1/series", "/api/v1/survival", "/api/v1/progression", "/api/v1/tracks",
		"/api/v1/absentees", "/api/v1/frequent-to-long", "/api/v1/interventions", "/api/v1/landmark")
	for _, path := range paths {
		if path == "/logout" {
			continue
		}
		code, body := getAs(t, site, "admin", path)
		if code != http.StatusOK {
			t.Errorf("%s on an empty database: %d: %.300s", path, code, body)
		}
		if strings.HasPrefix(path, "/api/") || strings.HasSuffix(path, ".csv") {
			continue
		}
		if !strings.Contains(body, "nog geen gegevens") {
			t.Errorf("%s on an empty database does not say there are no data yet: %.300s", path, body)
		}
		if strings.Contains(body, "0001") { // a date made from no date
			t.Errorf("%s on an empty database shows the year 1: %.300s", path, body[max(0, strings.Index(body, "0001")-150):])
		}
	}
}
