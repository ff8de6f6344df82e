package dashboard

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/gin-gonic/gin"
)

// inputError is a value in a request that we cannot use: a bad date, an
// unknown band, a file name that is none. It is answered with a 4xx and a
// message in the user's language, never with a 500.
type inputError struct {
	key  string // into messages, a format for args
	args []any
}

func badInput(key string, args ...any) inputError { return inputError{key, args} }

func (e inputError) Error() string { return e.in("en") }

func (e inputError) in(lang string) string { return fmt.Sprintf(translate(lang, e.key), e.args...) }

// langOf is the language of the request's user: the one they chose, else
// Dutch on pages and English in the API, whose other callers are scripts
// and the command line.
func langOf(c *gin.Context) string {
	if u, ok := c.Get(ctxUser); ok && u.(User).Lang != "" {
		return u.(User).Lang
	}
	if isAPI(c) {
		return "en"
	}
	return "nl"
}

// refuse answers a request we cannot serve as asked: the API with a JSON
// error, a page with the message under the menu (whose links drop the
// request's filter, which may be what is wrong). An error that is not an
// inputError is the server's: 500.
func (s *Server) refuse(c *gin.Context, status int, err error) {
	var e inputError
	if !errors.As(err, &e) {
		s.serverError(c, err)
		return
	}
	if isAPI(c) {
		c.AbortWithStatusJSON(status, apiError{Status: "error", ErrorType: "bad_data", Error: e.in(langOf(c))})
		return
	}
	showError(c, status, e.in(langOf(c)))
}

func isAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }

// showError answers with an error page in the user's language: in the
// layout with the menu for a logged-in user, plain for anyone else.
func showError(c *gin.Context, status int, message string) {
	c.Abort()
	p := page{Name: "error", Lang: langOf(c), Path: "/", Error: message}
	if u, ok := c.Get(ctxUser); ok {
		p.User = u.(User)
		if sess, ok := c.Get(ctxSession); ok {
			p.CSRF = sess.(session).csrf
		}
	}
	pages, err := parsedPages()
	if err != nil { // the templates are embedded: a programming error
		slog.Error("error page", "error", err)
		c.String(status, message)
		return
	}
	c.Status(status)
	c.Header("Content-Type", "text/html; charset=utf-8")
	if err := pages[p.Lang+"/error"].Execute(c.Writer, p); err != nil {
		slog.Error("render error page", "error", err)
	}
}

// apiRefusal answers an API request with a JSON error of the given type
// and a message in the user's language.
func apiRefusal(c *gin.Context, status int, errorType, key string) {
	c.AbortWithStatusJSON(status, apiError{Status: "error", ErrorType: errorType, Error: translate(langOf(c), key)})
}
