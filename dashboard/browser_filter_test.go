package dashboard

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// testFiltersSurviveNavigation sets a filter (a department and a period) on
// the overview and goes through every page by the menu, the breakdown's
// dimensions, a download and the language switch: the filter stays in the
// URL and applied, and a menu link opened as a bookmark keeps it too. It
// runs inside TestDashboardInABrowser, logged in as admin.
func testFiltersSurviveNavigation(t *testing.T, b *browser, site *testSite) {
	dept, from, to := site.depts[1], "2025-01-01", "2025-12-31"
	b.do(t, chromedp.Navigate(site.url+"/"), chromedp.WaitVisible(chromedp.ID("filter-dept")),
		chromedp.SetValue(chromedp.ID("filter-dept"), dept),
		chromedp.SetValue(chromedp.CSS(`form.filters input[name="from"]`), from),
		chromedp.SetValue(chromedp.CSS(`form.filters input[name="to"]`), to))
	b.follow(t, `form.filters button[type="submit"]`)

	// applied checks the page's URL and, where the page has one, its filter
	// bar; on the overview also that the figures are those of the filter.
	applied := func(t *testing.T, where string) {
		t.Helper()
		q := eval[map[string]string](t, b, `Object.fromEntries(new URLSearchParams(location.search))`)
		if q["dept"] != dept || q["from"] != from || q["to"] != to {
			t.Errorf("%s: the URL is %s", where, eval[string](t, b, `location.href`))
		}
		bar := eval[[]string](t, b, `(() => {
			const d = document.getElementById('filter-dept');
			return d ? [d.value, document.querySelector('form.filters input[name="from"]').value, document.querySelector('form.filters input[name="to"]').value] : [];
		})()`)
		if len(bar) > 0 && (bar[0] != dept || bar[1] != from || bar[2] != to) {
			t.Errorf("%s: the filter bar shows %q", where, bar)
		}
		if eval[string](t, b, `location.pathname`) == "/" {
			want := eval[string](t, b, `fetch('/api/v1/kpis' + location.search).then(r => r.json()).then(j => j.data.zvp_pct.toFixed(1).replace('.', ',') + '%')`)
			if got := eval[string](t, b, `document.querySelector('#tile-zvp_pct .value').textContent`); got != want {
				t.Errorf("%s: the ZVP tile shows %s, the filtered figure is %s", where, got, want)
			}
		}
	}
	applied(t, "after applying the filter")

	menu := eval[[]string](t, b, `[...document.querySelectorAll('header nav a')].map(a => a.textContent)`)
	if len(menu) < 8 {
		t.Fatalf("the admin's menu has %q", menu)
	}
	for i, name := range append(menu, menu[0]) { // and back from the last page
		b.follow(t, fmt.Sprintf("header nav a:nth-of-type(%d)", i%len(menu)+1))
		applied(t, "menu "+name)
	}

	b.do(t, chromedp.Navigate(site.url+"/breakdown"+eval[string](t, b, `location.search`)), chromedp.WaitVisible(chromedp.ID("breakdown-csv")))
	for _, dim := range []string{"location", "team"} {
		b.follow(t, `nav.dims a[href*="by=`+dim+`"]`)
		applied(t, "breakdown by "+dim)
	}
	// A bar's drill-down (what a click opens, see charts.js) keeps the period.
	b.follow(t, `nav.dims a[href*="by=department"]`)
	links := eval[[]string](t, b, `JSON.parse(document.querySelector('script[data-chart="breakdownZVP"]').textContent).links.filter(l => l)`)
	if len(links) == 0 {
		t.Fatal("the department chart has no drill-down")
	}
	b.do(t, chromedp.Navigate(site.url+links[0]), chromedp.WaitVisible(chromedp.ID("breakdown-csv")))
	applied(t, "drill-down "+links[0])

	// The download is the filtered table: by team within the department.
	rows := eval[[]string](t, b, `fetch(document.getElementById('breakdown-csv').href).then(r => r.text()).then(s => s.trim().split('\n').slice(2))`)
	for _, r := range rows {
		if f := strings.Split(r, ";"); len(f) < 2 || f[1] != dept { // the Dutch CSV
			t.Errorf("the CSV download has rows outside %s: %s", dept, r)
			break
		}
	}
	if len(rows) == 0 {
		t.Error("the CSV download has no teams")
	}

	b.follow(t, `form[action="/lang"] button`)
	if lang := eval[string](t, b, `document.documentElement.lang`); lang != "en" {
		t.Errorf("after the language switch the page is in %q", lang)
	}
	applied(t, "language switch")
	b.follow(t, `form[action="/lang"] button`)

	// A menu link kept as a bookmark opens the filtered page.
	bookmark := eval[string](t, b, `document.querySelector('header nav a[href^="/trends"]').href`)
	b.do(t, chromedp.Navigate("about:blank"), chromedp.Sleep(50*time.Millisecond), chromedp.Navigate(bookmark), chromedp.WaitVisible(chromedp.CSS("main")))
	applied(t, "bookmark "+bookmark)
	if errs := b.errors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}

// follow clicks a link or button and waits for the next page.
func (b *browser) follow(t *testing.T, selector string) {
	t.Helper()
	b.do(t, chromedp.Evaluate[chromedp.Void](`document.body.insertAdjacentHTML('beforeend', '<i id="stale-page"></i>')`),
		chromedp.Click(chromedp.CSS(selector)),
		chromedp.WaitNotPresent(chromedp.ID("stale-page")), chromedp.WaitVisible(chromedp.CSS("main")))
}
