package dashboard

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
)

// Issue 14, item 7, on the page: the progression reaches 104 weeks with a
// share at every milestone, the cohort heatmap names its axes, and a
// median whose interval collapses to one value is shown once.
func durationsChartsReadRight(t *testing.T, site *testSite) {
	req := httptest.NewRequest(http.MethodGet, "/durations", nil)
	req.AddCookie(sessionCookieFor(t, site, "hr"))
	rec := httptest.NewRecorder()
	site.server.Handler().ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Body)
	page := string(body)
	spec := func(id string) map[string]any {
		m := regexp.MustCompile(`<script type="application/json" data-chart="` + id + `">(.*?)</script>`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no chart %s on the page", id)
		}
		var s struct{ Option map[string]any }
		if err := json.Unmarshal([]byte(m[1]), &s); err != nil {
			t.Fatal(err)
		}
		return s.Option
	}
	p := spec("progressionMilestones")
	labels := p["xAxis"].([]any)[0].(map[string]any)["data"].([]any)
	data := p["series"].([]any)[0].(map[string]any)["data"].([]any)
	if len(labels) != 5 || labels[4] != "104 weken" {
		t.Fatalf("progression milestones %v; want 7 dagen to 104 weken", labels)
	}
	for i, d := range data {
		if _, ok := d.(map[string]any)["value"].(float64); !ok {
			t.Errorf("progression at %s: %v; want a share", labels[i], d)
		}
	}
	if y := p["yAxis"].([]any)[0].(map[string]any); y["max"] != 100.0 {
		t.Errorf("progression scale up to %v; want 100%%", y["max"])
	}
	g := spec("cohortGrid")
	for _, axis := range []string{"xAxis", "yAxis"} {
		if name, _ := g[axis].([]any)[0].(map[string]any)["name"].(string); name == "" {
			t.Errorf("cohort heatmap: %s without a title", axis)
		}
	}
	median := regexp.MustCompile(`mediane duur: (\S+) dagen( \(95%-interval (\S+) – (\S+)\))?`).FindStringSubmatch(page)
	if median == nil {
		t.Fatal("no median on the page")
	}
	if median[2] != "" && median[3] == median[4] {
		t.Errorf("the median reads %q: an interval of one value", median[0])
	}
}
