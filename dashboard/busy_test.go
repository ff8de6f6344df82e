package dashboard

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestOutOfMemoryIsBusy: when DuckDB runs out of memory a script is told to
// try again shortly (503 with Retry-After and the API's JSON error), and a
// page shows "being computed" in place of the figures; never a server
// error.
func TestOutOfMemoryIsBusy(t *testing.T) {
	site := newTestSite(t)
	// Just above what the database holds now: no figure fits.
	var used int64
	if err := site.store.Reader().QueryRowContext(context.Background(), `SELECT sum(memory_usage_bytes) FROM duckdb_memory()`).Scan(&used); err != nil {
		t.Fatal(err)
	}
	// Set on a session kept open: closing the last session gives DuckDB back
	// the store's whole limit (an import's session lowers it meanwhile).
	sess, err := site.store.Session(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if _, err := sess.Conn().ExecContext(context.Background(), fmt.Sprintf(`SET memory_limit = '%dKB'`, used>>10+512)); err != nil {
		t.Fatal(err)
	}
	client := sessionClient(t, site, "hr", time.Minute)
	for _, path := range []string{"/api/v1/breakdown?by=location", "/breakdown?by=age"} {
		resp, err := client.Get(site.url + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.HasPrefix(path, "/api/") {
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), translate("nl", "widget_pending")) {
				t.Errorf("%s: status %d, want 200 saying in Dutch that the figures are being computed; body %.300s", path, resp.StatusCode, body)
			}
			continue
		}
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s: status %d, Retry-After %q, want 503 with Retry-After; body %.200s", path, resp.StatusCode, resp.Header.Get("Retry-After"), body)
			continue
		}
		var e apiError
		if err := json.Unmarshal(body, &e); err != nil || e.ErrorType != "unavailable" {
			t.Errorf("%s: body %s, want a JSON error of type unavailable", path, body)
		}
	}
}

// TestQueueTimeoutIsBusy: an API call whose figure is not ready within the
// queue time is told to try again shortly (503 with Retry-After), and one
// whose figure is cached is served meanwhile.
func TestQueueTimeoutIsBusy(t *testing.T) {
	site := newTestSite(t)
	client := sessionClient(t, site, "hr", time.Minute)
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := client.Get(site.url + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(body)
	}
	if resp, _ := get("/api/v1/kpis"); resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	// A short queue only once the figure is cached: on a busy machine the
	// warming at start could hold the one slot longer than 200 ms.
	site.server.slots = newQuerySlots(1, 200*time.Millisecond)
	holdSlots(t, site.server)
	if resp, _ := get("/api/v1/kpis"); resp.StatusCode != http.StatusOK {
		t.Errorf("cached figure while the slots are taken: status %d, want 200", resp.StatusCode)
	}
	began := time.Now()
	resp, body := get("/api/v1/series")
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("figure to compute while the slots are taken: status %d, Retry-After %q, want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if took := time.Since(began); took < 200*time.Millisecond || took > 5*time.Second {
		t.Errorf("answered after %s, want after the queue timeout of 200ms", took)
	}
	var e apiError
	if err := json.Unmarshal([]byte(body), &e); err != nil || e.ErrorType != "unavailable" {
		t.Errorf("body %s, want a JSON error of type unavailable", body)
	}
}

// setting changes a setting of the database (DuckDB's settings here are
// global), through the store's single writer.
func setting(t testing.TB, site *testSite, stmt string) {
	t.Helper()
	ctx := context.Background()
	sess, err := site.store.Session(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if _, err := sess.Conn().ExecContext(ctx, stmt); err != nil {
		t.Fatal(err)
	}
}
