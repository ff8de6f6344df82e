package dashboard

import (
	"fmt"
	"html/template"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
)

// page is what every page template gets.
type page struct {
	Name   string // for the navigation
	Path   string // this page's URL, to come back to after a form
	By     string // the breakdown's dimension, kept by the filter bar
	Filter filterChoices
	User   User
	Lang   string
	CSRF   string
	View   view
	Query  template.URL // the filter as URL parameters, for links that keep it (see Href)
	Charts []charts.Snippet
	Data   any
	Error  string
}

// T translates for templates: {{.T "zvp"}}.
func (p page) T(key string) string { return translate(p.Lang, key) }

// Href links to path keeping the current filter, with the given parameters
// set (an empty value removes one): {{.Href "/trends"}},
// {{.Href "/breakdown" "by" "team"}}.
func (p page) Href(path string, params ...any) template.URL {
	q, _ := url.ParseQuery(string(p.Query))
	for i := 0; i+1 < len(params); i += 2 {
		if k, v := fmt.Sprint(params[i]), fmt.Sprint(params[i+1]); v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
	}
	if len(q) == 0 {
		return template.URL(path)
	}
	return template.URL(path + "?" + q.Encode())
}

// Tf translates a text with values: {{.Tf "undo_title" .ID}}.
func (p page) Tf(key string, args ...any) string { return fmt.Sprintf(p.T(key), args...) }

// Can tells templates whether to show a link; the server enforces it anyway.
func (p page) Can(role string) bool {
	switch role {
	case "imports":
		return p.User.Role == RoleAdmin
	case "analytics":
		return p.User.Role != RoleProvider
	case "all_units":
		return p.User.Role != RoleManager
	case "personal":
		return p.User.Role == RoleAdmin || p.User.Role == RoleHR
	case "outcomes":
		return p.User.Role != RoleManager
	}
	return false
}

// ArmLabel describes one arm of a landmark comparison in the page's language.
func (p page) ArmLabel(c analytics.Comparison, a analytics.Arm) string {
	typ := p.T("iv_" + c.Type)
	switch a.Arm {
	case "intervention":
		return fmt.Sprintf(p.T("arm_intervention"), typ, c.Landmark)
	case "none":
		return fmt.Sprintf(p.T("arm_none"), c.Landmark)
	case "early":
		return fmt.Sprintf(p.T("arm_early"), typ, analytics.DefaultEarlyDays)
	case "late":
		return fmt.Sprintf(p.T("arm_late"), typ, analytics.DefaultEarlyDays, c.Landmark-1)
	}
	return a.Description
}

var templateFuncs = template.FuncMap{
	"pct": func(v *float64) string {
		if v == nil {
			return "–"
		}
		return strings.Replace(fmt.Sprintf("%.1f%%", *v), ".", ",", 1)
	},
	"num": func(v *float64, decimals int) string {
		if v == nil {
			return "–"
		}
		return strings.Replace(fmt.Sprintf("%.*f", decimals, *v), ".", ",", 1)
	},
	"count": func(v *int64) string {
		if v == nil {
			return "–"
		}
		return fmt.Sprint(*v)
	},
	"has": slices.Contains[[]string],
	"withoutUnits": func(path string) string {
		u, err := url.Parse(path)
		if err != nil {
			return "/"
		}
		q := u.Query()
		q.Del("dept")
		q.Del("team")
		q.Del("by")
		u.RawQuery = q.Encode()
		return u.String()
	},
	"ptr":     func(f float64) *float64 { return &f },
	"percent": func(share float64) int { return int(math.Round(100 * share)) },
	"base":    filepath.Base,
}

func (s *Server) newPage(c *gin.Context, name string) page {
	p := page{Name: name, Lang: langOf(c), Path: "/"}
	if c.Request.Method == http.MethodGet {
		p.Path = c.Request.URL.RequestURI()
		p.Query = linkQuery(c.Request.URL.Query())
	}
	if u, ok := c.Get(ctxUser); ok {
		p.User = u.(User)
		p.CSRF = c.MustGet(ctxSession).(session).csrf
	}
	return p
}

// viewPage starts a page that shows figures for a view, with the filter bar.
func (s *Server) viewPage(c *gin.Context, name string, v view) (page, error) {
	p := s.newPage(c, name)
	p.View = v
	return p, s.withFilters(c, &p)
}

func (s *Server) render(c *gin.Context, status int, p page) {
	t, ok := s.pages[p.Name]
	if !ok {
		s.serverError(c, fmt.Errorf("no template for page %q", p.Name))
		return
	}
	c.Status(status)
	c.Header("Content-Type", "text/html; charset=utf-8")
	if err := t.Execute(c.Writer, p); err != nil {
		slog.Error("render page", "page", p.Name, "error", err)
	}
}

func (s *Server) logError(c *gin.Context, err error) {
	slog.Error("request failed", "path", c.Request.URL.Path, "error", err)
}

// serverError logs the cause and shows the user a plain message; a server
// that is only busy asks the user to try again shortly.
func (s *Server) serverError(c *gin.Context, err error) {
	if isBusy(err) {
		answerBusy(c, err)
		return
	}
	s.logError(c, err)
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		c.AbortWithStatusJSON(http.StatusInternalServerError, apiError{Status: "error", ErrorType: "internal", Error: "the server failed; the error was logged"})
		return
	}
	c.String(http.StatusInternalServerError, "Something went wrong on the server; the error was logged.")
}

func forbidden(c *gin.Context) {
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		c.AbortWithStatusJSON(http.StatusForbidden, apiError{Status: "error", ErrorType: "forbidden", Error: "you have no access to these figures"})
		return
	}
	c.AbortWithStatus(http.StatusForbidden)
	c.Writer.WriteString(translate(langOf(c), "forbidden"))
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
