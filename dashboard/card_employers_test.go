package dashboard

import (
	"net/http"
	"strings"
	"testing"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/widgets"
	"github.com/verzuim/absence/ingest/storage"
)

// The adjusted effect and the return per client employer follow the scope:
// the installation and provider staff, who see every employer of theirs,
// get a row per employer, named; an employer's own users only their
// pooled rows. The card shows the pooled rows, never an employer's.
func TestAdjustedPerEmployerFollowsTheScope(t *testing.T) {
	site := newTestSiteSized(t, 300)
	const client = "Klant B"
	addEmployer(t, site, client, 300, 9, testExtract)
	employersOf := func(user string) (map[string]bool, map[string]bool) {
		adj := apiAdjusted(t, site, user)
		cost := apiFigureAs[analytics.InterventionCost](t, site, user, "/api/v1/intervention-cost")
		est, ret := map[string]bool{}, map[string]bool{}
		for _, e := range adj.Estimates {
			if e.Employer != nil {
				est[*e.Employer] = true
				if e.Suppressed && (e.HazardRatio != nil || e.NTreated != nil) {
					t.Errorf("%s: the suppressed row of %s %s shows figures", user, *e.Employer, e.Method)
				}
			}
		}
		for _, r := range cost.Returns {
			if r.Employer != nil {
				ret[*r.Employer] = true
			}
		}
		return est, ret
	}
	for user, want := range map[string]int{"admin": 2, "provider": 2, "hr": 0} {
		est, ret := employersOf(user)
		if len(est) != want || len(ret) != want {
			t.Errorf("%s: estimates of employers %v, returns of %v; want %d employers", user, est, ret, want)
		}
		if want > 0 && (!est[client] || !est[storage.DefaultEmployer] || !ret[client]) {
			t.Errorf("%s: the employers are not named: %v", user, est)
		}
	}
	// The card of the installation is the pooled one: its treated cases
	// are the pooled row's.
	pooled := estimateOf(t, apiAdjusted(t, site, "admin"), analytics.InterventionTalk, analytics.MethodCoxTimeVarying)
	code, body := getAs(t, site, "admin", "/interventions/card/"+analytics.InterventionTalk)
	if code != http.StatusOK {
		t.Fatalf("the card: %d", code)
	}
	if pooled.Suppressed {
		t.Fatalf("the pooled row is suppressed (%s): the fixture is too small to tell it from an employer's", pooled.Reason)
	}
	if n := widgets.Count(pooled.NTreated); !strings.Contains(sectionOf(t, body, "card-groups"), "<td>"+n+"</td>") {
		t.Errorf("the installation's card does not show the pooled row's %s treated cases", n)
	}
}
