package dashboard

import (
	"net/http"
	"testing"
)

// Issue 14, item 6: a user added, changed or removed with 'absence user'
// (another process writing the users file) takes effect on the running
// server without a restart, and the server's own changes (a language
// switch) do not write over them.
func accountsTakeEffectWithoutRestart(t *testing.T, site *testSite) {
	path := site.server.accounts.path
	status := func(path, user, password string) int {
		req, _ := http.NewRequest(http.MethodGet, site.url+path, nil)
		req.SetBasicAuth(user, password)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	cli := func() *Accounts { // as 'absence user' opens the file
		a, err := OpenAccounts(path)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	if got := status("/api/v1/tracks", "newbie", "password-one"); got != http.StatusUnauthorized {
		t.Fatalf("an unknown user: %d", got)
	}
	if err := cli().PutUser(User{Name: "newbie", Role: RoleHR}, "password-one"); err != nil {
		t.Fatal(err)
	}
	if got := status("/api/v1/tracks", "newbie", "password-one"); got != http.StatusOK {
		t.Errorf("a user added while the server runs: %d, want 200 without a restart", got)
	}
	if err := site.server.accounts.SetLang("admin", "en"); err != nil {
		t.Fatal(err)
	}
	if _, ok := cli().User("newbie"); !ok {
		t.Error("the server's language switch wrote over the user added beside it")
	}
	if err := cli().PutUser(User{Name: "newbie", Role: RoleManager, Departments: site.depts[:1]}, "password-two"); err != nil {
		t.Fatal(err)
	}
	if got := status("/api/v1/kpis", "newbie", "password-one"); got != http.StatusUnauthorized {
		t.Errorf("the old password after a change: %d, want 401", got)
	}
	if got := status("/api/v1/tracks", "newbie", "password-two"); got != http.StatusForbidden {
		t.Errorf("HR made manager: Poortwachter answers %d, want 403", got)
	}
	u, _ := cli().User("newbie")
	cookie, _ := site.server.sessions.create("newbie", u.SessionGen)
	req, _ := http.NewRequest(http.MethodGet, site.url+"/api/v1/kpis", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the manager's session: %v %v", resp.Status, err)
	}
	if err := cli().Remove("newbie"); err != nil {
		t.Fatal(err)
	}
	if got := status("/api/v1/kpis", "newbie", "password-two"); got != http.StatusUnauthorized {
		t.Errorf("a removed user's password: %d, want 401", got)
	}
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a removed user's session: %v %v, want 401", resp.Status, err)
	}
}
