package dashboard

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/verzuim/absence/analytics"
)

// Issue 14, item 1: what HR saw on the Poortwachter page — pseudonyms
// without department or team, English statuses, overdue steps not on top,
// an 11,700 px page — and the worklist's downloads.
func worklistPage(t *testing.T, site *testSite) {
	get := func(path string) (int, string) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(sessionCookieFor(t, site, "hr"))
		rec := httptest.NewRecorder()
		site.server.Handler().ServeHTTP(rec, req)
		body, _ := io.ReadAll(rec.Body)
		return rec.Code, string(body)
	}
	code, body := get("/api/v1/tracks")
	var api struct{ Data analytics.TracksResult }
	if err := json.Unmarshal([]byte(body), &api); code != 200 || err != nil {
		t.Fatalf("%d %v", code, err)
	}
	// The longest overdue track: its earliest missing step is the earliest
	// of all.
	var late *analytics.Track
	var lateDue analytics.Date
	for i, tr := range api.Data.Open {
		for _, m := range tr.Milestones {
			if m.Status == analytics.StatusMissing && (late == nil || m.Due.Before(lateDue.Time)) {
				late, lateDue = &api.Data.Open[i], m.Due
			}
		}
	}
	if late == nil {
		t.Fatal("the test site has no overdue track")
	}

	_, page := get("/poortwachter")
	first := regexp.MustCompile(`(?s)<table class="figures" id="worklist">.*?<tbody><tr class="(\w+)"[^>]*><td><code>([^<]+)</code></td><td>([^<]*)</td><td>([^<]*)</td>`).FindStringSubmatch(page)
	if first == nil {
		t.Errorf("no worklist with pseudonym, department and team on the page")
	} else if first[1] != "late" || first[2] != late.EmployeeID || first[3] != late.Department || first[3] == "" || first[4] != late.Team {
		t.Errorf("top row %q; want the longest overdue track %s of %s / %s, flagged late", first[1:], late.EmployeeID, late.Department, late.Team)
	}
	for _, english := range []string{": upcoming", ": unknown", ": missing", ">upcoming<", ">unknown<"} {
		if strings.Contains(page, english) {
			t.Errorf("the Dutch page shows the status %q", english)
		}
	}
	if !strings.Contains(page, ">te laat<") {
		t.Error("no status 'te laat' on the page")
	}
	if len(page) > 150_000 {
		t.Errorf("the page is %d bytes; a page of the list should stay short", len(page))
	}

	// The CSV holds every track of the view, not only the page's.
	code, csv := get("/poortwachter/worklist.csv?view=all")
	lines := strings.Split(strings.TrimRight(csv, "\r\n"), "\n")
	if code != 200 || len(lines) != len(api.Data.Open)+1 || !strings.HasPrefix(strings.TrimPrefix(lines[0], "\ufeff"), "employee_pseudonym") ||
		!strings.Contains(lines[1], late.EmployeeID) || !strings.Contains(lines[1], ",late,") && !strings.Contains(lines[1], ";late;") {
		t.Errorf("worklist.csv: %d, %d lines for %d open tracks; header %q, first %q", code, len(lines), len(api.Data.Open), lines[0], lines[min(1, len(lines)-1)])
	}
	code, csv = get("/poortwachter/worklist.csv?view=week&q=" + strings.ReplaceAll(late.Team, " ", "+"))
	for _, l := range strings.Split(strings.TrimSpace(csv), "\n")[1:] {
		if !strings.Contains(strings.ToLower(l), strings.ToLower(late.Team)) {
			t.Errorf("searching team %q, the CSV lists %q", late.Team, l)
		}
	}
	if code != 200 {
		t.Errorf("worklist.csv with a search: %d", code)
	}
}
