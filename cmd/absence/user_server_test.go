package main

import (
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/dashboard"
)

// Issue 14, item 6, as the README tells it: while the demo's dashboard
// runs, 'absence user add' checks a manager's departments against the
// data (the nearest name suggested), and the manager can log in at once;
// 'absence user remove' takes the account away as promptly.
func TestUserAddWhileTheDashboardRuns(t *testing.T) {
	db, _, ts := serveDemo(t, 300)
	status := func(user, password string) int {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/v1/kpis", nil)
		req.SetBasicAuth(user, password)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := status("demo", demoPassword); got != http.StatusOK {
		t.Fatalf("the demo's admin: %d", got)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(dashboard.UnitsPath(db)); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the server did not list the departments beside the database")
		}
	}

	add := []string{"user", "add", "--db", db, "--employer", "Bakkerij Jansen", "--role", "manager"}
	for _, c := range []struct {
		depts string
		code  int
		want  string
	}{
		{"Zorg en Welzijn,ICT", 1, `employer "Bakkerij Jansen" has no department "Zorg en Welzijn" in the last three years; did you mean "Zorg & Welzijn"?`},
		{"Zorg & Welzijn,Logistik", 1, `did you mean "Logistiek"?`},
		{"Zorg & Welzijn,ICT", 0, "User mia saved: manager of Bakkerij Jansen, departments Zorg & Welzijn, ICT."},
	} {
		code, out := absenceWithInput(t, "a-long-password\n", append(add, "--departments", c.depts, "mia")...)
		if code != c.code || !strings.Contains(out, c.want) {
			t.Errorf("user add --departments %q: exit %d, want %d and %q:\n%s", c.depts, code, c.code, c.want, out)
		}
	}
	if code, out := absenceWithInput(t, "a-long-password\n", "user", "add", "--db", db, "--employer", "Bakkerij Jansn", "--role", "hr", "anna"); code != 1 ||
		!strings.Contains(out, `employer "Bakkerij Jansn": no such employer; did you mean "Bakkerij Jansen"?`) {
		t.Errorf("user add for a misspelt employer: exit %d\n%s", code, out)
	}
	if got := status("mia", "a-long-password"); got != http.StatusOK {
		t.Errorf("the manager added while the server runs: %d, want 200 without a restart", got)
	}
	if code, out := absence(t, "user", "remove", "--db", db, "mia"); code != 0 {
		t.Fatalf("user remove: %d\n%s", code, out)
	}
	if got := status("mia", "a-long-password"); got != http.StatusUnauthorized {
		t.Errorf("the manager removed while the server runs: %d, want 401", got)
	}
}
