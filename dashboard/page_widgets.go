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

// DefaultWidgetTimeout is how long a page waits for its widgets. Then it
// answers with the widgets that are ready and "being computed" in place of
// the others, whose figures go on being computed; static/charts.js fetches
// the page again until they are all there, and swaps them in.
const DefaultWidgetTimeout = 5 * time.Second

// shownWidget is a widget as its template shows it: its output, or a
// message in its place.
type shownWidget struct {
	widgets.Output
	Error   string
	Pending bool // Error says it is being computed
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
	return func(c *gin.Context) { s.servePage(c, e, nil) }
}

// servePage answers page e with data for its template beside its widgets
// (page.Data).
func (s *Server) servePage(c *gin.Context, e *pageEntry, data any) {
	v, ok := s.viewOf(c)
	if !ok {
		return
	}
	if e.threeYears {
		v.From = widgetView(c, v).ThreeYears().Filter.From
	}
	parallel, timeout := s.widgetBounds(c)
	if timeout > 0 { // the page answers in time with what is ready
		ctx, cancel := context.WithTimeout(c.Request.Context(), timeout)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
	}
	p := s.figuresPage(c, e.name, v)
	p.Data = data
	wv, err := s.pageView(c, e, p)
	if err != nil {
		s.refuse(c, http.StatusBadRequest, err)
		return
	}
	p.By = string(wv.By)
	// The widgets load alongside the filter bar's lists, not after them:
	// all the page's figures wait for the query slots at once. A refresh
	// (parallel 1) computes one figure after the other.
	var loaded []widgets.Loaded
	load := func() {
		loaded = widgets.Run(c.Request.Context(), s.deps(c), wv, e.widgets(), parallel) // the request's context bounds them
	}
	if parallel == 1 {
		load()
		err = s.withFilters(c, &p)
	} else {
		done := make(chan struct{})
		go func() { defer close(done); load() }()
		err = s.withFilters(c, &p)
		<-done
	}
	if err != nil {
		s.serverError(c, err)
		return
	}
	if err := s.showWidgets(c, &p, loaded); err != nil {
		s.refuse(c, http.StatusBadRequest, err)
		return
	}
	s.render(c, http.StatusOK, p)
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
// long. A page loads them all at once: their figures wait for the query
// slots, which bound the database work (bounding the widgets as well held
// back a widget behind two others waiting for one figure). A refresh
// (generations.go) replays one figure at a time, within its own budget, to
// leave the slots to the users.
func (s *Server) widgetBounds(c *gin.Context) (parallel int, timeout time.Duration) {
	if c.Request.Context().Value(refreshing{}) != nil {
		return 1, 0
	}
	if s.cfg.WidgetTimeout > 0 {
		return 0, s.cfg.WidgetTimeout
	}
	return 0, DefaultWidgetTimeout
}

// showWidgets puts the loaded widgets on page p. It returns why the page
// cannot be shown at all: a parameter the figures cannot use (400). A widget
// whose figures are not ready yet (the page's time is up, the server is
// busy) shows "being computed"; any other that failed shows a message in
// its place, and the error is logged.
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
		case errors.As(err, &bad):
			return err
		case isBusy(err), errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
			p.Widgets[name] = shownWidget{Error: p.T("widget_pending"), Pending: true}
			p.Pending++
		default:
			slog.Error("widget failed; shown without it", "path", c.Request.URL.Path, "widget", name, "error", err)
			p.Widgets[name] = shownWidget{Error: p.T("widget_failed")}
		}
	}
	return nil
}
