package dashboard

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/ingest/inbox"
	"github.com/verzuim/absence/ingest/storage"
)

// The JSON API, in the style of Prometheus' web API: a handler returns data
// or an error, and one adapter writes the envelope and picks the status. The
// field names are those of `absence report`.

type apiError struct {
	Status    string `json:"status"`
	ErrorType string `json:"errorType,omitempty"`
	Error     string `json:"error,omitempty"`
}

type apiResponse struct {
	Status string `json:"status"`
	Data   any    `json:"data"`
}

type apiFunc func(c *gin.Context) (any, error)

func (s *Server) api(f apiFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		data, err := f(c)
		var bad inputError
		switch {
		case err == nil:
			c.JSON(http.StatusOK, apiResponse{Status: "success", Data: analytics.EmptyLists(data)})
		case errors.Is(err, errForbidden):
			forbidden(c)
		case errors.As(err, &bad):
			c.JSON(http.StatusBadRequest, apiError{Status: "error", ErrorType: "bad_data", Error: err.Error()})
		case isBusy(err):
			answerBusy(c, err)
		default:
			s.logError(c, err)
			c.JSON(http.StatusInternalServerError, apiError{Status: "error", ErrorType: "internal", Error: "the server failed; the error was logged"})
		}
	}
}

func (s *Server) apiView(c *gin.Context) (view, error) {
	g, err := s.gen(c)
	if err != nil {
		return view{}, err
	}
	v, err := parseView(c.Request.URL.Query(), g.state.extract)
	if err != nil {
		return v, err
	}
	user := c.MustGet(ctxUser).(User)
	if err := v.restrict(user); err != nil {
		return v, err
	}
	g.remember(c, user)
	return v, nil
}

func (s *Server) apiKPIs(c *gin.Context) (any, error) {
	v, err := s.apiView(c)
	if err != nil {
		return nil, err
	}
	k, err := s.kpis(c, v)
	return k.Total, err
}

func (s *Server) apiBreakdown(c *gin.Context) (any, error) {
	v, err := s.apiView(c)
	if err != nil {
		return nil, err
	}
	d, err := dimensionOf(c, analytics.ByDepartment)
	if err != nil {
		return nil, err
	}
	b, err := s.breakdown(c, v, d)
	if err != nil {
		return nil, err
	}
	return append([]analytics.Group{b.Total}, b.Groups...), nil
}

func (s *Server) apiSeries(c *gin.Context) (any, error) {
	v, err := s.apiView(c)
	if err != nil {
		return nil, err
	}
	return s.series(c, v)
}

// apiImports is the import history and, with an inbox, its current status.
func (s *Server) apiImports(c *gin.Context) (any, error) {
	history, err := s.store.Imports(c.Request.Context(), 100)
	if err != nil {
		return nil, err
	}
	out := struct {
		History []storage.ImportRecord `json:"history"`
		Inbox   *inbox.Status          `json:"inbox,omitempty"`
	}{History: history}
	if in := s.cfg.Inbox; in != nil {
		st := in.Status()
		out.Inbox = &st
	}
	return out, nil
}

// apiFigure adapts a figure function of the pages to the API.
func apiFigure[T any](s *Server, widen func(*gin.Context, view) view, f func(*gin.Context, view) (T, error)) apiFunc {
	return func(c *gin.Context) (any, error) {
		v, err := s.apiView(c)
		if err != nil {
			return nil, err
		}
		if widen != nil {
			v = widen(c, v)
		}
		return f(c, v)
	}
}
