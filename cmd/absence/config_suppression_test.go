package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/dashboard"
	"github.com/verzuim/absence/datasets"
)

// The command line and the dashboard apply the same configuration: with
// suppression.min_employees = 20, `absence report --by department` hides
// exactly the departments the dashboard hides (its API, which the pages
// share), which are more than the default 10 hides. A report may not ask
// for less suppression than the configuration.
func TestReportHidesWhatTheDashboardHides(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "org.duckdb")
	data := filepath.Join(dir, "data")
	extract := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	if _, err := datasets.WriteFiles(data, datasets.Config{Employees: 400, Seed: 5, ExtractDate: extract}, "native"); err != nil {
		t.Fatal(err)
	}
	if err := runImport([]string{"--db", db, "--extract-date", "2026-06-30", filepath.Join(data, "employments.csv"), filepath.Join(data, "absence_periods.csv")}); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "absence.toml")
	if err := os.WriteFile(config, []byte(fmt.Sprintf("database = %q\n[suppression]\nmin_employees = 20\n", db)), 0o600); err != nil {
		t.Fatal(err)
	}
	period := []string{"--from", "2025-07-01", "--to", "2026-06-30", "--by", "department", "--format", "json"}

	// The command, as a real process: it must not hold the database while
	// the dashboard below has it.
	report := func(args ...string) map[string]bool {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "ABSENCE_CONFIG=", mainArgsEnv+"="+strings.Join(append([]string{"report"}, args...), "\n"))
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("absence report %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		var rep struct {
			Groups []struct {
				Group      string `json:"group"`
				Suppressed bool   `json:"suppressed"`
			} `json:"groups"`
		}
		if err := json.Unmarshal(out, &rep); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		hidden := map[string]bool{}
		for _, g := range rep.Groups {
			hidden[g.Group] = g.Suppressed
		}
		return hidden
	}
	configured := report(append([]string{"--config", config}, period...)...)
	byDefault := report(append([]string{"--db", db}, period...)...)
	raised := report(append([]string{"--config", config, "--min-employees", "30"}, period...)...)
	lowered := report(append([]string{"--config", config, "--min-employees", "10"}, period...)...)

	cfg, err := loadConfig(config)
	if err != nil {
		t.Fatal(err)
	}
	store, err := openStore(context.Background(), cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	accounts, _ := dashboard.OpenAccounts(filepath.Join(dir, "users.json"))
	accounts.Put("admin", "a-long-admin-password", dashboard.RoleAdmin, nil)
	srv, err := dashboard.New(store, accounts, cfg.dashboardConfig(store))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/v1/breakdown?by=department&from=2025-07-01&to=2026-06-30", nil)
	req.SetBasicAuth("admin", "a-long-admin-password")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var api struct {
		Data []struct {
			Group      string `json:"group"`
			Suppressed bool   `json:"suppressed"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&api); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("API: HTTP %d, %v", resp.StatusCode, err)
	}
	dashboardHides := map[string]bool{}
	for _, g := range api.Data[1:] { // the total first
		dashboardHides[g.Group] = g.Suppressed
	}

	if fmt.Sprint(configured) != fmt.Sprint(dashboardHides) {
		t.Errorf("with the same configuration the report hides %v and the dashboard %v", configured, dashboardHides)
	}
	count := func(m map[string]bool) (n int) {
		for _, hidden := range m {
			if hidden {
				n++
			}
		}
		return n
	}
	if count(configured) <= count(byDefault) || count(raised) < count(configured) {
		t.Errorf("departments hidden: %d at the configured 20, %d at the default 10, %d at 30; want more at 20 than at 10, and at 30 at least as many",
			count(configured), count(byDefault), count(raised))
	}
	// An operator may lower the threshold on purpose (scripts of earlier
	// releases pass --min-employees 5); the report then shows what the
	// default of 10 shows.
	if count(lowered) != count(byDefault) {
		t.Errorf("--min-employees 10 under a configured 20 hides %d departments, the default 10 hides %d", count(lowered), count(byDefault))
	}
}
