package dashboard

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/dashboard/widgets"
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
		imported[e.Name] = widgets.DateTime("nl", e.LastImport)
	}
	// Both are imported within the same minute, mostly: the extract dates
	// tell the scopes apart.
	line := regexp.MustCompile(`<p class="freshness" id="freshness">([^<]*)</p>`)
	own := "gegevens t/m 30-06-2026 · laatste import " + imported[storage.DefaultEmployer]
	client := "gegevens t/m " + widgets.Date("nl", extractB) + " · laatste import " + imported["Klant B"]
	latest := "gegevens t/m 30-06-2026 · laatste import " + imported["Klant B"]
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
	if !strings.Contains(history, "<th>Gegevens t/m</th>") || !strings.Contains(history, "<td>30-06-2026</td>") || !strings.Contains(history, "<td>"+widgets.Date("nl", extractB)+"</td>") {
		t.Errorf("the import history has no extract date column:\n%.1500s", history)
	}
}

// Follow-up of issue 14: the freshness line writes its dates as the pages
// do, in the page's language (30-06-2026 in Dutch, 30 Jun 2026 in
// English), not as yyyy-mm-dd.
func TestFreshnessWritesDatesAsThePages(t *testing.T) {
	extract := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	imported := time.Date(2026, 7, 1, 8, 15, 0, 0, time.UTC)
	for _, tc := range []struct{ lang, want string }{
		{"nl", "gegevens t/m 30-06-2026 · laatste import 01-07-2026 08:15"},
		{"en", "data up to 30 Jun 2026 · last import 1 Jul 2026 08:15"},
	} {
		p := page{Lang: tc.lang, Fresh: &freshness{Extract: extract, LastImport: imported}}
		if got := p.Freshness(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.lang, got, tc.want)
		}
	}
}
