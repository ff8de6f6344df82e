package dashboard

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestPlaceholdersFillInWithoutReload: in a real browser, a page answered
// while the database was busy shows "being computed" in place of its
// charts; once the figures are computed, static/charts.js swaps the charts
// in — drawn, in the same document (no reload), with no script error.
func TestPlaceholdersFillInWithoutReload(t *testing.T) {
	site := newTestSiteSized(t, 200)
	s := site.server
	b := newBrowser(t)
	b.login(t, site, "hr") // the overview: the filter bar's lists are cached now
	s.cfg.WidgetTimeout = 300 * time.Millisecond
	release := holdSlots(t, s)
	// The duration classes are read off the overview's KPIs, cached at
	// login; the other four widgets need the database.
	charts := []string{"survivalCurve", "progressionMilestones", "cohortGrid"}
	b.do(t, chromedp.Navigate(site.url+"/durations"), chromedp.WaitVisible(chromedp.CSS("[data-pending]")))
	if n := eval[int](t, b, `document.querySelectorAll('[data-pending]').length`); n < 4 {
		t.Fatalf("%d placeholders on /durations with every query slot taken, want at least 4", n)
	}
	eval[int](t, b, `window.sameDocument = 42`)
	release()
	deadline := time.Now().Add(time.Minute)
	for eval[int](t, b, `document.querySelectorAll('[data-pending]').length`) > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the placeholders were still there a minute after the database was free")
		}
		time.Sleep(200 * time.Millisecond)
	}
	b.do(t, chromedp.Sleep(1500*time.Millisecond)) // the charts' entry animation
	for _, id := range charts {
		if n := eval[int](t, b, fmt.Sprintf(chartDrawn, id)); n < 1000 {
			t.Errorf("chart %s has %d drawn pixels after filling in", id, n)
		}
	}
	if v := eval[int](t, b, `window.sameDocument || 0`); v != 42 {
		t.Error("the page was reloaded to fill in its charts")
	}
	if errs := b.errors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}
