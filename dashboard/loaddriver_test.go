package dashboard

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/verzuim/absence/analytics"
)

// The load driver: clients of every role browse a realistic mix of pages and
// API routes with varied filters, on loopback only, for a bounded time. The
// short test below runs it in every `go test`; TestLoad (build tag load)
// runs it at full size.

// loadMix is what the clients ask for: routes per role and the filters they
// combine them with.
type loadMix struct {
	routes  map[Role][]string
	filters []string
	roles   []Role // one per client, in turn
}

// newLoadMix is the mix of a busy morning: most users open the overview or
// the breakdown of the whole organisation for the default year, fewer look
// at other pages, departments, locations, bands or last calendar year. A
// route or filter listed n times is asked n times as often.
func newLoadMix(site *testSite) loadMix {
	times := func(n int, s ...string) []string {
		var out []string
		for range n {
			out = append(out, s...)
		}
		return out
	}
	analyst := slices.Concat(times(6, "/"), times(3, "/breakdown"), times(2, "/trends", "/durations", "/api/v1/kpis"),
		[]string{"/breakdown?by=location", "/breakdown?by=age", "/breakdown.csv?by=team", "/api/v1/breakdown?by=hours",
			"/api/v1/series", "/api/v1/survival", "/api/v1/progression"})
	personal := slices.Concat(times(2, "/absentees", "/poortwachter"), []string{"/api/v1/tracks", "/api/v1/absentees"})
	outcomes := slices.Concat(times(2, "/interventions"), []string{"/api/v1/interventions", "/api/v1/landmark"})
	m := loadMix{routes: map[Role][]string{
		RoleHR:       slices.Concat(analyst, analyst, personal, outcomes),
		RoleAdmin:    slices.Concat(analyst, personal, outcomes),
		RoleManager:  analyst,
		RoleProvider: outcomes,
	}}
	m.filters = slices.Concat(times(10, ""), times(2, "from=2025-01-01&to=2025-12-31"), []string{"age=35-44", "hours=35%2B"})
	for i, d := range site.depts[:min(3, len(site.depts))] {
		m.filters = append(m.filters, times(max(2-i, 1), "dept="+url.QueryEscape(d))...)
	}
	m.filters = append(m.filters, "dept="+url.QueryEscape(site.depts[0])+"&from=2025-01-01&to=2025-12-31")
	for _, l := range site.locations[:min(2, len(site.locations))] {
		m.filters = append(m.filters, "loc="+url.QueryEscape(l))
	}
	// Most users are HR; a few managers, admins and providers.
	m.roles = []Role{RoleHR, RoleHR, RoleHR, RoleHR, RoleHR, RoleManager, RoleManager, RoleAdmin, RoleProvider, RoleHR}
	return m
}

// path picks a request for a client of role r.
func (m loadMix) path(r Role, rng *rand.Rand) string {
	routes := m.routes[r]
	return m.join(r, routes[rng.IntN(len(routes))], m.filters[rng.IntN(len(m.filters))])
}

// join adds filter f to route p as a user of role r would have it.
func (m loadMix) join(r Role, p, f string) string {
	if r == RoleManager && strings.Contains(f, "dept=") {
		f = "" // a manager filters within their own departments only
	}
	if f == "" {
		return p
	}
	if strings.Contains(p, "?") {
		return p + "&" + f
	}
	return p + "?" + f
}

// loadResult is what a run of the driver saw.
type loadResult struct {
	ok        []time.Duration // latencies of the 200 answers (not counting the polls of placeholders)
	status    map[int]int     // answers other than 200, by status, the polls' included
	transport int             // requests without an answer (timeouts, resets)
	examples  []string        // the first few failures, for the log
	elapsed   time.Duration
	peakRSSkB int64  // VmHWM of this process during the run, when the kernel can reset it
	heapMB    uint64 // Go heap in use at the end (the cached figures among it)

	partial  int             // pages answered with "being computed" placeholders
	polls    int             // fetches of those pages again, as static/charts.js does
	fills    []time.Duration // from the first answer of a partial page until it came complete
	unfilled int             // partial pages still incomplete when their client gave up
	lastFill time.Duration   // from the start of the run until the last placeholder was filled
}

func (r loadResult) errors() int {
	n := r.transport
	for _, c := range r.status {
		n += c
	}
	return n + r.unfilled
}

// kinds are the errors by kind.
func (r loadResult) kinds() string {
	var busy, server, client int
	for code, n := range r.status {
		switch {
		case code == http.StatusServiceUnavailable:
			busy += n
		case code >= 500:
			server += n
		default:
			client += n
		}
	}
	return fmt.Sprintf("%d× 503, %d other 5xx, %d timeouts or resets, %d client errors (4xx), %d pages never filled in", busy, server, r.transport, client, r.unfilled)
}

func (r loadResult) String() string {
	rss := "unknown"
	if r.peakRSSkB > 0 {
		rss = fmt.Sprintf("%d MB", r.peakRSSkB>>10)
	}
	p50, p99 := percentiles(r.ok)
	fill50, fill99 := percentiles(r.fills)
	return fmt.Sprintf("%d requests in %s (%.0f/s): %d errors (%s); p50 %s, p99 %s; %d pages answered partially, filled in after p50 %s, p99 %s (%d polls), the last %s after the start; peak RSS %s (Go heap at the end %d MB)",
		len(r.ok)+r.errors(), r.elapsed.Round(100*time.Millisecond), float64(len(r.ok)+r.errors())/r.elapsed.Seconds(),
		r.errors(), r.kinds(), p50.Round(time.Millisecond), p99.Round(time.Millisecond),
		r.partial, fill50.Round(100*time.Millisecond), fill99.Round(100*time.Millisecond), r.polls, r.lastFill.Round(100*time.Millisecond), rss, r.heapMB)
}

func percentiles(l []time.Duration) (p50, p99 time.Duration) {
	l = slices.Clone(l)
	slices.Sort(l)
	if len(l) > 0 {
		p50, p99 = l[len(l)/2], l[len(l)*99/100]
	}
	return p50, p99
}

// pollEvery and pollFor are how static/charts.js fetches a page with
// placeholders again (it backs off to 10 s; the driver keeps 2 s, which
// loads the server more) and how long a client keeps doing so.
const (
	pollEvery = 2 * time.Second
	pollFor   = 10 * time.Minute
)

// get asks for path and reads the answer: its status, and whether it is a
// page with placeholders. It reads the body as it comes, without holding
// it: the clients run in the server's process, and some pages are megabytes.
func get(client *http.Client, url string) (status int, partial bool, err error) {
	resp, err := client.Get(url)
	if err != nil {
		return 0, false, err
	}
	defer resp.Body.Close()
	marker := []byte("data-pending")
	buf := make([]byte, 32<<10)
	kept := 0 // the end of the previous read, in case the marker spans two
	for {
		n, err := resp.Body.Read(buf[kept:])
		partial = partial || bytes.Contains(buf[:kept+n], marker)
		if err == io.EOF {
			return resp.StatusCode, partial, nil
		}
		if err != nil {
			return resp.StatusCode, partial, err
		}
		next := min(len(marker)-1, kept+n)
		copy(buf, buf[kept+n-next:kept+n])
		kept = next
	}
}

// drive runs clients against the site until the duration ends (a request
// still running then is waited for, and a page with placeholders is fetched
// again until it is complete, as the browser does). Each client is logged in
// as a user of its role and picks its requests with its own seeded
// generator.
func drive(t testing.TB, site *testSite, mix loadMix, clients int, duration, timeout time.Duration) loadResult {
	t.Helper()
	res := loadResult{status: map[int]int{}}
	resetPeakRSS()
	users := map[Role]string{RoleHR: "hr", RoleAdmin: "admin", RoleManager: "manager", RoleProvider: "provider"}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(duration)
	for i := range clients {
		role := mix.roles[i%len(mix.roles)]
		client := sessionClient(t, site, users[role], timeout)
		rng := rand.New(rand.NewPCG(uint64(i), 9))
		wg.Go(func() {
			failed := func(path string, status int, err error) bool {
				if err == nil && status == http.StatusOK {
					return false
				}
				if err != nil {
					res.transport++
				} else {
					res.status[status]++
				}
				if len(res.examples) < 5 {
					res.examples = append(res.examples, fmt.Sprintf("%s %s: status %d, error %v", role, path, status, err))
				}
				return true
			}
			for time.Now().Before(deadline) {
				path := mix.path(role, rng)
				began := time.Now()
				status, partial, err := get(client, site.url+path)
				took := time.Since(began)
				mu.Lock()
				if !failed(path, status, err) {
					res.ok = append(res.ok, took)
				}
				if partial {
					res.partial++
				}
				mu.Unlock()
				answered := time.Now()
				for partial && time.Since(answered) < pollFor {
					time.Sleep(pollEvery)
					status, partial, err = get(client, site.url+path)
					mu.Lock()
					res.polls++
					if failed(path, status, err) {
						partial = false
					} else if !partial {
						res.fills = append(res.fills, time.Since(answered))
						res.lastFill = max(res.lastFill, time.Since(start))
					}
					mu.Unlock()
				}
				if partial {
					mu.Lock()
					res.unfilled++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.peakRSSkB = peakRSS()
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)
	res.heapMB = mem.HeapInuse >> 20
	return res
}

// warm asks for every request of the mix once, as each role, two at a
// time, so that the cache holds what the clients will ask for.
func warm(t testing.TB, site *testSite, mix loadMix) (requests int, took time.Duration) {
	t.Helper()
	began := time.Now()
	type request struct {
		user, path string
	}
	users := map[Role]string{RoleHR: "hr", RoleAdmin: "admin", RoleManager: "manager", RoleProvider: "provider"}
	seen := map[request]bool{}
	queue := make(chan request, 10000)
	for role, routes := range mix.routes {
		for _, r := range routes {
			for _, f := range mix.filters {
				q := request{users[role], mix.join(role, r, f)}
				if !seen[q] {
					seen[q] = true
					queue <- q
				}
			}
		}
	}
	close(queue)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			clients := map[string]*http.Client{}
			for q := range queue {
				if clients[q.user] == nil {
					clients[q.user] = sessionClient(t, site, q.user, 10*time.Minute)
				}
				for {
					status, partial, err := get(clients[q.user], site.url+q.path)
					if err != nil || status != http.StatusOK {
						t.Errorf("warming %s as %s: status %d, error %v", q.path, q.user, status, err)
					}
					if !partial {
						break
					}
					time.Sleep(pollEvery)
				}
			}
		}()
	}
	wg.Wait()
	return len(seen), time.Since(began)
}

// sessionClient is an HTTP client carrying a fresh session of user (created
// directly, so a few hundred clients do not meet the login rate limit).
func sessionClient(t testing.TB, site *testSite, user string, timeout time.Duration) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(site.url)
	jar.SetCookies(u, []*http.Cookie{sessionCookieFor(t, site, user)})
	return &http.Client{Jar: jar, Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// resetPeakRSS resets this process's VmHWM (Linux ≥ 4.0), so peakRSS reads
// the peak of what follows.
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS reads VmHWM in kB; 0 where /proc is not available.
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// siteLocations lists the locations of the site's organisation, for filters.
func siteLocations(t testing.TB, site *testSite) []string {
	t.Helper()
	b, err := analytics.Breakdown(context.Background(), site.store.Reader(), analytics.Filter{From: testExtract.AddDate(-1, 0, 1), To: testExtract}, analytics.ByLocation, analytics.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, g := range b.Groups {
		out = append(out, g.Key)
	}
	return out
}

// TestShortLoad is the everyday version of TestLoad: a few clients of every
// role on a small organisation with a cold cache, for a few seconds, and not
// one error.
func TestShortLoad(t *testing.T) {
	site := newTestSite(t)
	site.locations = siteLocations(t, site)
	// The suite runs on shared machines: wait for slots longer than a server
	// would, so only a fault fails the test, not a busy neighbour.
	site.server.slots = newQuerySlots(0, 2*time.Minute)
	res := drive(t, site, newLoadMix(site), 6, 2*time.Second, 3*time.Minute)
	t.Log(res)
	if res.errors() > 0 || len(res.ok) == 0 {
		t.Errorf("%s; first failures: %s", res, strings.Join(res.examples, "; "))
	}
}
