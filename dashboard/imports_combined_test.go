package dashboard

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/verzuim/absence/ingest"
)

// An employer's admin who uploads a file holding several employers' rows
// (an employer column) lands their own employer's rows only: the others
// are rejected, without telling which employers the installation has. The installation admin lands each
// row in its employer; an employer's admin cannot undo that import, which
// would undo the other employer's rows too.
func TestEmployerAdminUploadsACombinedFile(t *testing.T) {
	site := newTestSiteSized(t, 300)
	ctx := context.Background()
	for _, name := range []string{"Klant Noord", "Klant Zuid"} {
		if _, err := site.store.AddEmployer(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	if err := site.server.accounts.PutUser(User{Name: "noord-admin", Role: RoleAdmin, Employer: "Klant Noord"}, site.password); err != nil {
		t.Fatal(err)
	}
	upload := func(user, name, content string) (int, ingest.Result) {
		t.Helper()
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		req := multipartPost(t, site.url+"/api/v1/imports", path, map[string]string{"extract_date": "2026-06-30"})
		req.SetBasicAuth(user, site.password)
		code, body := call(t, noRedirects, req)
		var reply struct{ Data ingest.Result }
		if err := json.Unmarshal([]byte(body), &reply); err != nil {
			t.Fatalf("%s: HTTP %d %s", name, code, body)
		}
		return code, reply.Data
	}
	const header = "employer,employee_id,start_date,end_date,department,team,location,contract_hours,fulltime_hours,birth_year,gender\n"
	rows := func(employees ...string) string {
		var b strings.Builder
		for _, e := range employees {
			employer, id, _ := strings.Cut(e, "|")
			b.WriteString(employer + "," + id + ",2020-01-01,,Zorg,,,32,40,1980,F\n")
		}
		return header + b.String()
	}
	employments := func(employer string) (n int64) {
		scanRow(t, site.store.Reader().QueryRowContext(ctx, `SELECT count(*) FROM employments JOIN employers USING (employer_id) WHERE name = ?`, employer), &n)
		return n
	}

	code, res := upload("noord-admin", "bureau.csv", rows("Klant Noord|N1", "Klant Zuid|Z1", "Klant Noord|N2", "default|D1"))
	if code != http.StatusOK || res.Accepted != 2 || res.Rejected != 2 || len(res.PerEmployer) != 1 || res.Employer != "Klant Noord" {
		t.Fatalf("the employer admin's upload: HTTP %d %+v; want Klant Noord's 2 rows, the 2 others rejected", code, res)
	}
	if len(res.Errors) != 2 || res.Errors[0].Reason != `the row names employer "Klant Zuid", but this import is for employer "Klant Noord" only` ||
		res.Errors[1].Reason != `the row names employer "default", but this import is for employer "Klant Noord" only` {
		t.Errorf("rejected rows: %+v; want both refused alike, whether the installation has such an employer or not", res.Errors)
	}
	if employments("Klant Noord") != 2 || employments("Klant Zuid") != 0 {
		t.Errorf("employments: Klant Noord %d, Klant Zuid %d; want 2 and none", employments("Klant Noord"), employments("Klant Zuid"))
	}

	code, res = upload("admin", "bureau-all.csv", rows("Klant Noord|N1", "Klant Zuid|Z1", "Klant Zuid|Z2", "Klant Noord|N3"))
	if code != http.StatusOK || len(res.PerEmployer) != 2 || res.Accepted != 4 {
		t.Fatalf("the installation admin's upload: HTTP %d %+v; want both employers' rows", code, res)
	}
	if employments("Klant Noord") != 2 || employments("Klant Zuid") != 2 {
		t.Errorf("employments: Klant Noord %d, Klant Zuid %d; want 2 each", employments("Klant Noord"), employments("Klant Zuid"))
	}
	undo := func(user string, id int64) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, site.url+"/api/v1/imports/"+strconv.FormatInt(id, 10)+"/undo", nil)
		req.SetBasicAuth(user, site.password)
		return call(t, noRedirects, req)
	}
	noord := res.PerEmployer[0].ImportID
	if code, body := undo("noord-admin", noord); code != http.StatusConflict || !strings.Contains(body, "also held other employers' rows") || strings.Contains(body, "Zuid") {
		t.Errorf("the employer admin's undo of the combined import %d: HTTP %d %s; want 409, naming no other employer", noord, code, body)
	}
	if code, body := undo("admin", noord); code != http.StatusOK || employments("Klant Zuid") != 0 || employments("Klant Noord") != 2 {
		t.Errorf("the installation admin's undo: HTTP %d %s; Klant Zuid has %d employments, Klant Noord %d; want none and the 2 of before", code, body, employments("Klant Zuid"), employments("Klant Noord"))
	}
}
