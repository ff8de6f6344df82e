package dashboard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/dashboard/charts"
	"github.com/verzuim/absence/dashboard/widgets"
)

// DefaultWidgetTimeout is how long a page waits for its widgets. It is
// longer than the queue time, so a server that is only busy still answers
// "busy, try again" (503); a widget that takes longer shows a message in its
// place while the others render, and its figure, still computed, is there
// on the next visit.
const DefaultWidgetTimeout = 90 * time.Second

// shownWidget is a widget as its template shows it: its output, or a
// message in its place.
type shownWidget struct {
	widgets.Output
	Error string
}

// Chart is the widget's first chart.
func (w shownWidget) Chart() charts.Snippet {
	if len(w.Charts) == 0 {
		return charts.Snippet{}
	}
	return w.Charts[0]
}

// W is a widget of the page: {{with .W "trendZVP"}}. A template that names a
// widget its page lacks fails to render, which every page test finds.
func (p page) W(name string) (shownWidget, error) {
	w, ok := p.Widgets[name]
	if !ok {
		return w, fmt.Errorf("page %s has no widget %q", p.Name, name)
	}
	return w, nil
}

// showPage answers a page of the table (pages.go): its filter and
// parameters, then its widgets, loaded side by side.
func (s *Server) showPage(e *pageEntry) gin.HandlerFunc {
	return func(c *gin.Context) {
		v, ok := s.viewOf(c)
		if !ok {
			return
		}
		if e.threeYears {
			v.From = widgetView(c, v).ThreeYears().Filter.From
		}
		p, err := s.viewPage(c, e.name, v)
		if err != nil {
			s.serverError(c, err)
			return
		}
		wv, err := s.pageView(c, e, p)
		if err != nil {
			s.refuse(c, http.StatusBadRequest, err)
			return
		}
		p.By = string(wv.By)
		s.queueDeadline(c) // the widgets wait for query slots together
		parallel, timeout := s.widgetBounds(c)
		loaded := widgets.Run(c.Request.Context(), s.deps(c), wv, e.widgets(), parallel, timeout)
		if err := s.showWidgets(c, &p, loaded); err != nil {
			s.refuse(c, http.StatusBadRequest, err) // busy: 503
			return
		}
		s.render(c, http.StatusOK, p)
	}
}

// pageView is the view the widgets of page e read, with the page's own
// parameters.
func (s *Server) pageView(c *gin.Context, e *pageEntry, p page) (widgets.View, error) {
	wv := widgetView(c, p.View)
	wv.Href = func(path string, params ...any) string { return string(p.Href(path, params...)) }
	var err error
	if e.by != nil {
		if wv.By, err = dimensionOf(c, e.by(p.View)); err != nil {
			return wv, err
		}
	}
	if e.at {
		wv.At, err = referenceDate(c)
	}
	return wv, err
}

// widgetBounds are how many of a page's widgets load at once, and for how
// long. A page takes up to the query slots; a refresh (generations.go)
// replays one figure at a time, within its own budget, to leave the slots
// to the users.
func (s *Server) widgetBounds(c *gin.Context) (parallel int, timeout time.Duration) {
	if c.Request.Context().Value(refreshing{}) != nil {
		return 1, 0
	}
	if s.cfg.WidgetTimeout > 0 {
		return s.slots.n, s.cfg.WidgetTimeout
	}
	return s.slots.n, DefaultWidgetTimeout
}

// showWidgets puts the loaded widgets on page p. It returns why the page
// cannot be shown at all: a busy server (answered 503) or a parameter the
// figures cannot use (400). Any other widget that failed or took too long
// shows a message in its place, and the error is logged.
func (s *Server) showWidgets(c *gin.Context, p *page, loaded []widgets.Loaded) error {
	p.Widgets = map[string]shownWidget{}
	for _, l := range loaded {
		name := l.Widget.Name()
		var bad inputError
		switch err := figureInput(l.Err); {
		case err == nil:
			p.Widgets[name] = shownWidget{Output: l.Output}
			p.Charts = append(p.Charts, l.Output.Charts...)
			continue
		case isBusy(err), errors.As(err, &bad):
			return err
		case errors.Is(err, context.DeadlineExceeded):
			slog.Warn("widget took too long; shown without it", "path", c.Request.URL.Path, "widget", name)
			p.Widgets[name] = shownWidget{Error: p.T("widget_timeout")}
		default:
			slog.Error("widget failed; shown without it", "path", c.Request.URL.Path, "widget", name, "error", err)
			p.Widgets[name] = shownWidget{Error: p.T("widget_failed")}
		}
	}
	return nil
}
