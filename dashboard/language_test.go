package dashboard

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"github.com/verzuim/absence/ingest/storage"
)

// TestEveryPageSpeaksTheUsersLanguage walks every page of the table of
// pages as every role that may open it, the error pages (400, 403, 404,
// 500), every API error, every download's header and the preview of a
// messy upload, in Dutch and in English (the account's language). It fails
// on a text without a translation and on English in the Dutch dashboard.
// The pages come from the table (pages.go) and the API and downloads from
// the router, so a new page or route is walked without a change here.
func TestEveryPageSpeaksTheUsersLanguage(t *testing.T) {
	site := newTestSiteSized(t, 200)
	// One account per role, named so that no name reads as English.
	roles := []Role{RoleInstallation, RoleAdmin, RoleHR, RoleManager, RoleProvider}
	accountOf := map[Role]string{}
	for i, u := range []User{{Name: "Ans", Role: RoleAdmin}, {Name: "Bert", Role: RoleAdmin, Employer: storage.DefaultEmployer},
		{Name: "Cor", Role: RoleHR}, {Name: "Dirk", Role: RoleManager, Departments: site.depts[:1]}, {Name: "Els", Role: RoleProvider, Provider: testProvider}} {
		if err := site.server.accounts.PutUser(u, site.password); err != nil {
			t.Fatal(err)
		}
		accountOf[roles[i]] = u.Name
	}
	missing := recordMissingTexts(t)
	found := findings{}

	for _, lang := range []string{"nl", "en"} {
		for _, name := range accountOf {
			if err := site.server.accounts.SetLang(name, lang); err != nil {
				t.Fatal(err)
			}
		}
		say := speaker{t: t, lang: lang, found: found}
		for _, e := range pages {
			for _, role := range roles {
				user := accountOf[role]
				code, body := getAs(t, site, user, e.path)
				if !slices.Contains(e.roles, role) {
					if code != http.StatusForbidden {
						t.Errorf("%s as %s: %d, want 403", e.path, user, code)
					}
					say.errorPage(e.path+" as "+user+" (403)", body, true)
					continue
				}
				if code != http.StatusOK {
					t.Errorf("%s as %s: %d, want 200", e.path, user, code)
				}
				say.page(e.path+" as "+user, body)
				if e.widgets != nil { // a page of figures reads the filter
					code, body := getAs(t, site, user, e.path+"?from=31-12-2024")
					if code != http.StatusBadRequest {
						t.Errorf("%s?from=31-12-2024 as %s: %d, want 400", e.path, user, code)
					}
					say.errorPage(e.path+"?from=31-12-2024 as "+user+" (400)", body, true)
				}
			}
		}
		code, body := getAs(t, site, accountOf[RoleHR], "/no-such-page")
		if code != http.StatusNotFound {
			t.Errorf("/no-such-page: %d, want 404", code)
		}
		say.errorPage("/no-such-page (404)", body, true)
		say.errorPage("a server error (500)", serverErrorAs(t, site, accountOf[RoleHR], "/trends"), true)

		// The API's errors, in the session's language.
		for _, r := range site.server.Handler().(*gin.Engine).Routes() {
			if r.Method != http.MethodGet || !strings.HasPrefix(r.Path, "/api/v1/") {
				continue
			}
			path := strings.Replace(r.Path, ":kind", "survival", 1)
			code, body := getAs(t, site, accountOf[RoleInstallation], path+"?from=31-12-2024")
			if code != http.StatusOK { // else it reads no period
				say.apiError(path+" (400)", body)
			}
			for _, user := range []string{accountOf[RoleManager], accountOf[RoleProvider]} {
				if code, body := getAs(t, site, user, path); code == http.StatusForbidden {
					say.apiError(path+" as "+user+" (403)", body)
				}
			}
		}
		_, body = getAs(t, site, accountOf[RoleInstallation], "/api/v1/no-such-thing")
		say.apiError("/api/v1/no-such-thing (404)", body)

		// Every download: its column headers.
		for _, r := range site.server.Handler().(*gin.Engine).Routes() {
			if r.Method != http.MethodGet || strings.Contains(r.Path, ":") || !(strings.HasSuffix(r.Path, ".csv") || strings.HasSuffix(r.Path, ".xlsx")) {
				continue
			}
			path := r.Path
			if strings.HasPrefix(path, "/print/pack") {
				path += "?month=2026-05" // a month is what the pack is of
			}
			code, body := getAs(t, site, accountOf[RoleInstallation], path)
			if code != http.StatusOK {
				t.Errorf("%s: %d", r.Path, code)
				continue
			}
			say.downloadHeader(r.Path, body)
		}

		// The previews of messy and damaged uploads: what was found, the
		// reasons, the notes, why a file cannot be imported. ingest writes
		// them in English, so the damaged ones are read in Dutch only.
		uploads := []string{"messy_afas_verzuim.csv"}
		if lang == "nl" {
			uploads = append(uploads, "afas_verzuim_stray_cr.csv", "damaged/nul_bytes.csv", "damaged/mixed_line_endings.csv",
				"damaged/byte_flipped.csv", "damaged/employments_mixed_encoding.csv", "damaged/absence_periods.csv",
				"damaged/header_only.csv", "damaged/no_valid_rows.csv", "damaged/empty.csv")
		}
		for _, f := range uploads {
			say.page("the preview of "+f, previewAs(t, site, accountOf[RoleInstallation], "../datasets/fixtures/"+f))
		}
	}
	for _, m := range missing() {
		t.Errorf("no text for %q", m)
	}
	found.report(t)
}

// findings are the problems found, each once with where it was seen first
// and how often.
type findings map[string]*finding

type finding struct {
	first string
	times int
}

func (f findings) add(problem, where string) {
	if f[problem] == nil {
		f[problem] = &finding{first: where}
	}
	f[problem].times++
}

func (f findings) report(t *testing.T) {
	t.Helper()
	var problems []string
	for p := range f {
		problems = append(problems, p)
	}
	slices.Sort(problems)
	for _, p := range problems {
		t.Errorf("%s (%s; %d times)", p, f[p].first, f[p].times)
	}
}

// speaker checks the texts of answers in one language.
type speaker struct {
	t     *testing.T
	lang  string
	found findings
}

// page checks an HTML page: its visible text, its hover texts and its
// charts' labels.
func (s speaker) page(where, body string) {
	s.t.Helper()
	for _, text := range visibleTexts(body) {
		s.text(where, text)
	}
}

// errorPage checks an error page: in the user's language and, for a
// logged-in user, in the layout with the menu.
func (s speaker) errorPage(where, body string, loggedIn bool) {
	s.t.Helper()
	if loggedIn && !strings.Contains(body, "<nav>") {
		s.found.add(fmt.Sprintf("[%s] an error page not in the layout with the menu: %.120q", s.lang, body), where)
	}
	s.page(where, body)
}

// apiError checks the message of a JSON error.
func (s speaker) apiError(where, body string) {
	s.t.Helper()
	var e apiError
	if err := json.Unmarshal([]byte(body), &e); err != nil || e.Status != "error" || e.Error == "" {
		s.found.add(fmt.Sprintf("[%s] not a JSON error: %.120q", s.lang, body), where)
		return
	}
	s.text(where, e.Error)
}

// downloadHeader checks the column headers of a download. A workbook's
// are read by people: in their language, on every sheet. A CSV's are for
// scripts: the catalogue's field names, the same in every language.
func (s speaker) downloadHeader(where, body string) {
	s.t.Helper()
	if strings.HasSuffix(where, ".xlsx") {
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			s.t.Errorf("%s: %v", where, err)
			return
		}
		defer f.Close()
		for _, sheet := range f.GetSheetList() {
			s.text(where+" sheet "+sheet, sheet)
			if rows, err := f.GetRows(sheet); err == nil && len(rows) > 0 {
				for _, cell := range rows[0] {
					s.text(where+" sheet "+sheet, cell)
				}
			}
		}
		return
	}
	header, _, _ := strings.Cut(strings.TrimPrefix(body, "\ufeff"), "\n")
	for _, col := range strings.Split(strings.TrimSpace(header), strings.TrimSpace(delimiterOf(header))) {
		if !fieldName.MatchString(strings.Trim(col, `"`)) {
			s.found.add(fmt.Sprintf("column %q is not a field name", col), where)
		}
	}
}

func delimiterOf(header string) string {
	if strings.Count(header, ";") > strings.Count(header, ",") {
		return ";"
	}
	return ","
}

var fieldName = regexp.MustCompile(`^[a-z][a-z0-9_+-]*$`)

// text fails on a key shown instead of its text (in any language) and on
// English words in Dutch.
func (s speaker) text(where, text string) {
	s.t.Helper()
	for _, w := range words.FindAllString(fileNames.ReplaceAllString(text, " "), -1) {
		switch {
		case keyLike.MatchString(w) && !allowedWords[w]:
			s.found.add(fmt.Sprintf("[%s] %q looks like a name from the code, in %q", s.lang, w, clip(text)), where)
		case s.lang == "nl" && englishWords[strings.ToLower(w)] && !allowedWords[w]:
			s.found.add(fmt.Sprintf("[nl] English %q in %q", w, clip(text)), where)
		}
	}
}

func clip(s string) string {
	if len(s) > 160 {
		return s[:160] + "…"
	}
	return s
}

var (
	fileNames = regexp.MustCompile(`[^\s"'/:]+\.(?:csv|txt|xlsx|toml)\b`) // the user's data
	words     = regexp.MustCompile(`[\p{L}][\p{L}\p{N}_'-]*`)
	keyLike   = regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)+$`)
	// englishWords are words of English that are not Dutch (so not "in",
	// "is", "of", "over", "per", "open", "interval", "frequent").
	englishWords = wordSet(`the and or with without from for by to at on into than then this that these which when where who
		are were has have had not no yes be been being will would can could should may must please try again
		day days weeks month months year years date dates case cases sick sickness absence absent rate
		employee employees employed employment employer employers recovery return returned full partial
		file files line lines column columns value values reason reasons row rows read accepted rejected duplicate duplicates
		committed failed undone dry run running imported detected encoding delimiter endings ending profile
		header headers note notes already nothing changed chosen choose page pages error errors logged
		still back own other others none unknown upcoming overdue due done missing late
		share total median average new closed long short cost costs hidden small group groups
		computed loading ready being shown shows show see more less least most only also each every all any
		department departments location locations age gender hours tenure
		person persons people provider providers client clients installation manager admin users user
		fields separated separator dates percentages fractions windows text upload uploaded preview stored
		expected valid invalid allowed must between before after up down`)
	// allowedWords pass in Dutch: abbreviations and names.
	allowedWords = wordSet(`late ZVP ZMF GZVD CBS XLSX CSV PDF API WIA IVA UWV BW ZW WAZO AVG AP fte FTE HR Kaplan Meier
		Bradford Poortwachter ArboPlus Visma AFAS Nmbrs no-risk no-riskpolis Inbox inbox Mediation mediation`)
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

var (
	scripts    = regexp.MustCompile(`(?s)<script([^>]*)>(.*?)</script>`)
	styles     = regexp.MustCompile(`(?s)<style[^>]*>.*?</style>`)
	hoverAttrs = regexp.MustCompile(`\s(?:title|placeholder|aria-label|alt)="([^"]*)"`)
	tags       = regexp.MustCompile(`(?s)<[^>]*>`)
	// userData is what the page quotes from the user's files, marked as
	// not to be translated.
	userData = regexp.MustCompile(`(?s)<td[^>]*translate="no"[^>]*>.*?</td>`)
)

// visibleTexts are the texts a user reads on a page: text between tags,
// hover texts and the labels of its charts (their JSON), without what the
// page quotes from the user's files (marked translate="no").
func visibleTexts(body string) []string {
	var out []string
	for _, m := range scripts.FindAllStringSubmatch(body, -1) {
		if strings.Contains(m[1], "application/json") {
			var spec any
			if json.Unmarshal([]byte(html.UnescapeString(m[2])), &spec) == nil {
				out = append(out, chartLabels(spec, "")...)
			}
		}
	}
	body = scripts.ReplaceAllString(body, " ")
	body = userData.ReplaceAllString(body, " ")
	body = styles.ReplaceAllString(body, " ")
	for _, m := range hoverAttrs.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	for _, line := range strings.Split(tags.ReplaceAllString(body, "\n"), "\n") {
		if t := strings.TrimSpace(html.UnescapeString(line)); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// chartLabels are the strings of chart options a user reads: titles,
// names of series and axes, legends and categories.
func chartLabels(v any, key string) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			out = append(out, chartLabels(x, k)...)
		}
	case []any:
		for _, x := range v {
			out = append(out, chartLabels(x, key)...)
		}
	case string:
		if slices.Contains([]string{"text", "subtext", "name", "data"}, key) {
			out = append(out, v)
		}
	}
	return out
}

// recordMissingTexts notes every key asked for without a text in the
// language asked for; missing returns them.
func recordMissingTexts(t *testing.T) (missing func() []string) {
	var mu sync.Mutex
	seen := map[string]bool{}
	onMissingText = func(lang, key string) {
		mu.Lock()
		defer mu.Unlock()
		seen[lang+": "+key] = true
	}
	t.Cleanup(func() { onMissingText = nil })
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		var out []string
		for k := range seen {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
}

// serverErrorAs is the page a server error shows user on path.
func serverErrorAs(t *testing.T, site *testSite, user, path string) string {
	t.Helper()
	u, ok := site.server.accounts.User(user)
	if !ok {
		t.Fatalf("no user %s", user)
	}
	rec := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(rec)
	c.Request = httptest.NewRequest(http.MethodGet, path, nil)
	c.Set(ctxUser, u)
	c.Set(ctxSession, session{user: user, csrf: "x"})
	site.server.serverError(c, errors.New("a failure for the test"))
	if rec.Code != http.StatusInternalServerError {
		t.Errorf("a server error answers %d", rec.Code)
	}
	return rec.Body.String()
}

// previewAs is the imports page after user uploads path for a preview.
func previewAs(t *testing.T, site *testSite, user, path string) string {
	t.Helper()
	id, sess := site.server.sessions.create(user, 0)
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(site.url)
	jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: id}})
	client, csrf := &http.Client{Jar: jar}, sess.csrf
	code, body := call(t, client, multipartPost(t, site.url+"/imports/preview", path, map[string]string{"csrf": csrf}))
	if code != http.StatusOK && code != http.StatusUnprocessableEntity {
		t.Errorf("the preview of %s: %d %.300s", path, code, body)
	}
	return body
}
