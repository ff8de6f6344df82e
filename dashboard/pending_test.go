package dashboard

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestColdPageAnswersAtOnceWithPlaceholders: a page whose figures are not
// computed yet, on a server whose query slots are all taken, answers 200
// within the widget timeout, with "being computed" in place of each widget
// (not 503 "busy"); once the database is free the same page fills in
// without anyone asking for the figures again.
func TestColdPageAnswersAtOnceWithPlaceholders(t *testing.T) {
	site := newTestSiteSized(t, 200)
	s := site.server
	s.cfg.WidgetTimeout = 300 * time.Millisecond
	s.slots.wait = 200 * time.Millisecond   // what made a page "busy" before
	getAs(t, site, "hr", "/api/v1/imports") // fix the serving generation
	release := holdSlots(t, s)
	began := time.Now()
	code, body := getAs(t, site, "hr", "/trends")
	took := time.Since(began)
	if code != http.StatusOK {
		t.Fatalf("/trends with every query slot taken: status %d, want 200 with placeholders: %.300s", code, body)
	}
	if took > 5*time.Second {
		t.Errorf("answered after %s, want within about the widget timeout", took)
	}
	for _, w := range []string{"trendZVP", "trendZMF", "seasonZVP"} {
		if strings.Contains(body, `data-chart="`+w+`"`) {
			t.Errorf("%s drawn while its figures cannot have been computed", w)
		}
	}
	// One per widget, and the filter bar's lists of departments and
	// locations, in Dutch.
	if n := strings.Count(body, "data-pending"); n != 4 || strings.Count(body, translate("nl", "widget_pending")) != 3 || !strings.Contains(body, translate("nl", "filters_pending")) {
		t.Errorf("%d placeholders, want 3 widgets and the filter bar's lists saying in Dutch that they are being computed: %.3000s", n, body)
	}
	release()
	// The computations the page started go on without it: the figures are
	// computed once, and a later look finds them.
	deadline := time.Now().Add(time.Minute)
	for computations(site, "series") < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("the page's figures were not computed after it was answered: series computed %d times", computations(site, "series"))
		}
		time.Sleep(20 * time.Millisecond)
	}
	code, body = getAs(t, site, "hr", "/trends")
	if code != http.StatusOK || strings.Contains(body, "data-pending") || !strings.Contains(body, `data-chart="trendZVP"`) {
		t.Errorf("/trends once computed: status %d, still a placeholder or no chart: %.3000s", code, body)
	}
	if got := computations(site, "series"); got != 2 {
		t.Errorf("series computed %d times, want 2 (12 months and five years), once each", got)
	}
}

// TestComputationOutlivesItsRequest: a client that gives up (its timeout, a
// closed connection) leaves the shared computation running; it is computed
// once the database is free, and the next request gets it at once.
func TestComputationOutlivesItsRequest(t *testing.T) {
	site := newTestSiteSized(t, 200)
	s := site.server
	s.slots.wait = 200 * time.Millisecond
	getAs(t, site, "hr", "/api/v1/imports")
	release := holdSlots(t, s)
	impatient := sessionClient(t, site, "hr", 100*time.Millisecond)
	if resp, err := impatient.Get(site.url + "/api/v1/survival?age=35-44"); err == nil {
		resp.Body.Close()
		t.Fatalf("status %d, want the client to give up while the slots are taken", resp.StatusCode)
	}
	time.Sleep(500 * time.Millisecond) // past the queue time
	release()
	deadline := time.Now().Add(time.Minute)
	for computations(site, "survival") < 1 {
		if time.Now().After(deadline) {
			t.Fatal("the figure the client gave up on was never computed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code, body := getAs(t, site, "hr", "/api/v1/survival?age=35-44"); code != http.StatusOK {
		t.Errorf("status %d: %.300s", code, body)
	}
	if got := computations(site, "survival"); got != 1 {
		t.Errorf("survival computed %d times, want once", got)
	}
}

// TestSlotsServeAnswersFirst: when a slot comes free it goes to the most
// urgent computation waiting (an API call or download, then a page's
// widget, then warming), in arrival order within each; a page's computation
// that an API call joins moves up, and one whose askers all gave up moves
// behind the warming.
func TestSlotsServeAnswersFirst(t *testing.T) {
	q := newQuerySlots(1, time.Minute)
	if err := q.acquire(context.Background(), "held", prioAnswer); err != nil {
		t.Fatal(err)
	}
	order := make(chan string, 6)
	var wg sync.WaitGroup
	wait := func(key string, p priority) (done func()) {
		done = q.ask(key, p)
		wg.Go(func() {
			if err := q.run(context.Background(), key, p, func() error { order <- key; return nil }); err != nil {
				t.Error(err)
			}
		})
		for { // queued in this order
			q.mu.Lock()
			_, ok := q.waiting[key]
			q.mu.Unlock()
			if ok {
				return done
			}
			time.Sleep(time.Millisecond)
		}
	}
	wait("warm", prioBackground)
	wait("page 1", prioPage)
	gaveUp := wait("api, given up", prioAnswer)
	wait("page 2", prioPage)
	wait("api", prioAnswer)
	wait("page joined by an api call", prioPage)
	joined := q.ask("page joined by an api call", prioAnswer)
	gaveUp()
	q.release()
	wg.Wait()
	joined()
	close(order)
	var got []string
	for k := range order {
		got = append(got, k)
	}
	want := []string{"api", "page joined by an api call", "page 1", "page 2", "warm", "api, given up"}
	if !slices.Equal(got, want) {
		t.Errorf("served %q, want %q", got, want)
	}
	if q.free != 1 || len(q.waiting) != 0 {
		t.Errorf("after all: %d free, %d waiting; want 1 free and none waiting", q.free, len(q.waiting))
	}
}

// TestCloseStopsComputations: a server shutting down stops the computations
// nobody will see: a request waiting for one is answered "busy" (503), not
// left hanging, and the figure is not computed afterwards.
func TestCloseStopsComputations(t *testing.T) {
	site := newTestSiteSized(t, 200)
	s := site.server
	getAs(t, site, "hr", "/api/v1/imports")
	release := holdSlots(t, s)
	answered := make(chan int, 1)
	go func() {
		code, _ := getAs(t, site, "hr", "/api/v1/progression")
		answered <- code
	}()
	time.Sleep(200 * time.Millisecond)
	s.Close()
	select {
	case code := <-answered:
		if code != http.StatusServiceUnavailable {
			t.Errorf("request waiting at shutdown: status %d, want 503", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("request still waiting 10 s after the shutdown")
	}
	release()
	time.Sleep(200 * time.Millisecond)
	if n := computations(site, "progression"); n != 0 {
		t.Errorf("progression computed %d times after the shutdown, want 0", n)
	}
}

// TestWarmComputesDefaultViews: after Warm, every page's default view is
// computed without a request, so the first visitor of each page finds it
// ready.
func TestWarmComputesDefaultViews(t *testing.T) {
	site := newTestSiteSized(t, 200)
	s := site.server
	s.Warm()
	deadline := time.Now().Add(time.Minute)
	for _, figure := range []string{"kpis", "series", "breakdown/department", "survival", "tracks", "absentees", "interventions", "landmark"} {
		for computations(site, figure) == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("%s not computed a minute after Warm", figure)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	for warming := true; warming; {
		s.warm.mu.Lock()
		warming = s.warm.running
		s.warm.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatal("still warming a minute after Warm")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// A page answers within seconds and leaves the rest computing on the
	// server: on a busy machine the warming's last figures may still be
	// running. Wait until no figure has finished for 3 s.
	for last, quiet := computeTotals(s), 0; quiet < 3; {
		time.Sleep(time.Second)
		now := computeTotals(s)
		if maps.Equal(now, last) {
			quiet++
		} else {
			quiet = 0
		}
		last = now
		if time.Now().After(deadline) {
			t.Fatal("figures still being computed a minute after Warm")
		}
	}
	// What the warming asked for is not remembered as a user's request: a
	// refresh would replay it without a handler.
	s.genMu.Lock()
	g := s.current
	s.genMu.Unlock()
	for _, r := range g.replays() {
		if r.handler == nil {
			t.Errorf("%s remembered for replaying without a handler", r.url.String())
		}
	}
	// Nothing may need computing now: with every query slot held, a figure
	// that is not cached cannot be computed and its place stays "being
	// computed". The timeout only leaves room for assembling cached figures
	// on a busy machine (1 ms was not always enough).
	s.cfg.WidgetTimeout = 2 * time.Second
	release := holdSlots(t, s)
	defer release()
	for _, e := range pages {
		if e.widgets == nil {
			continue
		}
		code, body := getAs(t, site, "admin", e.path)
		if code != http.StatusOK || strings.Contains(body, "data-pending") {
			t.Errorf("%s after warming: status %d, placeholders %d: %s", e.path, code, strings.Count(body, "data-pending"), pendingPlaces(body))
		}
	}
}

// pendingPlaces names what a page still computes: the sections around its
// placeholders.
func pendingPlaces(body string) []string {
	var out []string
	for i := strings.Index(body, "data-pending"); i >= 0; {
		from := max(0, i-200)
		out = append(out, body[from:i])
		j := strings.Index(body[i+1:], "data-pending")
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return out
}
