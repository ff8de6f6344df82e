package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/verzuim/absence/dashboard"
	"github.com/verzuim/absence/ingest/storage"
)

// The demo is a provider with five client employers, a login per employer
// and one for the provider; every figure it prints is the one the
// dashboard shows that employer's HR (issue 14: "91 open" where the
// dashboard said 86).
func TestDemoPrintsWhatTheDashboardShows(t *testing.T) {
	_, out, ts := serveDemo(t, 300)
	for _, want := range []string{"provider     provider staff of ArboPlus Nederland", "demo         installation admin", "hr-bakkerij  HR of Bakkerij Jansen"} {
		if !strings.Contains(out, want) {
			t.Errorf("the demo does not print %q:\n%s", want, out)
		}
	}
	line := regexp.MustCompile(`(?m)^  (\S.*?)\s+(\d+) employees, absence rate ([0-9.]+)%, (\d+) open cases$`)
	lines := line.FindAllStringSubmatch(out, -1)
	if len(lines) != len(demoEmployers(300)) {
		t.Fatalf("%d employers printed, want %d:\n%s", len(lines), len(demoEmployers(300)), out)
	}
	for _, m := range lines {
		user := "hr-" + strings.ToLower(strings.Fields(m[1])[0])
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/v1/kpis", nil)
		req.SetBasicAuth(user, demoPassword)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Data struct {
				Employees int64   `json:"employees"`
				ZVP       float64 `json:"zvp_pct"`
				Open      int64   `json:"open_cases"`
			} `json:"data"`
		}
		err = json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %v", user, resp.StatusCode, err)
		}
		d := got.Data
		if shown := []string{m[2], m[3], m[4]}; strings.Join(shown, " ") != strings.Join([]string{itoa(d.Employees), percentOf(d.ZVP), itoa(d.Open)}, " ") {
			t.Errorf("%s: the demo printed %v, the dashboard shows %d employees, %.1f%%, %d open", m[1], shown, d.Employees, d.ZVP, d.Open)
		}
	}

	// What the imports stored, against the import history the installation
	// admin sees.
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/v1/imports", nil)
	req.SetBasicAuth("demo", demoPassword)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var history struct {
		Data struct {
			History []storage.ImportRecord `json:"history"`
		} `json:"data"`
	}
	err = json.NewDecoder(resp.Body).Decode(&history)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	stored, rejected := map[string]int64{}, map[string]int64{}
	for _, r := range history.Data.History {
		if r.Status == "committed" {
			stored[r.Employer] += r.Accepted
			rejected[r.Employer] += r.Rejected
		}
	}
	imported := regexp.MustCompile(`(?m)^  (\S.*?)\s+4 exports imported: (\d+) rows stored, (\d+) rejected$`).FindAllStringSubmatch(out, -1)
	if len(imported) != len(demoEmployers(300)) {
		t.Fatalf("%d employers' imports printed, want %d:\n%s", len(imported), len(demoEmployers(300)), out)
	}
	for _, m := range imported {
		if m[2] != itoa(stored[m[1]]) || m[3] != itoa(rejected[m[1]]) {
			t.Errorf("%s: the demo printed %s stored and %s rejected, the import history says %d and %d", m[1], m[2], m[3], stored[m[1]], rejected[m[1]])
		}
	}
}

func itoa(n int64) string { return count(&n) }

func percentOf(p float64) string { return strings.TrimSuffix(percent(&p), "%") }

// serveDemo fills a demo database of the given size and serves its
// dashboard in process, as 'absence demo' would; it returns the database,
// what the demo printed and the server.
func serveDemo(t *testing.T, employees int) (db, out string, ts *httptest.Server) {
	t.Helper()
	db = filepath.Join(t.TempDir(), "demo.duckdb")
	code, out := absence(t, "demo", "--db", db, "--employees", strconv.Itoa(employees), "--no-serve")
	if code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, out)
	}
	store, err := storage.Open(t.Context(), db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	accounts, err := dashboard.OpenAccounts(dashboard.AccountsPath(db))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := dashboard.New(store, accounts, dashboard.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ts = httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return db, out, ts
}
