package dashboard

import (
	"errors"
	"fmt"
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

// langOf is the language of the request's user.
func langOf(c *gin.Context) string {
	if u, ok := c.Get(ctxUser); ok && u.(User).Lang != "" {
		return u.(User).Lang
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
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		c.AbortWithStatusJSON(status, apiError{Status: "error", ErrorType: "bad_data", Error: e.Error()})
		return
	}
	p := s.newPage(c, "error")
	p.Query = ""
	p.Error = e.in(p.Lang)
	c.Abort()
	s.render(c, status, p)
}
