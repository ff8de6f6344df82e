package dashboard

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"github.com/verzuim/absence/analytics/reports"
	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// otherEmployer is the employer no account of the default employer may
// see, named with markup; every name in its data carries otherMark, which
// holds a letter no random token (base64, hex) can, so a CSRF token or a
// nonce never looks like a leak.
const (
	otherEmployer = `Rivaal <b id="x">&amp; "Zn"`
	otherMark     = "Bxqü"
)

// publicRoutes answer without a login; they may name no employer's data.
var publicRoutes = []string{"GET /healthz", "GET /metrics"}

// routesWithoutFigures are the routes the isolation test does not try, and
// why: each holds nothing of an employer's data.
var routesWithoutFigures = map[string]string{
	"GET /static/*filepath":  "the embedded scripts and styles",
	"HEAD /static/*filepath": "the embedded scripts and styles",
	"GET /favicon.ico":       "no content",
	"GET /login":             "the login form",
	"POST /login":            "logs in",
	"POST /logout":           "ends the session",
	"POST /lang":             "sets the language",
}

// TestNoRouteShowsAnotherEmployer tries every route of the router — the
// pages of the table, downloads, the API, the imports — as every role,
// asking for the account's own employer, another employer and none, on a
// database of two employers whose data differ (the other's names hostile).
// Each answer is 403, or holds nothing of the other employer: none of its
// names, and the same figures as before that employer was imported (an
// employer's admin's imports page included). The other employer's imports
// are unknown (404) to every account but the installation admin's.
// Provider staff see no other provider's name.
func TestNoRouteShowsAnotherEmployer(t *testing.T) {
	site := newTestSiteSized(t, 300)
	accounts := site.server.accounts
	for _, u := range []User{
		{Name: "employer-admin", Role: RoleAdmin, Employer: storage.DefaultEmployer},
		{Name: "provider-own", Role: RoleProvider, Provider: testProvider, Employers: []string{storage.DefaultEmployer}},
	} {
		if err := accounts.PutUser(u, site.password); err != nil {
			t.Fatal(err)
		}
	}
	roles := []string{"admin", "employer-admin", "hr", "manager", "provider-own"}
	otherProviders := otherProvidersOf(t, filepath.Join(site.dataDir, "interventions.csv"))

	routes := routesToTry(t, site)
	before := map[string]string{} // user + method + request → answer, with only the own employer
	for _, r := range routes {
		for _, user := range roles {
			for _, target := range []string{r.url, withParam(r.url, "employer", storage.DefaultEmployer)} {
				if code, body := settledAs(t, site, user, r.method, target); code == http.StatusOK {
					body = readable(t, body)
					before[user+" "+r.method+" "+target] = normalise(body)
				}
			}
		}
	}

	otherImports := importOther(t, site)
	deadline := time.Now().Add(2 * time.Minute)
	for getAs(t, site, "hr", "/api/v1/kpis"); !swapped(site); getAs(t, site, "hr", "/api/v1/kpis") {
		if time.Now().After(deadline) {
			t.Fatal("the figures were not refreshed after the import")
		}
		time.Sleep(50 * time.Millisecond)
	}
	routes = append(routes, otherImportRoutes(site, otherImports)...)

	tried := 0
	for _, r := range routes {
		for _, user := range roles {
			u, _ := accounts.User(user)
			allowed := slices.Contains(rolesOfRoute(t, site, r), u.Access())
			for _, choice := range []string{"own", "other", "none"} {
				target := r.url
				switch choice {
				case "own":
					target = withParam(target, "employer", storage.DefaultEmployer)
				case "other":
					target = withParam(target, "employer", otherEmployer)
				}
				tried++
				code, body := settledAs(t, site, user, r.method, target)
				body = readable(t, body)
				name := user + " " + r.method + " " + target
				switch {
				case code >= 500:
					t.Errorf("%s: %d", name, code)
				case !allowed || u.Access() != RoleInstallation && choice == "other":
					if code != http.StatusForbidden {
						t.Errorf("%s: %d, want 403", name, code)
					}
				case u.Access() == RoleInstallation:
					// The installation admin sees every employer.
				case r.others:
					// Another employer's import is no import of theirs.
					if code != http.StatusNotFound && code != http.StatusForbidden {
						t.Errorf("%s: %d, want 404 (another employer's import)", name, code)
					}
				case r.method == http.MethodPost && code == http.StatusBadRequest:
					// A post without its form (a file to import) is refused as incomplete.
					if strings.Contains(body, "Rivaal") || strings.Contains(body, otherMark) {
						t.Errorf("%s names the other employer or its data", name)
					}
				case code != http.StatusOK:
					t.Errorf("%s: %d, want 200", name, code)
				default:
					if strings.Contains(body, "Rivaal") || strings.Contains(body, otherMark) {
						t.Errorf("%s names the other employer or its data", name)
					}
					if want, ok := before[user+" "+r.method+" "+target]; ok && !sameAnswer(t, want, normalise(body)) {
						t.Errorf("%s: the answer changed when another employer was imported:\n%s", name, firstDifference(want, normalise(body)))
					}
					if u.Role == RoleProvider {
						for _, p := range otherProviders {
							if strings.Contains(body, p) {
								t.Errorf("%s names another provider, %q", name, p)
							}
						}
					}
				}
			}
		}
	}
	for _, key := range publicRoutes {
		path := strings.TrimPrefix(key, "GET ")
		if code, body := getAs(t, site, "hr", path); code != http.StatusOK || strings.Contains(body, "Rivaal") || strings.Contains(body, otherMark) {
			t.Errorf("%s: %d, or it names the other employer", path, code)
		}
	}
	t.Logf("%d routes × %d roles × 3 employer choices: %d requests", len(routes), len(roles), tried)
}

// route is one request to try.
type route struct {
	method, path string // as registered
	url          string // as requested
	others       bool   // of the other employer's import
}

// routesToTry are the router's routes, each with the parameters it needs.
// A route the test does not know how to call fails it: a new route cannot
// be forgotten.
func routesToTry(t *testing.T, site *testSite) []route {
	t.Helper()
	var out []route
	for _, r := range site.server.Handler().(*gin.Engine).Routes() {
		key := r.Method + " " + r.Path
		if _, skip := routesWithoutFigures[key]; skip || slices.Contains(publicRoutes, key) {
			continue
		}
		switch {
		case r.Path == "/api/v1/report/:kind":
			for _, kind := range reports.Kinds {
				out = append(out, route{method: r.Method, path: r.Path, url: "/api/v1/report/" + kind + "?from=2025-07-01&to=2026-06-30"})
			}
		case r.Path == "/interventions/card/:type":
			// The card and its workbook; its PDF prints this same page in
			// chromium with the user's session (TestEvidenceCard reads one).
			for _, suffix := range []string{"", ".xlsx"} {
				out = append(out, route{method: r.Method, path: r.Path, url: "/interventions/card/intervention_talk" + suffix})
			}
		case strings.HasPrefix(r.Path, "/print/pack"):
			out = append(out, route{method: r.Method, path: r.Path, url: r.Path + "?month=2026-05"})
		case strings.Contains(r.Path, "/:id/"):
			// With the other employer's imports, below.
		case strings.ContainsAny(r.Path, ":*"):
			t.Fatalf("the isolation test does not know how to call %s", key)
		default:
			out = append(out, route{method: r.Method, path: r.Path, url: r.Path})
		}
	}
	return out
}

// otherImportRoutes are the routes of one import, with an import of the
// other employer's.
func otherImportRoutes(site *testSite, ids []int64) []route {
	var out []route
	for _, r := range site.server.Handler().(*gin.Engine).Routes() {
		if strings.Contains(r.Path, "/:id/") && r.Method == http.MethodGet {
			out = append(out, route{r.Method, r.Path, strings.Replace(r.Path, ":id", strconv.FormatInt(ids[0], 10), 1), true})
		}
	}
	return out
}

// rolesOfRoute are the roles the router lets through route r: those the
// page it belongs to names.
func rolesOfRoute(t *testing.T, site *testSite, r route) []Role {
	t.Helper()
	var out []Role
	for _, role := range []Role{RoleInstallation, RoleAdmin, RoleHR, RoleManager, RoleProvider} {
		for _, e := range pages {
			if slices.Contains(e.roles, role) && pageOfRoute(r.path) == e.path {
				out = append(out, role)
			}
		}
	}
	return out
}

// pageOfRoute is the page whose figures a route serves (routes.go).
func pageOfRoute(path string) string {
	switch {
	case strings.HasPrefix(path, "/imports"), path == "/api/v1/imports", strings.HasPrefix(path, "/api/v1/imports/"):
		return "/imports"
	case path == "/breakdown.csv" || path == "/breakdown.xlsx" || path == "/api/v1/breakdown":
		return "/breakdown"
	case path == "/absentees.csv" || path == "/absentees.xlsx" || path == "/api/v1/absentees" || path == "/api/v1/frequent-to-long":
		return "/absentees"
	case path == "/api/v1/kpis":
		return "/"
	case path == "/api/v1/series":
		return "/trends"
	case path == "/api/v1/survival", path == "/api/v1/progression", path == "/api/v1/outcomes", strings.HasPrefix(path, "/durations/"):
		return "/durations"
	case path == "/api/v1/tracks", strings.HasPrefix(path, "/api/v1/report/"), strings.HasPrefix(path, "/poortwachter/"), strings.HasPrefix(path, "/print/pack"):
		return "/poortwachter"
	case path == "/api/v1/interventions", path == "/api/v1/landmark", path == "/api/v1/adjusted", path == "/api/v1/intervention-cost", path == "/api/v1/dose", strings.HasPrefix(path, "/interventions/"):
		return "/interventions"
	case strings.HasPrefix(path, "/api/v1/clients"):
		return "/clients"
	}
	return path
}

// importOther adds the other employer with data of its own — another
// seed, its departments, teams, locations and providers renamed — and
// returns its import ids.
func importOther(t *testing.T, site *testSite) []int64 {
	t.Helper()
	ctx := context.Background()
	if _, err := site.store.AddEmployer(ctx, otherEmployer); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := datasets.WriteFiles(dir, datasets.Config{Employees: 400, Seed: 9, ExtractDate: testExtract}, "native"); err != nil {
		t.Fatal(err)
	}
	mark(t, filepath.Join(dir, "employments.csv"), "department", "team", "location")
	mark(t, filepath.Join(dir, "interventions.csv"), "provider")
	importer := ingest.NewImporter(site.store, ingest.Config{})
	var ids []int64
	for _, name := range []string{"employments.csv", "absence_periods.csv", "interventions.csv", "milestones.csv"} {
		src, err := ingest.Inspect(filepath.Join(dir, name), nil, importer.Limits())
		if err != nil {
			t.Fatal(err)
		}
		res, err := importer.Import(ctx, src, ingest.ImportOptions{ExtractDate: testExtract, Employer: otherEmployer})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.ImportID)
	}
	return ids
}

// mark prefixes the values of the named columns of a CSV file with
// otherMark and a bit of markup.
func mark(t *testing.T, path string, columns ...string) {
	t.Helper()
	rows := readCSV(t, path)
	for _, col := range columns {
		i := slices.Index(rows[0], col)
		for _, row := range rows[1:] {
			if row[i] != "" {
				row[i] = otherMark + "<i>" + row[i]
			}
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.WriteAll(rows)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// otherProvidersOf are the providers of an interventions file but
// testProvider.
func otherProvidersOf(t *testing.T, path string) []string {
	t.Helper()
	rows := readCSV(t, path)
	i := slices.Index(rows[0], "provider")
	var out []string
	for _, row := range rows[1:] {
		if p := row[i]; p != "" && p != testProvider && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		t.Fatal("the generated interventions have no other provider: the test proves nothing")
	}
	return out
}

// settledAs is requestAs once the page holds no "being computed"
// placeholder: a page answers within seconds with what is ready, and two
// answers are comparable only when both are whole.
func settledAs(t *testing.T, site *testSite, user, method, target string) (int, string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		code, body := requestAs(t, site, user, method, target)
		if code != http.StatusOK || !strings.Contains(body, "data-pending") || time.Now().After(deadline) {
			return code, body
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// requestAs sends a request as user; a POST carries the session's CSRF
// token.
func requestAs(t *testing.T, site *testSite, user, method, target string) (int, string) {
	t.Helper()
	cookie := sessionCookieFor(t, site, user)
	req := httptest.NewRequest(method, target, nil)
	req.AddCookie(cookie)
	if method == http.MethodPost {
		sess, _ := site.server.sessions.get(cookie.Value)
		req.Header.Set("X-CSRF-Token", sess.csrf)
	}
	rec := httptest.NewRecorder()
	site.server.Handler().ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

func withParam(target, key, value string) string {
	u, _ := url.Parse(target)
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

// normalise drops what differs between two answers of the same figures:
// the session's CSRF token, and when a workbook was made (its Toelichting).
var (
	csrfValue = regexp.MustCompile(`(name="csrf" value=")[^"]*"`)
	madeAt    = regexp.MustCompile(`(?m)\t\d{4}-\d{2}-\d{2} \d{2}:\d{2}$`)
)

func normalise(body string) string {
	return madeAt.ReplaceAllString(csrfValue.ReplaceAllString(body, `${1}"`), "\t")
}

// readable is an answer as text: a workbook (a zip) as the values of its
// cells, sheet by sheet, so its names can be searched and its numbers
// compared as text.
func readable(t *testing.T, body string) string {
	t.Helper()
	if !strings.HasPrefix(body, "PK\x03\x04") {
		return body
	}
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("an answer that looks like a workbook does not open: %v", err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(sheet + "\n")
		for _, row := range rows {
			b.WriteString(strings.Join(row, "\t") + "\n")
		}
	}
	return b.String()
}

// sameAnswer compares JSON answers as values, and any other answer as
// text whose numbers agree to 1e-12 (DuckDB's parallel sums vary in the
// last digits from one computation to the next).
func sameAnswer(t *testing.T, a, b string) bool {
	t.Helper()
	if a == b {
		return true
	}
	if strings.HasPrefix(a, "{") {
		return sameJSON(t, a, b)
	}
	if number.ReplaceAllString(a, "#") != number.ReplaceAllString(b, "#") {
		return false
	}
	x, y := number.FindAllString(a, -1), number.FindAllString(b, -1)
	for i := range x {
		p, _ := strconv.ParseFloat(x[i], 64)
		q, _ := strconv.ParseFloat(y[i], 64)
		if x[i] != y[i] && !sameValue(p, q) {
			return false
		}
	}
	return true
}

var number = regexp.MustCompile(`\d+(?:\.\d+)?`) // as strconv's 'f' format writes them

// firstDifference shows two texts around where they first differ.
func firstDifference(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-100)
	return "before …" + a[from:min(len(a), i+200)] + "\nafter  …" + b[from:min(len(b), i+200)]
}
