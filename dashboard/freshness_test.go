package dashboard

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/verzuim/absence/ingest/storage"
)

// Every page says how fresh its figures are, for the employers it shows:
// "gegevens t/m <extract date> · laatste import <when>". An employer's HR
// sees its own dates, a provider those of the client it chose or else the
// latest of its clients; the import history has each import's extract
// date.
func TestEveryPageSaysHowFreshItsDataIs(t *testing.T) {
	site := newTestSiteSized(t, 300)
	extractB := testExtract.AddDate(0, -2, 0)
	addEmployer(t, site, "Klant B", 300, 9, extractB) // imported last
	all, err := site.store.Reader().EmployerSummaries(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	imported := map[string]string{}
	for _, e := range all {
		imported[e.Name] = e.LastImport.Format("2006-01-02 15:04")
	}
	// Both are imported within the same minute, mostly: the extract dates
	// tell the scopes apart.
	line := regexp.MustCompile(`<p class="freshness" id="freshness">([^<]*)</p>`)
	own := "gegevens t/m 2026-06-30 · laatste import " + imported[storage.DefaultEmployer]
	client := "gegevens t/m " + extractB.Format("2006-01-02") + " · laatste import " + imported["Klant B"]
	latest := "gegevens t/m 2026-06-30 · laatste import " + imported["Klant B"]
	check := func(user, path, want string) {
		t.Helper()
		code, body := getAs(t, site, user, path)
		m := line.FindStringSubmatch(body)
		if code != http.StatusOK || m == nil || m[1] != want {
			t.Errorf("%s %s: %d, freshness %q, want %q", user, path, code, m, want)
		}
	}
	for _, e := range pages {
		if slices.Contains(e.roles, RoleHR) {
			check("hr", e.path, own)
		}
		if slices.Contains(e.roles, RoleProvider) {
			check("provider", e.path, latest)
			check("provider", e.path+"?employer=Klant+B", client)
		}
	}
	check("admin", "/imports", latest)

	_, body := getAs(t, site, "admin", "/imports")
	history := body[strings.Index(body, `id="history"`):]
	if !strings.Contains(history, "<th>Gegevens t/m</th>") || !strings.Contains(history, "<td>2026-06-30</td>") || !strings.Contains(history, "<td>"+extractB.Format("2006-01-02")+"</td>") {
		t.Errorf("the import history has no extract date column:\n%.1500s", history)
	}
}
