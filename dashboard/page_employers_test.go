package dashboard

import (
	"net/http"
	"slices"
	"testing"

	"github.com/verzuim/absence/ingest/storage"
)

// A cold page of one employer's HR reads the summary (employees, cases,
// latest import) of that employer only: summarising every employer of the
// installation made its pages cost more the more clients a provider has
// (issue 12: a 50-employee client's page 3–8× the same page on a database
// of that employer alone).
func TestOneEmployerPageSummarisesOnlyItsEmployer(t *testing.T) {
	site := newTestSiteSized(t, 200)
	const client = "Klant B"
	addEmployer(t, site, client, 80, 9, testExtract)
	addEmployer(t, site, "Klant C", 80, 10, testExtract)
	for _, u := range []User{{Name: "hr-b", Role: RoleHR, Employer: client},
		{Name: "provider-bc", Role: RoleProvider, Provider: testProvider, Employers: []string{"Klant C", client}}} {
		if err := site.server.accounts.PutUser(u, site.password); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		user, path string
		want       []string
	}{
		{"hr-b", "/", []string{client}},
		{"hr-b", "/breakdown", []string{client}},
		{"hr", "/", []string{storage.DefaultEmployer}},
		// Those who choose between employers are offered theirs.
		{"provider-bc", "/interventions?employer=Klant+B", []string{client, "Klant C"}},
		{"provider", "/interventions", []string{storage.DefaultEmployer, client, "Klant C"}},
		{"admin", "/", []string{storage.DefaultEmployer, client, "Klant C"}},
	} {
		g := coldGeneration(t, site.server)
		if code, body := getAs(t, site, tc.user, tc.path); code != http.StatusOK {
			t.Fatalf("%s %s: HTTP %d\n%s", tc.user, tc.path, code, body)
		}
		slices.Sort(tc.want)
		if got := summarised(g); !slices.Equal(got, tc.want) {
			t.Errorf("%s's cold page %s summarised the employers %q, want %q", tc.user, tc.path, got, tc.want)
		}
	}
}

// coldGeneration drops every cached figure of the server, as after an
// import, and returns the new generation.
func coldGeneration(t *testing.T, s *Server) *generation {
	t.Helper()
	if _, err := s.serving(t.Context()); err != nil {
		t.Fatal(err)
	}
	s.genMu.Lock()
	defer s.genMu.Unlock()
	s.current = newGeneration(s.current.state)
	return s.current
}

// summarised names the employers whose summaries generation g holds,
// sorted.
func summarised(g *generation) []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []string
	for _, v := range g.entries {
		if list, ok := v.value.([]storage.EmployerSummary); ok {
			for _, e := range list {
				if !slices.Contains(out, e.Name) {
					out = append(out, e.Name)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}
