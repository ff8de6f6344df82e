package dashboard

import (
	"net/http"
	"strings"
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
	s.slots.wait = 200 * time.Millisecond // what made a page "busy" before
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
	if n := strings.Count(body, "data-pending"); n != 3 || !strings.Contains(body, translate("nl", "widget_pending")) {
		t.Errorf("%d placeholders, want 3 saying in Dutch that the figures are being computed: %.3000s", n, body)
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
