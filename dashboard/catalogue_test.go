package dashboard

import (
	"encoding/csv"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/verzuim/absence/analytics"
)

// TestOutputsUseTheCatalogueNames: the API, the breakdown download and the
// overview tiles name every figure as the catalogue does (issue 11: the
// download wrote zvp_pct_ci95_low, the report zvp_ci95_low), and each tile
// shows the catalogue's label and definition in the user's language.
func TestOutputsUseTheCatalogueNames(t *testing.T) {
	site := newTestSiteSized(t, 300)
	get := func(path string) string {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(sessionCookieFor(t, site, "hr"))
		rec := httptest.NewRecorder()
		site.server.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
		}
		return rec.Body.String()
	}

	var api struct{ Data map[string]any }
	if err := json.Unmarshal([]byte(get("/api/v1/kpis")), &api); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range analytics.FiguresShown(analytics.InGroup) {
		want = append(want, f.Key)
		if f.HasInterval() {
			want = append(want, f.Key+"_ci95")
		}
	}
	var got, allowed []string
	for k, v := range api.Data {
		if k == "group" || k == "parent" || k == "suppressed" {
			continue
		}
		got = append(got, k)
		switch {
		case k == "duration_classes":
			for label := range v.(map[string]any) {
				allowed = append(allowed, "cases_"+label, "zvp_pct_"+label)
			}
		case strings.HasSuffix(k, "_ci95"):
			allowed = append(allowed, k+"_low", k+"_high")
		default:
			allowed = append(allowed, k)
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("API fields %v\ncatalogue %v", got, want)
	}

	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(get("/breakdown.csv?by=department"), "\uFEFF")))
	r.Comma = ';' // the Dutch CSV
	rows, err := r.ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("breakdown.csv: %v %v", rows, err)
	}
	header := rows[0][3:]
	for _, name := range header {
		if !slices.Contains(allowed, name) {
			t.Errorf("download column %s is not an API name", name)
		}
	}
	for _, f := range analytics.FiguresShown(analytics.InTable) {
		if f.Kind != analytics.KindClasses && f.Show&analytics.IfSet == 0 && !slices.Contains(header, f.Key) {
			t.Errorf("download lacks %s", f.Key)
		}
	}

	page := get("/")
	tiles := regexp.MustCompile(`id="tile-([a-z0-9_]+)" title="([^"]*)">\s*<div class="label">([^<]*)<`).FindAllStringSubmatch(page, -1)
	// The site has no wage cost configured, so no cost tile (IfSet).
	overview := slices.DeleteFunc(analytics.FiguresShown(analytics.OnOverview), func(f analytics.Figure) bool { return f.Show&analytics.IfSet != 0 })
	if len(tiles) != len(overview) {
		t.Fatalf("%d tiles, the catalogue has %d overview figures", len(tiles), len(overview))
	}
	for i, f := range overview {
		d, _ := analytics.DefinitionOf(f.Key)
		nl := d.In("nl")
		title := html.UnescapeString(tiles[i][2])
		defined := strings.HasPrefix(title, nl.Formula)
		if nl.Summary != "" {
			defined = title == nl.Summary
		}
		if tiles[i][1] != f.Key || html.UnescapeString(tiles[i][3]) != nl.Label || !defined {
			t.Errorf("tile %d: %s %q %q, want %s %q with its Dutch definition", i, tiles[i][1], tiles[i][3], title, f.Key, nl.Label)
		}
	}
}
