package dashboard

import (
	"errors"
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
	ctxView       = "view" // the request's view, once read (figures.go)
)

// requestLog writes one structured line per request: at debug level
// (ABSENCE_LOG=debug), so the terminal keeps the server's address and what
// needs attention; a server error always.
func requestLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		user := ""
		if u, ok := c.Get(ctxUser); ok {
			user = u.(User).Name
		}
		level := slog.LevelDebug
		if c.Writer.Status() >= http.StatusInternalServerError {
			level = slog.LevelError
		}
		slog.Log(c.Request.Context(), level, "request", "method", c.Request.Method, "path", c.Request.URL.Path,
			"status", c.Writer.Status(), "took", time.Since(start), "user", user)
	}
}

// recovery answers a panic as any server error and logs it; the user gets
// no stack trace.
func recovery() gin.HandlerFunc {
	return gin.CustomRecoveryWithWriter(nil, func(c *gin.Context, err any) {
		slog.Error("panic while serving", "path", c.Request.URL.Path, "error", fmt.Sprint(err))
		if isAPI(c) {
			apiRefusal(c, http.StatusInternalServerError, "internal", "server_failed")
			return
		}
		showError(c, http.StatusInternalServerError, translate(langOf(c), "server_failed"))
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
		user, sess, ok := s.sessionUser(c)
		if name, password, basic := c.Request.BasicAuth(); !ok && basic && isAPI(c) {
			var limited bool
			if user, ok, limited = s.checkPassword(c, name, password); limited {
				apiRefusal(c, http.StatusTooManyRequests, "too_many_attempts", "too_many_api")
				return
			}
			if ok {
				c.Set(ctxBasicAuth, true)
				sess = session{user: user.Name}
			}
		}
		if !ok {
			if isAPI(c) {
				apiRefusal(c, http.StatusUnauthorized, "unauthorized", "log_in_first")
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

// sessionUser is the user of the request's session cookie, if it is
// valid: a logout on the writer raises the user's session number.
func (s *Server) sessionUser(c *gin.Context) (User, session, bool) {
	id, _ := c.Cookie(sessionCookie)
	sess, ok := s.sessions.get(id)
	if !ok {
		return User{}, sess, false
	}
	user, ok := s.accounts.User(sess.user)
	return user, sess, ok && user.SessionGen == sess.gen
}

// checkCSRF guards every form post: it must carry the session's token, in
// the form or the X-CSRF-Token header. It reads the form, so it comes after
// the role check (routes.go): nobody's body is read before they are known
// and allowed.
func (s *Server) checkCSRF() gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Method == http.MethodPost && !c.GetBool(ctxBasicAuth) {
			got := c.GetHeader("X-CSRF-Token")
			if got == "" {
				if !s.readForm(c) {
					return
				}
				got = c.Request.PostForm.Get("csrf")
			}
			if got != c.MustGet(ctxSession).(session).csrf {
				if isAPI(c) {
					apiRefusal(c, http.StatusForbidden, "forbidden", "form_expired")
				} else {
					showError(c, http.StatusForbidden, translate(langOf(c), "form_expired"))
				}
				return
			}
		}
		c.Next()
	}
}

// formLimit caps every request body but an upload's: the login form and the
// few small forms after it.
const formLimit = 16 << 10

// limitBody caps the request body before anything can read it: an upload
// at the upload limit (plus room for the form around the file), any other
// request at formLimit. It is the first middleware.
func (s *Server) limitBody() gin.HandlerFunc {
	return func(c *gin.Context) {
		limit := int64(formLimit)
		if isUpload(c) {
			limit += s.cfg.UploadLimit
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		c.Next()
	}
}

func isUpload(c *gin.Context) bool {
	return c.Request.Method == http.MethodPost && (c.FullPath() == "/imports/preview" || c.FullPath() == "/api/v1/imports")
}

// readForm parses the request's form within the limit limitBody set. A
// body over it is answered with 413, one that cannot be read with 400; then
// readForm returns false. Parsing twice is harmless.
func (s *Server) readForm(c *gin.Context) bool {
	var err error
	if strings.HasPrefix(c.ContentType(), "multipart/form-data") {
		err = c.Request.ParseMultipartForm(32 << 20)
	} else {
		err = c.Request.ParseForm()
	}
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return true
	case errors.As(err, &tooBig) && isUpload(c):
		s.refuse(c, http.StatusRequestEntityTooLarge, badInput("upload_too_large", s.cfg.UploadLimit>>20))
	case errors.As(err, &tooBig):
		s.refuse(c, http.StatusRequestEntityTooLarge, badInput("form_too_large", formLimit>>10))
	default:
		s.refuse(c, http.StatusBadRequest, badInput("form_unreadable"))
	}
	return false
}

// allow lets only the given roles through; it is enforced on the server for
// pages and API alike, not by hiding links.
func allow(roles ...Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !slices.Contains(roles, c.MustGet(ctxUser).(User).Access()) {
			forbidden(c)
			return
		}
		c.Next()
	}
}
