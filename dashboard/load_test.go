//go:build load

package dashboard

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestLoad puts 50 concurrent clients on the overview and breakdown pages for
// 30 seconds, on loopback only, and reports p50/p99 latencies. Run with
//
//	go test -tags load -run TestLoad -v -timeout 30m ./dashboard/
//
// ABSENCE_LOAD_EMPLOYEES sizes the organisation (default 20,000).
func TestLoad(t *testing.T) {
	employees := 20000
	if v := os.Getenv("ABSENCE_LOAD_EMPLOYEES"); v != "" {
		employees, _ = strconv.Atoi(v)
	}
	site := newTestSiteSized(t, employees)
	const clients, duration = 50, 30 * time.Second

	var mu sync.Mutex
	latencies := map[string][]time.Duration{}
	errors := 0
	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := loggedInClient(t, site, "hr")
			paths := []string{"/", "/breakdown"}
			for n := 0; time.Now().Before(deadline) && n < 100000; n++ {
				path := paths[(i+n)%2]
				start := time.Now()
				resp, err := client.Get(site.url + path)
				took := time.Since(start)
				ok := err == nil && resp.StatusCode == 200
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				mu.Lock()
				if ok {
					latencies[path] = append(latencies[path], took)
				} else {
					errors++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if errors > 0 {
		t.Errorf("%d requests failed", errors)
	}
	for _, path := range []string{"/", "/breakdown"} {
		l := latencies[path]
		slices.Sort(l)
		if len(l) == 0 {
			t.Fatalf("no successful requests to %s", path)
		}
		t.Logf("%-11s %6d requests  p50 %8s  p99 %8s  (%d clients, %s, %d employees)", path, len(l),
			l[len(l)/2].Round(time.Microsecond), l[len(l)*99/100].Round(time.Microsecond), clients, duration, employees)
	}
}

func loggedInClient(t *testing.T, site *testSite, user string) *http.Client {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: time.Minute}
	resp, err := client.Get(site.url + "/login")
	if err != nil {
		t.Error(err)
		return client
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	csrf := between(string(body), `name="csrf" value="`, `"`)
	resp, err = client.PostForm(site.url+"/login", url.Values{"csrf": {csrf}, "username": {user}, "password": {site.password}, "next": {"/"}})
	if err != nil {
		t.Error(err)
		return client
	}
	resp.Body.Close()
	return client
}

func between(s, from, to string) string {
	_, after, _ := strings.Cut(s, from)
	v, _, _ := strings.Cut(after, to)
	return v
}
