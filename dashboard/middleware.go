package dashboard

import (
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

const (
	sessionCookie = "absence_session"
	ctxUser       = "user"
	ctxSession    = "session"
	ctxBasicAuth  = "basic_auth"
)

// requestLog writes one structured line per request.
func requestLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		user := ""
		if u, ok := c.Get(ctxUser); ok {
			user = u.(User).Name
		}
		slog.Info("request", "method", c.Request.Method, "path", c.Request.URL.Path, "status", c.Writer.Status(),
			"took", time.Since(start), "user", user)
	}
}

// recovery answers a panic with a plain 500 and logs it; the user gets no
// stack trace.
func recovery() gin.HandlerFunc {
	return gin.CustomRecoveryWithWriter(nil, func(c *gin.Context, err any) {
		slog.Error("panic while serving", "path", c.Request.URL.Path, "error", fmt.Sprint(err))
		c.AbortWithStatus(http.StatusInternalServerError)
	})
}

// securityHeaders sets a Content-Security-Policy that allows scripts only
// from our own origin: no page runs an inline script (charts are drawn by
// static/charts.js from JSON).
func securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		if secure(c) {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		c.Next()
	}
}

// secure reports whether the browser reached us over TLS (directly or
// through a proxy that says so): then cookies are marked Secure.
func secure(c *gin.Context) bool {
	return c.Request.TLS != nil || strings.EqualFold(c.GetHeader("X-Forwarded-Proto"), "https")
}

// authenticate loads the session's user; without one, pages redirect to the
// login page and the API answers 401. Scripts (the import command against a
// running server) may instead send HTTP Basic credentials to the API; those
// requests carry no cookie, so they need no CSRF token.
func (s *Server) authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		id, _ := c.Cookie(sessionCookie)
		sess, ok := s.sessions.get(id)
		var user User
		if ok {
			user, ok = s.accounts.User(sess.user)
		}
		if name, password, basic := c.Request.BasicAuth(); !ok && basic && strings.HasPrefix(c.Request.URL.Path, "/api/") {
			if !s.limiter.allow(c.ClientIP()) {
				c.AbortWithStatusJSON(http.StatusTooManyRequests, apiError{Status: "error", ErrorType: "too_many_attempts", Error: "too many attempts; wait a minute"})
				return
			}
			if user, ok = s.accounts.Check(name, password); ok {
				c.Set(ctxBasicAuth, true)
				sess = session{user: user.Name}
			}
		}
		if !ok {
			if strings.HasPrefix(c.Request.URL.Path, "/api/") {
				c.AbortWithStatusJSON(http.StatusUnauthorized, apiError{Status: "error", ErrorType: "unauthorized", Error: "log in first"})
				return
			}
			c.Redirect(http.StatusSeeOther, "/login?next="+urlQueryEscape(c.Request.URL.RequestURI()))
			c.Abort()
			return
		}
		c.Set(ctxUser, user)
		c.Set(ctxSession, sess)
		c.Next()
	}
}

// checkCSRF guards every form post: it must carry the session's token.
func checkCSRF() gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Method == http.MethodPost && !c.GetBool(ctxBasicAuth) {
			sess := c.MustGet(ctxSession).(session)
			got := c.PostForm("csrf")
			if got == "" {
				got = c.GetHeader("X-CSRF-Token")
			}
			if got != sess.csrf {
				c.AbortWithStatus(http.StatusForbidden)
				return
			}
		}
		c.Next()
	}
}

// allow lets only the given roles through; it is enforced on the server for
// pages and API alike, not by hiding links.
func allow(roles ...Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !slices.Contains(roles, c.MustGet(ctxUser).(User).Role) {
			forbidden(c)
			return
		}
		c.Next()
	}
}
