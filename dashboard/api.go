package dashboard

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/widgets"
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
		c.Request = c.Request.WithContext(answer(c.Request.Context())) // scripts need complete answers
		data, err := f(c)
		var bad inputError
		switch {
		case err == nil:
			c.JSON(http.StatusOK, apiResponse{Status: "success", Data: analytics.EmptyLists(data)})
		case clientGone(c, err):
			slog.Info("client went away before the answer", "path", c.Request.URL.Path)
		case errors.Is(err, errForbidden):
			forbidden(c)
		case errors.As(err, &bad):
			c.JSON(http.StatusBadRequest, apiError{Status: "error", ErrorType: "bad_data", Error: bad.in(langOf(c))})
		case isBusy(err):
			answerBusy(c, err)
		default:
			s.logError(c, err)
			apiRefusal(c, http.StatusInternalServerError, "internal", "server_failed")
		}
	}
}

func (s *Server) apiView(c *gin.Context) (view, error) { return s.readView(c) }

func (s *Server) apiKPIs(c *gin.Context) (any, error) {
	v, err := s.apiView(c)
	if err != nil {
		return nil, err
	}
	k, err := widgets.KPIs.Get(c.Request.Context(), s.deps(c), widgetView(c, v))
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
	b, err := widgets.Breakdown(d).Get(c.Request.Context(), s.deps(c), widgetView(c, v))
	if err != nil {
		return nil, err
	}
	return append([]analytics.Group{b.Total}, b.Groups...), nil
}

// apiOutcomes is how the cases of the view ended, per value of by when
// given; three years by default, like the page.
func (s *Server) apiOutcomes(c *gin.Context) (any, error) {
	v, err := s.apiView(c)
	if err != nil {
		return nil, err
	}
	by, err := dimensionOf(c, "")
	if err != nil {
		return nil, err
	}
	return widgets.Outcomes(by).Get(c.Request.Context(), s.deps(c), widgetView(c, v).ThreeYears())
}

func (s *Server) apiFrequentToLong(c *gin.Context) (any, error) {
	v, err := s.apiView(c)
	if err != nil {
		return nil, err
	}
	at, err := referenceDate(c)
	if err != nil {
		return nil, err
	}
	res, err := widgets.FrequentToLong(c.Request.Context(), s.deps(c), widgetView(c, v), at)
	return res, figureInput(err)
}

// apiImports is the import history and, with an inbox, its current status.
func (s *Server) apiImports(c *gin.Context) (any, error) {
	own, restricted := importsEmployer(c)
	history, err := s.store.EmployerImports(c.Request.Context(), own.ID, 100)
	if err != nil {
		return nil, err
	}
	out := struct {
		History []storage.ImportRecord `json:"history"`
		Inbox   *inbox.Status          `json:"inbox,omitempty"`
	}{History: history}
	if in := s.cfg.Inbox; in != nil && !restricted {
		st := in.Status()
		out.Inbox = &st
	}
	return out, nil
}

// apiFigure serves a figure of the view as JSON.
func apiFigure[T any](s *Server, get func(context.Context, widgets.Deps, widgets.View) (T, error)) apiFunc {
	return func(c *gin.Context) (any, error) {
		v, err := s.apiView(c)
		if err != nil {
			return nil, err
		}
		return get(c.Request.Context(), s.deps(c), widgetView(c, v))
	}
}

// threeYears reads a figure for three years by default (View.ThreeYears).
func threeYears[T any](get func(context.Context, widgets.Deps, widgets.View) (T, error)) func(context.Context, widgets.Deps, widgets.View) (T, error) {
	return func(ctx context.Context, d widgets.Deps, v widgets.View) (T, error) {
		return get(ctx, d, v.ThreeYears())
	}
}
