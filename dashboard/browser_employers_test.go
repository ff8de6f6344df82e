package dashboard

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// In a browser: provider staff land on the client overview, which lists
// every client, and switch employer with the filter bar's selector; HR of
// one employer sees no selector and no other employer's name in the source
// of any page of its menu.
func TestEmployersInABrowser(t *testing.T) {
	site := newTestSiteSized(t, 300)
	const client = `Klant "B" & Zn`
	addEmployer(t, site, client, 200, 9, testExtract)
	b := newBrowser(t)

	b.login(t, site, "provider")
	if path := eval[string](t, b, `location.pathname`); path != "/clients" {
		t.Errorf("provider staff land on %s, want /clients", path)
	}
	names := eval[[]string](t, b, `[...document.querySelectorAll('#clients tbody tr td:first-child')].map(td => td.textContent)`)
	if strings.Join(names, "|") != "default|"+client {
		t.Errorf("the client overview lists %q", names)
	}
	b.do(t, chromedp.Navigate(site.url+"/interventions"), chromedp.WaitVisible(chromedp.ID("filter-employer")),
		chromedp.SetValue(chromedp.ID("filter-employer"), client))
	b.follow(t, "form.filters button[type=submit]")
	u, err := url.Parse(eval[string](t, b, `location.href`))
	if err != nil || u.Query().Get("employer") != client {
		t.Errorf("after choosing %s the page is %v", client, u)
	}
	if chosen := eval[string](t, b, `document.querySelector('#filter-employer').value`); chosen != client {
		t.Errorf("the selector shows %q after the switch", chosen)
	}
	b.do(t, chromedp.Navigate(site.url+"/benchmark?employer="+url.QueryEscape(client)), chromedp.WaitVisible(chromedp.ID("benchmark")))
	if errs := b.errors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}

	b.login(t, site, "hr") // a new session replaces the provider's
	menu := eval[[]string](t, b, `[...document.querySelectorAll('nav a')].map(a => a.pathname)`)
	if len(menu) < 5 {
		t.Fatalf("HR's menu: %v", menu)
	}
	for _, path := range menu {
		b.do(t, chromedp.Navigate(site.url+path), chromedp.WaitVisible(chromedp.CSS("main")))
		source := eval[string](t, b, `document.documentElement.outerHTML`)
		// "Klant " with its space: the worklist shows the team Klantcontact.
		if strings.Contains(source, "Klant ") || strings.Contains(source, "filter-employer") {
			t.Errorf("%s shows HR another employer's name or a choice of employer", path)
		}
	}
	if errs := b.errors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}
