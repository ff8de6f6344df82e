// Package printing renders a page of the dashboard as PDF with Debian's
// chromium, as Grafana's image renderer does: the page is the one a user
// sees, with its print stylesheet, so a report and the screen never differ
// in a figure. Evidence cards and the monthly report pack print through it.
package printing

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Page is what to print: an address the dashboard answers, the cookies of
// the session that may see it, and a CSS selector that is present once the
// page has drawn everything it will draw (its charts included).
type Page struct {
	URL     string
	Cookies []*network.SetCookieParams
	// Ready is waited for before printing; empty waits for body only.
	Ready string
	// Landscape prints the page sideways, for wide tables.
	Landscape bool
}

// ErrNoBrowser says chromium is not installed; the message says what to do.
var ErrNoBrowser = errors.New("PDF needs Debian's chromium: apt-get install chromium")

// running bounds the chromiums printing at once: each takes a few hundred
// MB and a core while it starts; more print jobs wait their turn (within
// their ctx).
var running = make(chan struct{}, 2)

// PDF prints p and returns the PDF. It starts a headless chromium of its
// own and stops it before returning; ctx bounds the whole job, the wait for
// a turn included.
func PDF(ctx context.Context, p Page) ([]byte, error) {
	path, err := exec.LookPath("chromium")
	if err != nil {
		return nil, ErrNoBrowser
	}
	select {
	case running <- struct{}{}:
		defer func() { <-running }()
	case <-ctx.Done():
		return nil, fmt.Errorf("print %s: waiting for a turn: %w", p.URL, ctx.Err())
	}
	profile, err := os.MkdirTemp("", "absence-print-")
	if err != nil {
		return nil, fmt.Errorf("print %s: %w", p.URL, err)
	}
	defer os.RemoveAll(profile)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	for _, c := range p.Cookies {
		cookie := *c
		if cookie.URL == "" && cookie.Domain == "" {
			cookie.URL = p.URL
		}
		if _, err := chromedp.Call(bctx, network.SetCookie, cookie); err != nil {
			return nil, fmt.Errorf("print %s: set cookie %s: %w", p.URL, c.Name, err)
		}
	}
	ready := p.Ready
	if ready == "" {
		ready = "body"
	}
	if err := chromedp.Do(bctx, chromedp.Navigate(p.URL), chromedp.WaitReady(ready)); err != nil {
		return nil, fmt.Errorf("print %s: wait for %q: %w", p.URL, ready, err)
	}
	yes := true
	res, err := chromedp.Call(bctx, page.PrintToPDF, page.PrintToPDFParams{
		Landscape:         &p.Landscape,
		PrintBackground:   &yes,
		PreferCSSPageSize: &yes,
	})
	if err != nil {
		return nil, fmt.Errorf("print %s: %w", p.URL, err)
	}
	return res.Data, nil
}

// Timeout is a sensible bound for one page: chromium's start plus the
// page's charts.
const Timeout = 2 * time.Minute
