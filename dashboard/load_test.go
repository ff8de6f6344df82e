//go:build load

package dashboard

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/datasets"
)

// TestLoad puts 200 clients of every role on a realistic mix of pages and
// API routes with varied filters (loaddriver_test.go), on loopback only:
// first for 30 seconds against a cold cache; then, once every request of the
// mix has been asked once, for 30 seconds while the next export of the
// organisation (employments and absence, one month later) is imported
// through POST /api/v1/imports. Neither run may see a single error. Run with
//
//	go test -tags load -run TestLoad -v -timeout 30m ./dashboard/
//
// ABSENCE_LOAD_EMPLOYEES sizes the organisation (default 100,000),
// ABSENCE_LOAD_CLIENTS the clients (200) and ABSENCE_LOAD_SECONDS each run
// (30). Clients give up on a request after a minute, as a proxy would. A
// page answered with "being computed" placeholders is fetched again every
// 2 s until it is complete, as static/charts.js does; one that is not
// complete within 10 minutes counts as an error.
func TestLoad(t *testing.T) {
	employees, clients, seconds := envInt(t, "ABSENCE_LOAD_EMPLOYEES", 100_000), envInt(t, "ABSENCE_LOAD_CLIENTS", 200), envInt(t, "ABSENCE_LOAD_SECONDS", 30)
	duration, timeout := time.Duration(seconds)*time.Second, time.Minute
	site := newTestSiteSized(t, employees)
	site.locations = siteLocations(t, site)
	if n := envInt(t, "ABSENCE_LOAD_THREADS", 0); n > 0 { // DuckDB's threads; default one per core
		setting(t, site, fmt.Sprintf("SET threads = %d", n))
	}
	mix := newLoadMix(site)
	next := filepath.Join(t.TempDir(), "next")
	if _, err := datasets.WriteFiles(next, datasets.Config{Employees: employees, Seed: 3, ExtractDate: testExtract.AddDate(0, 1, 0)}, datasets.FormatNative); err != nil {
		t.Fatal(err)
	}
	label := fmt.Sprintf("%d clients, %s, %d employees", clients, duration, employees)

	t.Logf("load average before the runs (1, 5, 15 min; 2 cores shared): %s", loadAverage())
	site.server.Warm() // as ListenAndServe does when the server starts: the clients come at once
	cold := drive(t, site, mix, clients, duration, timeout)
	t.Logf("cold cache (%s): %s; %s", label, cold, computed(site))
	if cold.errors() > 0 {
		t.Errorf("cold cache: %d errors; first: %s", cold.errors(), strings.Join(cold.examples, "; "))
	}

	// The import run starts warm, as the finding's did ("warm, it held
	// 1,400 req/s"): what it measures is what the import does.
	n, took := warm(t, site, mix)
	t.Logf("warmed the cache with the %d distinct requests of the mix in %s", n, took.Round(time.Second))
	done := make(chan string, 1)
	go func() {
		time.Sleep(duration / 6) // import while the clients are busy
		var report []string
		for _, name := range []string{"employments.csv", "absence_periods.csv"} {
			began := time.Now()
			status, body := postImport(t, site, filepath.Join(next, name), testExtract.AddDate(0, 1, 0))
			report = append(report, fmt.Sprintf("%s: status %d in %s", name, status, time.Since(began).Round(100*time.Millisecond)))
			if status != http.StatusOK {
				t.Errorf("import %s: status %d: %s", name, status, body)
			}
		}
		done <- strings.Join(report, ", ")
	}()
	during := drive(t, site, mix, clients, duration, timeout)
	imported := <-done
	t.Logf("load average after the runs: %s", loadAverage())
	t.Logf("during an import (%s; %s): %s; %s", label, imported, during, computed(site))
	if during.errors() > 0 {
		t.Errorf("during an import: %d errors; first: %s", during.errors(), strings.Join(during.examples, "; "))
	}

	// Once the new figures have taken over, the clients meet what the
	// refresh did not get to.
	began := time.Now()
	poke := sessionClient(t, site, "hr", time.Minute) // a refresh starts on a request
	for !swapped(site) {
		if time.Since(began) > 2*refreshBudget {
			t.Fatalf("no new generation %s after the import", time.Since(began).Round(time.Second))
		}
		if resp, err := poke.Get(site.url + "/api/v1/kpis"); err == nil {
			resp.Body.Close()
		}
		time.Sleep(time.Second)
	}
	t.Logf("the new figures took over %s after the import run", time.Since(began).Round(time.Second))
	after := drive(t, site, mix, clients, duration, timeout)
	t.Logf("after the swap (%s): %s; %s", label, after, computed(site))
	if after.errors() > 0 {
		t.Errorf("after the swap: %d errors; first: %s", after.errors(), strings.Join(after.examples, "; "))
	}
}

// computed sums up the figures the database computed so far, with the
// costliest kinds.
func computed(site *testSite) string {
	totals := computeTotals(site.server)
	var n int
	var seconds float64
	var kinds []string
	for name, c := range totals {
		n, seconds = n+c.count, seconds+c.seconds
		kinds = append(kinds, name)
	}
	slices.SortFunc(kinds, func(a, b string) int { return cmp.Compare(totals[b].seconds, totals[a].seconds) })
	var top []string
	for _, k := range kinds[:min(6, len(kinds))] {
		top = append(top, fmt.Sprintf("%s %d× %.2f s", k, totals[k].count, totals[k].seconds/float64(totals[k].count)))
	}
	return fmt.Sprintf("%d figures computed so far, in %.0f s of query time (%s)", n, seconds, strings.Join(top, ", "))
}

// postImport sends a file to POST /api/v1/imports as the import command does
// (HTTP Basic authentication of an admin).
func postImport(t *testing.T, site *testSite, path string, extract time.Time) (int, string) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, err := w.CreateFormFile("file", filepath.Base(path))
	if err != nil {
		t.Error(err)
		return 0, ""
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Error(err)
		return 0, ""
	}
	part.Write(data)
	w.WriteField("extract_date", extract.Format("2006-01-02"))
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, site.url+"/api/v1/imports", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.SetBasicAuth("admin", site.password)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0, ""
	}
	defer resp.Body.Close()
	reply, _ := io.ReadAll(resp.Body)
	var r importReply
	json.Unmarshal(reply, &r)
	if r.Data != nil {
		return resp.StatusCode, fmt.Sprintf("%s (accepted %d, rejected %d)", r.Error, r.Data.Accepted, r.Data.Rejected)
	}
	return resp.StatusCode, string(reply)
}

func loadAverage() string {
	data, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(data))
	return strings.Join(f[:min(3, len(f))], " ")
}

func envInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatalf("$%s: %v", name, err)
	}
	return n
}
