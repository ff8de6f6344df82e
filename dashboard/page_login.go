package dashboard

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

const loginCSRFCookie = "absence_login_csrf"

// showLogin shows the login form. Its CSRF token is double-submitted: a
// cookie and a hidden field that must match.
func (s *Server) showLogin(c *gin.Context) {
	p := s.newPage(c, "login")
	p.CSRF = token()
	c.SetSameSite(http.SameSiteStrictMode)
	c.SetCookie(loginCSRFCookie, p.CSRF, 3600, "/", "", secure(c), true)
	p.Data = loginData{Next: safeNext(c.Query("next")), Demo: s.cfg.DemoLogin}
	s.render(c, http.StatusOK, p)
}

type loginData struct{ Next, Demo string }

func (s *Server) login(c *gin.Context) {
	if !s.readForm(c) { // within formLimit
		return
	}
	form := c.Request.PostForm
	cookie, _ := c.Cookie(loginCSRFCookie)
	if cookie == "" || cookie != form.Get("csrf") {
		c.AbortWithStatus(http.StatusForbidden)
		return
	}
	p := s.newPage(c, "login")
	p.CSRF = cookie
	p.Data = loginData{Next: safeNext(form.Get("next")), Demo: s.cfg.DemoLogin}
	user, ok, limited := s.checkPassword(c, form.Get("username"), form.Get("password"))
	if limited {
		p.Error = p.T("too_many")
		s.render(c, http.StatusTooManyRequests, p)
		return
	}
	if !ok {
		p.Error = p.T("login_failed")
		s.render(c, http.StatusUnauthorized, p)
		return
	}
	id, _ := s.sessions.create(user.Name, user.SessionGen)
	c.SetSameSite(http.SameSiteLaxMode)
	c.SetCookie(sessionCookie, id, int(sessionTTL.Seconds()), "/", "", secure(c), true)
	next := safeNext(form.Get("next"))
	if next == "/" && user.Role == RoleProvider {
		next = "/clients" // provider staff see their clients and their own interventions only
	}
	c.Redirect(http.StatusSeeOther, next)
}

// checkPassword checks a password under the login rate limit of the client
// address and of the user name: limited when either is used up (then the
// password is not checked at all, so a guess learns nothing). Only a wrong
// password counts.
func (s *Server) checkPassword(c *gin.Context, name, password string) (user User, ok, limited bool) {
	done, allowed := s.limiter.begin("client "+c.ClientIP(), "user "+name)
	if !allowed {
		return User{}, false, true
	}
	user, ok = s.accounts.Check(name, password)
	done(!ok)
	return user, ok, false
}

// logout ends the session here and, on the writer, every session of the
// user: their session number goes up, and with the next publication every
// replica refuses the older cookies too. A replica cannot change the
// accounts: it refuses the session itself from now on, and passes the
// logout on to the writer when it knows it (WriterURL).
func (s *Server) logout(c *gin.Context) {
	sess := c.MustGet(ctxSession).(session)
	s.sessions.end(sess)
	if err := s.accounts.EndSessions(c.MustGet(ctxUser).(User).Name); err != nil {
		s.serverError(c, err)
		return
	}
	if s.cfg.WriterURL != "" {
		cookie, _ := c.Cookie(sessionCookie)
		if err := logoutOnWriter(s.cfg.WriterURL, cookie, sess.csrf); err != nil {
			slog.Warn("a logout on this replica did not reach the writer; the session ends on the other servers when it expires", "writer", s.cfg.WriterURL, "error", err)
		}
	}
	c.SetCookie(sessionCookie, "", -1, "/", "", secure(c), true)
	c.Redirect(http.StatusSeeOther, "/login")
}

func (s *Server) switchLanguage(c *gin.Context) {
	lang := "en"
	if c.PostForm("lang") == "nl" {
		lang = "nl"
	}
	if err := s.accounts.SetLang(c.MustGet(ctxUser).(User).Name, lang); err != nil {
		s.serverError(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, safeNext(c.PostForm("next")))
}

// safeNext keeps redirects on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *Server) healthz(c *gin.Context) {
	if err := s.store.Ping(c.Request.Context()); err != nil {
		c.String(http.StatusServiceUnavailable, "database unavailable")
		return
	}
	c.String(http.StatusOK, "ok")
}

// logoutOnWriter sends the user's own logout to the writer: the session
// cookie and its CSRF token are the same on every server with the secret.
func logoutOnWriter(writer, cookie, csrf string) error {
	req, err := http.NewRequest(http.MethodPost, strings.TrimRight(writer, "/")+"/logout", strings.NewReader(url.Values{"csrf": {csrf}}.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
	client := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("the writer answered %s", resp.Status)
	}
	return nil
}
