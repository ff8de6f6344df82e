package dashboard

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/verzuim/absence/ingest/inbox"
	"github.com/verzuim/absence/ingest/storage"
)

// The inbox's work shows on the dashboard: the history and inbox status in
// the API, the counts in /metrics, a failure posted to the webhook.
func TestInboxHistoryMetricsAndWebhook(t *testing.T) {
	site := newTestSiteSized(t, 200)
	var mu sync.Mutex
	var posted []map[string]any
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		mu.Lock()
		posted = append(posted, body)
		mu.Unlock()
	}))
	defer hook.Close()

	dir := t.TempDir()
	night := time.Date(2026, 6, 30, 2, 0, 0, 0, time.UTC)
	for name, content := range map[string]string{
		"a-header-only.csv": "employee_id,first_sick_day,milestone,done_date\n",
		"b-bad.csv":         "",
	} {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(content), 0o644)
		os.Chtimes(path, night, night)
	}
	in, err := inbox.New(site.server.importer, inbox.Options{Dir: dir, StableFor: time.Millisecond, Notify: inbox.Webhook(hook.URL)})
	if err != nil {
		t.Fatal(err)
	}
	site.server.cfg.Inbox = in
	if _, err := in.Run(context.Background()); err != nil {
		t.Fatal(err)
	}

	get := func(path, user string) (int, string) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if user != "" {
			req.AddCookie(sessionCookieFor(t, site, user))
		}
		rec := httptest.NewRecorder()
		site.server.Handler().ServeHTTP(rec, req)
		body, _ := io.ReadAll(rec.Body)
		return rec.Code, string(body)
	}
	code, body := get("/api/v1/imports", "admin")
	var resp struct {
		Data struct {
			History []storage.ImportRecord
			Inbox   inbox.Status
		}
	}
	if err := json.Unmarshal([]byte(body), &resp); code != 200 || err != nil {
		t.Fatalf("%d %v %s", code, err, body)
	}
	if len(resp.Data.Inbox.Events) != 2 || resp.Data.History[0].Status != "failed" {
		t.Errorf("inbox events %+v, newest history row %+v", resp.Data.Inbox.Events, resp.Data.History[0])
	}
	if code, _ := get("/api/v1/imports", "hr"); code != http.StatusForbidden {
		t.Errorf("HR reached the import history: %d", code)
	}
	code, page := get("/imports", "admin")
	if code != 200 || !strings.Contains(page, "b-bad.csv") || !strings.Contains(page, `id="inbox"`) {
		t.Errorf("imports page %d lacks the inbox", code)
	}
	code, metrics := get("/metrics", "")
	for _, want := range []string{`absence_imports_total{status="failed"} 2`, "absence_inbox_last_run_timestamp_seconds", `absence_http_request_duration_seconds_count{route="/api/v1/imports",status="2xx"} 1`} {
		if code != 200 || !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if code, _ := get("/healthz", ""); code != 200 {
		t.Errorf("/healthz %d", code)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(posted) != 2 || !strings.Contains(posted[0]["text"].(string), "failed") {
		t.Errorf("webhook got %v", posted)
	}
}

// Every table can be downloaded as CSV, with suppressed groups empty and
// flagged, and a manager cannot download another unit's table.
func TestCSVDownloads(t *testing.T) {
	site := newTestSiteSized(t, 300)
	get := func(path, user string) (int, string) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(sessionCookieFor(t, site, user))
		rec := httptest.NewRecorder()
		site.server.Handler().ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	code, body := get("/breakdown.csv?by=team", "hr")
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(body, "\uFEFF")), "\n") // the Dutch CSV: a BOM, ';'
	if code != 200 || !strings.HasPrefix(lines[0], "group;parent;suppressed;employees;avg_headcount;fte;zvp_pct") || !strings.HasPrefix(lines[1], "total;") {
		t.Fatalf("%d %q", code, lines[:min(2, len(lines))])
	}
	suppressed := 0
	for _, l := range lines[1:] {
		f := strings.Split(l, ";")
		if f[2] == "true" {
			suppressed++
			if f[3] != "" || f[4] != "" {
				t.Errorf("a suppressed row has figures: %s", l)
			}
		}
	}
	if suppressed == 0 {
		t.Error("no suppressed team in a 300-person organisation; the test proves nothing")
	}
	if code, _ := get("/breakdown.csv?dept="+url.QueryEscape(site.depts[1]), "manager"); code != http.StatusForbidden {
		t.Errorf("manager downloaded another unit: %d", code)
	}
	if code, body := get("/absentees.csv", "hr"); code != 200 || !strings.HasPrefix(body, "\uFEFFemployee_pseudonym;new_cases;spells;sick_days;bradford") {
		t.Errorf("absentees.csv: %d %.80q", code, body)
	}
	if code, _ := get("/absentees.csv", "manager"); code != http.StatusForbidden {
		t.Errorf("a manager downloaded the absentees: %d", code)
	}
}

// Every figure a page shows is in the API, behind the same roles.
func TestAPIEndpointsAndRoles(t *testing.T) {
	site := newTestSiteSized(t, 400)
	tests := []struct {
		path    string
		allowed []string
		field   string // a field name the JSON must carry
	}{
		{"/api/v1/kpis", []string{"admin", "hr", "manager"}, `"zvp_pct"`},
		{"/api/v1/breakdown?by=department", []string{"admin", "hr", "manager"}, `"suppressed"`},
		{"/api/v1/series", []string{"admin", "hr", "manager"}, `"Points"`},
		{"/api/v1/survival", []string{"admin", "hr", "manager"}, `"n_risk"`},
		{"/api/v1/outcomes?by=department", []string{"admin", "hr", "manager"}, `"cumulative_incidence"`},
		{"/api/v1/frequent-to-long", []string{"admin", "hr"}, `"cumulative_incidence"`},
		{"/api/v1/progression", []string{"admin", "hr", "manager"}, `"still_absent"`},
		{"/api/v1/tracks", []string{"admin", "hr"}, `"open_tracks"`},
		{"/api/v1/absentees", []string{"admin", "hr"}, `"Employees"`},
		{"/api/v1/interventions", []string{"admin", "hr", "provider"}, `"relapse"`},
		{"/api/v1/landmark", []string{"admin", "hr", "provider"}, `"comparisons"`},
		{"/api/v1/imports", []string{"admin"}, `"history"`},
	}
	for _, tt := range tests {
		for _, user := range []string{"admin", "hr", "manager", "provider"} {
			req := httptest.NewRequest(http.MethodGet, tt.path, nil)
			req.AddCookie(sessionCookieFor(t, site, user))
			rec := httptest.NewRecorder()
			site.server.Handler().ServeHTTP(rec, req)
			allowed := slices.Contains(tt.allowed, user)
			switch {
			case allowed && (rec.Code != 200 || !strings.Contains(rec.Body.String(), tt.field)):
				t.Errorf("%s as %s: %d, body lacks %s: %.200s", tt.path, user, rec.Code, tt.field, rec.Body.String())
			case !allowed && rec.Code != http.StatusForbidden:
				t.Errorf("%s as %s: %d, want 403", tt.path, user, rec.Code)
			}
		}
	}
	// What the client asked wrongly is a 400 with the reason.
	for path, want := range map[string]string{
		"/api/v1/outcomes?by=shoe-size":              "Unknown breakdown",
		"/api/v1/frequent-to-long?at=31-12-2025":     "write a date like 2024-12-31",
		"/api/v1/frequent-to-long?at=2026-06-01":     "42 days before the data date",
		"/api/v1/frequent-to-long?at=2024-06-30&x=1": `"group":"frequent"`,
	} {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(sessionCookieFor(t, site, "hr"))
		rec := httptest.NewRecorder()
		site.server.Handler().ServeHTTP(rec, req)
		if !strings.Contains(rec.Body.String(), want) || (rec.Code == 200) != strings.HasPrefix(want, `"`) {
			t.Errorf("%s: %d %.200s, want %q", path, rec.Code, rec.Body.String(), want)
		}
	}
	req := httptest.NewRequest(http.MethodGet, "/api/v1/kpis", nil)
	rec := httptest.NewRecorder()
	site.server.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("without a session: %d, want 401", rec.Code)
	}
}

// The overview compares the absence rate with the national rate and, when
// configured, the organisation's sector.
func TestOverviewShowsNationalAndSectorBenchmarks(t *testing.T) {
	site := newTestSiteSized(t, 300)
	site.server.cfg.Sector = "zorg"
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(sessionCookieFor(t, site, "hr"))
	rec := httptest.NewRecorder()
	site.server.Handler().ServeHTTP(rec, req)
	body := rec.Body.String()
	for _, want := range []string{"Landelijk (CBS), jaar 2023: 5,3%", "Zorg en welzijn"} {
		if !strings.Contains(body, want) {
			t.Errorf("overview lacks %q", want)
		}
	}
}

// The vangnet tile, the benchmarks, empty JSON lists and the Poortwachter
// steps, on one generated organisation.
func TestPagesShowVangnetBenchmarksAndMilestones(t *testing.T) {
	site := newTestSiteSized(t, 300)
	site.server.cfg.Sector = "zorg"
	get := func(t *testing.T, path string) string {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(sessionCookieFor(t, site, "hr"))
		rec := httptest.NewRecorder()
		site.server.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, rec.Code)
		}
		return rec.Body.String()
	}

	// Finding 10: the benchmark beside a figure covers the same kind of
	// period: a quarter the same quarter (the flu peak of Q1 with a Q1
	// figure), anything of a year or longer an annual figure; the tile
	// names which.
	t.Run("benchmarks compare like with like", func(t *testing.T) {
		// The 12 months up to the extract date (30 June 2026): annual
		// figures, never the 2025-Q1 zorg figure (8,1%) of the flu season.
		year := get(t, "/")
		for _, want := range []string{"Landelijk (CBS), jaar 2023: 5,3%", "Zorg en welzijn, jaar 2020: 6,4%"} {
			if !strings.Contains(year, want) {
				t.Errorf("12-month overview lacks %q", want)
			}
		}
		if strings.Contains(year, "8,1%") {
			t.Error("12-month overview compares with a quarterly figure")
		}
		q1 := get(t, "/?from=2025-01-01&to=2025-03-31")
		for _, want := range []string{"Landelijk (CBS), Q1 2025: 5,8%", "Zorg en welzijn, Q1 2025: 8,1%"} {
			if !strings.Contains(q1, want) {
				t.Errorf("Q1 overview lacks %q", want)
			}
		}
	})

	// Finding 10: the JSON API writes an empty list as [], never null:
	// here the frequent absentees of a year before any data.
	t.Run("API lists are never null", func(t *testing.T) {
		if body := get(t, "/api/v1/absentees?from=2019-01-01&to=2019-12-31"); !strings.Contains(body, `"Employees":[]`) {
			t.Errorf("absentees: %s", body)
		}
	})

	// Finding 8: the generated milestone dates fill the on-time table; the
	// new steps have their names.
	t.Run("Poortwachter shows compliance and the new steps", func(t *testing.T) {
		body := get(t, "/poortwachter")
		for _, want := range []string{`id="compliance"`, "Ziekmelding arbodienst", "Evaluatie plan van aanpak"} {
			if !strings.Contains(body, want) {
				t.Errorf("Poortwachter page lacks %q", want)
			}
		}
	})

	// The vangnet figure is on the overview with its definition on hover
	// in the user's language, and in the JSON API under its report name.
	t.Run("vangnet tile and API", func(t *testing.T) {
		if body := get(t, "/"); !strings.Contains(body, `id="tile-vangnet_zvp_pct" title="Het deel van het verzuimpercentage waarvoor de Ziektewet betaalt`) {
			t.Error("Dutch overview lacks the vangnet tile with its Dutch definition")
		}
		if err := site.server.accounts.SetLang("hr", "en"); err != nil {
			t.Fatal(err)
		}
		defer site.server.accounts.SetLang("hr", "nl")
		if body := get(t, "/"); !strings.Contains(body, `id="tile-vangnet_zvp_pct" title="The part of the absence rate the Ziektewet`) {
			t.Error("English overview lacks the vangnet tile with its English definition")
		}
		api := get(t, "/api/v1/kpis")
		for _, key := range []string{`"vangnet_zvp_pct":`, `"vangnet_share_pct":`, `"vangnet_cases":`} {
			if !strings.Contains(api, key) {
				t.Errorf("API lacks %s", key)
			}
		}
	})
}
