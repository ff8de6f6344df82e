package dashboard

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/verzuim/absence/datasets"
)

// adminClient is a browser-like client logged in as admin, with the
// session's CSRF token for its forms.
func adminClient(t *testing.T, site *testSite) (*http.Client, string) {
	t.Helper()
	id, sess := site.server.sessions.create("admin", 0)
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(site.url)
	jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: id}})
	return &http.Client{Jar: jar}, sess.csrf
}

func call(t *testing.T, client *http.Client, req *http.Request) (int, string) {
	t.Helper()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// multipartPost builds a form post with one file and some fields.
func multipartPost(t *testing.T, target, path string, fields map[string]string) *http.Request {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, _ := w.CreateFormFile("file", filepath.Base(path))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	part.Write(data)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, target, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return req
}

func formPost(target string, form url.Values) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// checksum sums the canonical data tables, to compare whole states.
func checksum(t *testing.T, site *testSite) string {
	t.Helper()
	var sums []string
	for _, table := range []string{"employments", "absence_cases", "case_segments", "interventions", "milestones"} {
		var n int64
		var h string
		if err := site.store.Reader().QueryRowContext(context.Background(), fmt.Sprintf(`SELECT count(*), coalesce(sum(hash(t))::VARCHAR, '') FROM %s t`, table)).Scan(&n, &h); err != nil {
			t.Fatal(err)
		}
		sums = append(sums, fmt.Sprintf("%s=%d/%s", table, n, h))
	}
	return strings.Join(sums, " ")
}

// The Imports page: an upload that would wipe most of its source is
// previewed with the counts before and after in Dutch and needs a
// confirmation; the import can then be undone with a confirmed post, after
// which the data and the figures shown are exactly as before.
func TestUploadShrinkConfirmationAndUndoOnTheImportsPage(t *testing.T) {
	site := newTestSiteSized(t, 300)
	client, csrf := adminClient(t, site)
	bad, err := datasets.MostlyBrokenPeriods(site.dataDir, testExtract)
	if err != nil {
		t.Fatal(err)
	}
	var cases int64
	scanRow(t, site.store.Reader().QueryRowContext(context.Background(), `SELECT count(*) FROM absence_cases`), &cases)
	before := checksum(t, site)
	_, kpisBefore := call(t, client, mustGet(site.url+"/api/v1/kpis"))

	preview := func() (int, string) {
		return call(t, client, multipartPost(t, site.url+"/imports/preview", bad, map[string]string{"csrf": csrf}))
	}
	code, body := preview()
	wantShown := []string{
		`id="shrink-warning"`,
		"Let op: dit bestand verwijdert meer dan 20% van de gegevens van bron &#34;native-periods&#34;",
		fmt.Sprintf("Nu staan er %d verzuimgevallen van", cases),
		"Na deze import blijven er 1 over, van 1 medewerkers.",
		`name="allow_shrink" value="1"`,
		`id="commit-shrink"`,
	}
	for _, want := range wantShown {
		if !strings.Contains(body, want) {
			t.Errorf("preview (HTTP %d) lacks %q", code, want)
		}
	}
	if strings.Contains(body, `id="commit"`) {
		t.Error("the preview offers the plain import button for a file that wipes its source")
	}
	// Committing the preview without the confirmation imports nothing.
	code, _ = call(t, client, formPost(site.url+"/imports/commit", url.Values{"csrf": {csrf}, "token": {textBetween(body, `name="token" value="`, `"`)}}))
	if code != http.StatusUnprocessableEntity || checksum(t, site) != before {
		t.Fatalf("commit without confirmation: HTTP %d, data changed: %v", code, checksum(t, site) != before)
	}

	_, body = preview()
	code, body = call(t, client, formPost(site.url+"/imports/commit", url.Values{"csrf": {csrf}, "token": {textBetween(body, `name="token" value="`, `"`)}, "allow_shrink": {"1"}}))
	var left int64
	scanRow(t, site.store.Reader().QueryRowContext(context.Background(), `SELECT count(*) FROM absence_cases`), &left)
	if code != http.StatusOK || !strings.Contains(body, `id="import-done"`) || left != 1 {
		t.Fatalf("confirmed commit: HTTP %d, %d cases left", code, left)
	}
	id := textBetween(body, `Geïmporteerd als import `, `:`)
	// The dashboard serves the figures of before until it has computed the
	// new ones (refresh, then swap).
	if !eventually(func() bool { _, kpis := call(t, client, mustGet(site.url+"/api/v1/kpis")); return kpis != kpisBefore }) {
		t.Fatal("the figures did not change after the import; the undo test would prove nothing")
	}

	// The history offers the undo, which asks first, in Dutch, with counts.
	if !strings.Contains(body, `action="/imports/`+id+`/undo"`) {
		t.Errorf("the history has no undo button for import %s", id)
	}
	code, body = call(t, client, mustGet(site.url+"/imports/"+id+"/undo"))
	want := fmt.Sprintf("de 1 verzuimgevallen die deze import opsloeg worden verwijderd en de %d die hij verving komen terug", cases)
	if code != http.StatusOK || !strings.Contains(body, "Import "+id+" ongedaan maken?") || !strings.Contains(body, want) || checksum(t, site) == before {
		t.Errorf("undo confirmation: HTTP %d, lacks the question or %q", code, want)
	}
	if code, _ := call(t, client, formPost(site.url+"/imports/"+id+"/undo", url.Values{})); code != http.StatusForbidden {
		t.Errorf("undo without the CSRF token: HTTP %d", code)
	}
	code, body = call(t, client, formPost(site.url+"/imports/"+id+"/undo", url.Values{"csrf": {csrf}}))
	if code != http.StatusOK || !strings.Contains(body, "Import "+id+" is ongedaan gemaakt") {
		t.Errorf("undo: HTTP %d", code)
	}
	if checksum(t, site) != before {
		t.Error("after the undo the data is not exactly as before the import")
	}
	var kpis string
	if !eventually(func() bool {
		_, kpis = call(t, client, mustGet(site.url+"/api/v1/kpis"))
		return sameFigures(t, kpis, kpisBefore)
	}) {
		t.Errorf("after the undo the figures are not those of before the import (stale cache?):\nbefore %s\nafter  %s", kpisBefore, kpis)
	}
	code, body = call(t, client, formPost(site.url+"/imports/"+id+"/undo", url.Values{"csrf": {csrf}}))
	if code != http.StatusConflict || !strings.Contains(body, "Dit kan niet ongedaan worden gemaakt:") {
		t.Errorf("second undo: HTTP %d", code)
	}
}

// The API refuses a shrinking file with a clear JSON error unless told
// allow_shrink=true, and undoes an import by POST /api/v1/imports/N/undo.
func TestAPIShrinkRefusalAndUndo(t *testing.T) {
	site := newTestSiteSized(t, 300)
	bad, err := datasets.MostlyBrokenPeriods(site.dataDir, testExtract)
	if err != nil {
		t.Fatal(err)
	}
	before := checksum(t, site)
	post := func(req *http.Request) (int, map[string]any) {
		req.SetBasicAuth("admin", site.password)
		code, body := call(t, http.DefaultClient, req)
		var reply map[string]any
		if err := json.Unmarshal([]byte(body), &reply); err != nil {
			t.Fatalf("HTTP %d, not JSON: %s", code, body)
		}
		return code, reply
	}
	code, reply := post(multipartPost(t, site.url+"/api/v1/imports", bad, nil))
	if code != http.StatusUnprocessableEntity || reply["errorType"] != "shrink" || !strings.Contains(fmt.Sprint(reply["error"]), "this export would leave 1 of the") {
		t.Errorf("shrinking file: HTTP %d %v", code, reply)
	}
	if checksum(t, site) != before {
		t.Fatal("the refused file changed the data")
	}
	code, reply = post(multipartPost(t, site.url+"/api/v1/imports", bad, map[string]string{"allow_shrink": "true"}))
	if code != http.StatusOK {
		t.Fatalf("with allow_shrink: HTTP %d %v", code, reply)
	}
	id := int64(reply["data"].(map[string]any)["ImportID"].(float64))
	undo := func() (int, map[string]any) {
		req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/imports/%d/undo", site.url, id), nil)
		return post(req)
	}
	if code, reply := undo(); code != http.StatusOK || reply["data"].(map[string]any)["undo_id"] == nil {
		t.Errorf("undo: HTTP %d %v", code, reply)
	}
	if checksum(t, site) != before {
		t.Error("after the undo the data is not exactly as before")
	}
	if code, reply := undo(); code != http.StatusConflict || reply["errorType"] != "conflict" || !strings.Contains(fmt.Sprint(reply["error"]), "already undone") {
		t.Errorf("second undo: HTTP %d %v", code, reply)
	}
	req, _ := http.NewRequest(http.MethodPost, site.url+"/api/v1/imports/1/undo", nil)
	req.SetBasicAuth("hr", site.password)
	if code, _ := call(t, http.DefaultClient, req); code != http.StatusForbidden {
		t.Errorf("HR undid an import: HTTP %d", code)
	}
	if v, _ := site.store.DataVersion(context.Background()); v <= id {
		t.Errorf("data version %d after undoing import %d: the undo is not a new version", v, id)
	}
}

// sameFigures compares two JSON answers, numbers up to rounding: DuckDB may
// sum in another order from one run to the next.
func sameFigures(t *testing.T, a, b string) bool {
	t.Helper()
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		t.Fatalf("not JSON: %s / %s", a, b)
	}
	return cmp.Equal(x, y, cmpopts.EquateApprox(1e-12, 0))
}

func mustGet(target string) *http.Request {
	req, _ := http.NewRequest(http.MethodGet, target, nil)
	return req
}

func textBetween(s, from, to string) string {
	_, after, _ := strings.Cut(s, from)
	v, _, _ := strings.Cut(after, to)
	return v
}

// eventually polls ok for up to a minute: after an import or undo the
// dashboard swaps to the new figures once they are computed.
func eventually(ok func() bool) bool {
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if ok() {
			return true
		}
	}
	return false
}
