package dashboard

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// Every query parameter of every page, download and API route answers a bad
// value with 400 and a message: on a page in the user's language with the
// menu, in the API as JSON. Never 500.
func TestBadQueryValuesAnswer400(t *testing.T) {
	site := newTestSiteSized(t, 200)
	pages := []string{"/", "/trends", "/breakdown", "/breakdown.csv", "/durations", "/poortwachter", "/absentees", "/absentees.csv", "/interventions"}
	api := []string{"/api/v1/kpis", "/api/v1/breakdown", "/api/v1/series", "/api/v1/survival", "/api/v1/progression", "/api/v1/tracks", "/api/v1/absentees", "/api/v1/interventions", "/api/v1/landmark"}
	bad := []struct {
		query string
		nl    string // in the Dutch message
		only  string // only routes containing this accept the parameter
	}{
		{"from=zz", "2024-12-31", ""},
		{"to=31-12-2025", "2024-12-31", ""},
		{"from=2025-02-30", "2024-12-31", ""},
		{"from=2026-01-01&to=2025-01-01", "eindigt", ""},
		{"from=0001-01-01", "tussen", ""},
		{"to=9999-12-31", "tussen", ""},
		{"age=zz", "leeftijdsklasse", ""},
		{"hours=" + url.QueryEscape("<24"), "contracturenklasse", ""},
		{"team=ICT", "afdeling/team", ""},
		{"team=%2FServicedesk", "afdeling/team", ""},
		{"dept=IC%00T", "stuurteken", ""},
		{"loc=Utrecht%0D%0A", "stuurteken", ""},
		{"by=shoe-size", "uitsplitsing", "breakdown"},
	}
	for _, tt := range bad {
		for _, path := range append(pages, api...) {
			if !strings.Contains(path, tt.only) {
				continue
			}
			code, body := getAs(t, site, "hr", path+"?"+tt.query)
			if code != http.StatusBadRequest {
				t.Errorf("%s?%s: %d, want 400: %.200s", path, tt.query, code, body)
				continue
			}
			if strings.HasPrefix(path, "/api/") {
				var e apiError
				if err := json.Unmarshal([]byte(body), &e); err != nil || e.ErrorType != "bad_data" || e.Error == "" {
					t.Errorf("%s?%s: %s", path, tt.query, body)
				}
				continue
			}
			if !strings.Contains(body, "<nav>") || !strings.Contains(body, tt.nl) {
				t.Errorf("%s?%s: the page lacks the menu or the Dutch message %q: %.300s", path, tt.query, tt.nl, body)
			}
		}
	}

	for path, want := range map[string]int{"/imports/zz/rejects.csv": 400, "/imports/99999/rejects.csv": 404, "/imports/99999/rejects.xlsx": 404} {
		if code, body := getAs(t, site, "admin", path); code != want || !strings.Contains(body, "<nav>") {
			t.Errorf("%s: %d, want %d with the menu: %.200s", path, code, want, body)
		}
	}
}

// An upload whose name is no file name ("..", "/") answers 400, in Dutch on
// the page, in English (as all API messages) to a script.
func TestUploadNamedDotDotAnswers400(t *testing.T) {
	site := newTestSiteSized(t, 200)
	for _, name := range []string{"..", ".", "/"} {
		for _, path := range []string{"/imports/preview", "/api/v1/imports"} {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			sess := sessionFor(t, site, "admin")
			mw.WriteField("csrf", sess.csrf)
			fw, _ := mw.CreateFormFile("file", name)
			fw.Write([]byte("employee_id,first_sick_day,milestone,done_date\n"))
			mw.Close()
			req := httptest.NewRequest(http.MethodPost, path, &body)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: sess.id})
			rec := httptest.NewRecorder()
			site.server.Handler().ServeHTTP(rec, req)
			want := map[bool]string{true: "not an ordinary file name", false: "geen gewone bestandsnaam"}[strings.HasPrefix(path, "/api/")]
			if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), want) {
				t.Errorf("%s, file %q: %d %.300s", path, name, rec.Code, rec.Body.String())
			}
		}
	}
}

type testSession struct{ id, csrf string }

func sessionFor(t *testing.T, site *testSite, user string) testSession {
	t.Helper()
	id, sess := site.server.sessions.create(user, 0)
	return testSession{id, sess.csrf}
}

// A reference date ("at") the data cannot follow up — bad, too late, or
// past the data altogether — answers 400 with a message, never 500.
func TestBadReferenceDateAnswers400(t *testing.T) {
	site := newTestSiteSized(t, 200)
	for _, tt := range []struct{ query, nl string }{
		{"at=zz", "2024-12-31"},
		{"at=2026-06-01", "peildatum"},
		{"at=2099-01-01", "peildatum"},
	} {
		for _, path := range []string{"/absentees", "/api/v1/frequent-to-long"} {
			code, body := getAs(t, site, "hr", path+"?"+tt.query)
			if code != http.StatusBadRequest {
				t.Errorf("%s?%s: %d, want 400: %.200s", path, tt.query, code, body)
				continue
			}
			if !strings.HasPrefix(path, "/api/") && !strings.Contains(body, tt.nl) {
				t.Errorf("%s?%s: the page lacks the Dutch message %q: %.300s", path, tt.query, tt.nl, body)
			}
		}
	}
}
