package dashboard

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/ingest/storage"
)

// noRedirects shows a redirect (to the login page) as what it is.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// An employer's admin has the imports page of their own employer: the
// history of its imports only, an upload that lands under that employer
// whatever the form or URL names, and an undo of its own imports only. The
// installation admin sees every employer's imports, with an employer column.
func TestEmployerAdminImportsOwnEmployer(t *testing.T) {
	site := newTestSiteSized(t, 300)
	ctx := context.Background()
	defaultImports, err := site.store.Imports(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	otherImports := importOther(t, site)
	if err := site.server.accounts.PutUser(User{Name: "rivaal-admin", Role: RoleAdmin, Employer: otherEmployer}, site.password); err != nil {
		t.Fatal(err)
	}
	as := func(user string, req *http.Request) (int, string) {
		if req.Method == http.MethodPost {
			req.SetBasicAuth(user, site.password) // the API's way, without a CSRF token
		} else {
			req.AddCookie(sessionCookieFor(t, site, user))
		}
		return call(t, noRedirects, req)
	}

	code, page := as("rivaal-admin", mustGet(site.url+"/imports"))
	if code != http.StatusOK {
		t.Fatalf("the employer admin's imports page: HTTP %d, want 200", code)
	}
	for _, id := range otherImports {
		if !strings.Contains(page, fmt.Sprintf("<td>%d</td>", id)) {
			t.Errorf("the employer admin's history lacks its own import %d", id)
		}
	}
	for _, r := range defaultImports {
		if strings.Contains(page, fmt.Sprintf("<td>%d</td>", r.ID)) {
			t.Errorf("the employer admin's history shows import %d of another employer", r.ID)
		}
	}
	if strings.Contains(page, `id="inbox"`) {
		t.Error("the employer admin sees the installation's inbox, every employer's folders")
	}

	// The upload lands under the admin's employer, whatever the form says;
	// naming another employer in the URL is refused.
	dir := t.TempDir()
	if _, err := datasets.WriteFiles(dir, datasets.Config{Employees: 400, Seed: 10, ExtractDate: testExtract}, "native"); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "interventions.csv")
	if code, _ := as("rivaal-admin", multipartPost(t, site.url+"/api/v1/imports?employer="+storage.DefaultEmployer, file, nil)); code != http.StatusForbidden {
		t.Errorf("upload for another employer: HTTP %d, want 403", code)
	}
	code, body := as("rivaal-admin", multipartPost(t, site.url+"/api/v1/imports", file, map[string]string{"employer": storage.DefaultEmployer, "allow_shrink": "true"}))
	var reply struct{ Data struct{ ImportID int64 } }
	if err := json.Unmarshal([]byte(body), &reply); code != http.StatusOK || err != nil {
		t.Fatalf("upload: HTTP %d %s", code, body)
	}
	history, err := site.store.Imports(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(history, func(r storage.ImportRecord) bool { return r.ID == reply.Data.ImportID })
	if i < 0 || history[i].Employer != otherEmployer {
		t.Fatalf("the employer admin's upload %d is not an import of their employer: %+v", reply.Data.ImportID, history)
	}

	// Undo: another employer's import is no import of theirs.
	undo := func(id int64) int {
		req, _ := http.NewRequest(http.MethodPost, site.url+"/api/v1/imports/"+strconv.FormatInt(id, 10)+"/undo", nil)
		code, _ := as("rivaal-admin", req)
		return code
	}
	lastDefault := defaultImports[0].ID
	if code := undo(lastDefault); code != http.StatusNotFound {
		t.Errorf("undo of another employer's import %d: HTTP %d, want 404", lastDefault, code)
	}
	if code, _ := as("rivaal-admin", mustGet(fmt.Sprintf("%s/imports/%d/undo", site.url, lastDefault))); code != http.StatusNotFound {
		t.Errorf("the undo page of another employer's import: HTTP %d, want 404", code)
	}
	if code := undo(reply.Data.ImportID); code != http.StatusOK {
		t.Errorf("undo of the admin's own import: HTTP %d, want 200", code)
	}

	// The installation admin sees both employers' imports, named.
	code, page = as("admin", mustGet(site.url+"/imports"))
	if code != http.StatusOK || !strings.Contains(page, `<th>Werkgever</th>`) || !strings.Contains(page, "<td>Rivaal &lt;b") {
		t.Errorf("the installation admin's history (HTTP %d) has no employer column naming the other employer", code)
	}
}
