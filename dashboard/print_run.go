package dashboard

import (
	"context"
	"crypto/subtle"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/dashboard/printing"
)

// PackRequest is a report pack to make: a month, the employer ("" every
// employer of the installation, or the default one when there is only
// that), optionally one department, as PDF or XLSX.
type PackRequest struct {
	Month      time.Time // any day of the month
	Employer   string
	Department string
	Format     string // "pdf" or "xlsx"
	Lang       string // "nl" (default) or "en"
}

// printCookie carries the token of a print session.
const printCookie = "absence_print"

// Pack makes a report pack without a browser session: the server answers
// the pack's pages on a port of its own, on the loopback address only and
// only to a one-time token, as an installation admin narrowed to the
// employer and department asked for — so the figures, charts and
// suppression are exactly the screen's — and chromium prints them
// (package printing) or the workbook is read from there. The port closes
// when the pack is made.
func (s *Server) Pack(ctx context.Context, req PackRequest) ([]byte, error) {
	if req.Format != "pdf" && req.Format != "xlsx" {
		return nil, fmt.Errorf("report pack: format %q: choose pdf or xlsx", req.Format)
	}
	if req.Lang == "" {
		req.Lang = "nl"
	}
	secret := token()
	user := User{Name: "report-pack", Role: RoleAdmin, Lang: req.Lang}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("report pack: %w", err)
	}
	srv := &http.Server{Handler: s.printHandler(user, secret), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()

	q := url.Values{"month": {req.Month.Format("2006-01")}}
	if req.Employer != "" {
		q.Set("employer", req.Employer)
	}
	if req.Department != "" {
		q.Set("dept", req.Department)
	}
	base := "http://" + ln.Addr().String() + "/print/pack"
	if req.Format == "xlsx" {
		return fetchPrint(ctx, base+".xlsx?"+q.Encode(), secret)
	}
	// Ask for the page once first: a bad month or department is answered
	// with its message, and the figures are computed before chromium waits.
	if _, err := fetchPrint(ctx, base+"?"+q.Encode(), secret); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, printing.Timeout)
	defer cancel()
	pdf, err := printing.PDF(ctx, printing.Page{URL: base + "?" + q.Encode(), Ready: "html[data-drawn]",
		Cookies: []*network.SetCookieParams{{Name: printCookie, Value: secret}}})
	if err != nil {
		return nil, fmt.Errorf("report pack: %w", err)
	}
	return pdf, nil
}

// printHandler answers the pack's pages and the static files they load as
// user, to requests that carry secret.
func (s *Server) printHandler(user User, secret string) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(recovery(), securityHeaders())
	static, _ := fs.Sub(staticFS, "static")
	r.StaticFS("/static", http.FS(static))
	g := r.Group("/print", func(c *gin.Context) {
		got, _ := c.Cookie(printCookie)
		if subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			c.AbortWithStatus(http.StatusForbidden)
			return
		}
		c.Set(ctxUser, user)
		c.Set(ctxSession, session{user: user.Name})
	})
	g.GET("/pack", s.showPack)
	g.GET("/pack.xlsx", s.downloadPack)
	return r
}

// fetchPrint reads a page of the print handler; a refusal comes back with
// the page's own message.
func fetchPrint(ctx context.Context, u, secret string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.AddCookie(&http.Cookie{Name: printCookie, Value: secret})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("report pack: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("report pack: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("report pack: %s", pageMessage(body))
	}
	return body, nil
}

// pageMessage is the message of a refused page: its alert, or its text.
func pageMessage(body []byte) string {
	s := string(body)
	if i := strings.Index(s, `role="alert">`); i >= 0 {
		s = s[i+len(`role="alert">`):]
		if j := strings.Index(s, "<"); j >= 0 {
			s = s[:j]
		}
	}
	s = strings.TrimSpace(html.UnescapeString(s))
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
