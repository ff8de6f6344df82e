package dashboard

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// csrfField is a page's CSRF token, new on every page.
var csrfField = regexp.MustCompile(`name="csrf" value="[^"]*"`)

// An import, undo or purge of one employer leaves the figures of the other
// employers warm (issue 12): a provider's nightly inbox run commits
// thousands of imports, and each started a generation that recomputed
// every employer's figures. Client B's pages are served after employer A's
// change without computing a figure, and equal a cold computation; B's own
// import recomputes B's figures.
func TestOneEmployersChangeLeavesTheOthersWarm(t *testing.T) {
	site := newTestSiteSized(t, 200) // employer A: the default employer
	const client = "Klant B"
	dirB := addEmployer(t, site, client, 150, 9, testExtract)
	if err := site.server.accounts.PutUser(User{Name: "hr-b", Role: RoleHR, Employer: client}, site.password); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	pagesB := []string{"/", "/breakdown", "/durations", "/api/v1/kpis", "/api/v1/breakdown?by=department"}
	show := func(user string, paths ...string) map[string]string {
		t.Helper()
		out := map[string]string{}
		for _, p := range paths {
			deadline := time.Now().Add(time.Minute)
			for {
				code, body := getAs(t, site, user, p)
				if code != http.StatusOK {
					t.Fatalf("%s %s: HTTP %d\n%s", user, p, code, body)
				}
				if !strings.Contains(body, "data-pending") { // every figure shown
					out[p] = csrfField.ReplaceAllString(body, "csrf")
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%s %s: figures still being computed after a minute", user, p)
				}
				time.Sleep(50 * time.Millisecond)
			}
		}
		return out
	}
	// settle lets the next request see the change, and waits until its
	// refresh swapped in the new generation.
	settle := func(what string) {
		t.Helper()
		getAs(t, site, "hr-b", "/api/v1/kpis")
		deadline := time.Now().Add(time.Minute)
		for !swapped(site) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: no new generation after a minute", what)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	total := func() (n int) {
		for _, c := range computeTotals(site.server) {
			n += c.count
		}
		return n
	}
	// stillWarm: after what changed employer A, B's pages are served
	// without computing a figure and equal a cold computation; the refresh
	// computes only the figuresA of A's requests it replays. served, when
	// given, reads what the new generation serves before the cache is
	// dropped.
	stillWarm := func(what string, warm map[string]string, figuresA int, served func()) {
		t.Helper()
		before := total()
		settle(what)
		got := show("hr-b", pagesB...)
		if n := total() - before; n != figuresA {
			t.Errorf("%s: the refresh and Klant B's pages computed %d figures, want the %d of employer A's page; B's data did not change", what, n, figuresA)
		}
		if served != nil {
			served()
		}
		coldGeneration(t, site.server)
		cold := show("hr-b", pagesB...)
		for _, p := range pagesB {
			same := func(a, b string) bool { return a == b }
			if strings.HasPrefix(p, "/api/") { // sums in another order may differ in the last digit
				same = func(a, b string) bool { return sameFigures(t, a, b) }
			}
			if !same(got[p], cold[p]) || !same(got[p], warm[p]) {
				t.Errorf("%s: Klant B's %s served after it differs from a cold computation (or from before)", what, p)
			}
		}
	}

	warm := show("hr-b", pagesB...)
	// A's export is a month later than B's: the installation's latest
	// extract date moves, B's default period (up to its own) does not.
	pathA, profile := site.extraCaseFile(t)
	resA, err := site.server.importer.ImportFile(ctx, pathA, ingest.ImportOptions{Profile: profile, ExtractDate: testExtract.AddDate(0, 1, 0)})
	if err != nil {
		t.Fatal(err)
	}
	stillWarm("import of employer A", warm, 0, func() {
		site.server.genMu.Lock()
		ex := site.server.current.state.extract
		site.server.genMu.Unlock()
		if !ex.Equal(testExtract.AddDate(0, 1, 0)) {
			t.Errorf("the installation's latest extract date %s after A's later export", ex.Format(time.DateOnly))
		}
	})

	if _, err := site.store.Undo(ctx, resA.ImportID, storage.UndoOptions{By: "test"}); err != nil {
		t.Fatal(err)
	}
	stillWarm("undo of employer A's import", warm, 0, nil)

	// The purge removes leavers: A's figures of the year before change,
	// and the refresh computes them again (one figure).
	const longAgo = "/api/v1/kpis?from=2024-07-01&to=2025-06-30"
	kpisA := show("hr", longAgo)[longAgo]
	purged, err := site.store.Purge(ctx, storage.PurgeOptions{EmployerID: storage.DefaultEmployerID, KeepYears: 1, Today: testExtract, By: "test"})
	if err != nil || purged.Employees == 0 {
		t.Fatalf("purge of employer A: %v, %d employees purged: the test proves nothing", err, purged.Employees)
	}
	var afterA string
	stillWarm("purge of employer A", warm, 1, func() { afterA = show("hr", longAgo)[longAgo] })
	coldGeneration(t, site.server)
	if cold := show("hr", longAgo)[longAgo]; sameFigures(t, afterA, kpisA) || !sameFigures(t, afterA, cold) {
		t.Errorf("employer A's figures after its purge are those of before, or differ from a cold computation:\nbefore %s\nafter %s\ncold %s", kpisA, afterA, cold)
	}

	// B's own import: its figures are computed again and show the new case.
	newCasesB := func() int64 {
		t.Helper()
		var body struct {
			Data struct {
				NewCases int64 `json:"new_cases"`
			}
		}
		if err := json.Unmarshal([]byte(show("hr-b", "/api/v1/kpis")["/api/v1/kpis"]), &body); err != nil {
			t.Fatal(err)
		}
		return body.Data.NewCases
	}
	casesB := newCasesB()
	pathB, profileB := extraCaseFileOf(t, dirB)
	if _, err := site.server.importer.ImportFile(ctx, pathB, ingest.ImportOptions{Profile: profileB, ExtractDate: testExtract, Employer: client}); err != nil {
		t.Fatal(err)
	}
	before := total()
	settle("import of Klant B")
	if got := newCasesB(); got != casesB+1 {
		t.Errorf("after Klant B's import of one new case: %d new cases, want %d", got, casesB+1)
	}
	if total() == before {
		t.Error("Klant B's import computed none of its figures again")
	}
}
