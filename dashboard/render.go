package dashboard

import (
	"fmt"
	"html/template"
	"log/slog"
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
	Nonce  string
	View   view
	Query  string // the filter, for links that keep it
	Charts []charts.Snippet
	Data   any
	Error  string
}

// T translates for templates: {{.T "zvp"}}.
func (p page) T(key string) string { return translate(p.Lang, key) }

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
	case "with_return_talk", "without_return_talk":
		return fmt.Sprintf(p.T("arm_"+a.Arm), c.Landmark)
	}
	return a.Description
}

// ChartScripts joins the charts' scripts for one nonce'd script element.
func (p page) ChartScripts() template.JS {
	var b strings.Builder
	for _, c := range p.Charts {
		b.WriteString("{\n")
		b.WriteString(c.Script)
		b.WriteString("\n}\n")
	}
	return template.JS(b.String())
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
	"dimLink": dimensionLink,
	"has":     slices.Contains[[]string],
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
	"ptr":  func(f float64) *float64 { return &f },
	"base": filepath.Base,
	"with": func(q string, key, value string) string {
		v, _ := url.ParseQuery(q)
		v.Set(key, value)
		return v.Encode()
	},
}

func (s *Server) newPage(c *gin.Context, name string) page {
	p := page{Name: name, Nonce: c.GetString(ctxNonce), Lang: "nl", Path: "/"}
	if c.Request.Method == http.MethodGet {
		p.Path = c.Request.URL.RequestURI()
	}
	if u, ok := c.Get(ctxUser); ok {
		p.User = u.(User)
		if p.User.Lang != "" {
			p.Lang = p.User.Lang
		}
		p.CSRF = c.MustGet(ctxSession).(session).csrf
	}
	return p
}

// viewPage starts a page that shows figures for a view, with the filter bar.
func (s *Server) viewPage(c *gin.Context, name string, v view) (page, error) {
	p := s.newPage(c, name)
	p.View, p.Query = v, v.query().Encode()
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
	c.String(http.StatusInternalServerError, "Something went wrong on the server; the error was logged.")
}

func forbidden(c *gin.Context) {
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		c.AbortWithStatusJSON(http.StatusForbidden, apiError{Status: "error", ErrorType: "forbidden", Error: "you have no access to these figures"})
		return
	}
	c.AbortWithStatus(http.StatusForbidden)
	lang := "nl"
	if u, ok := c.Get(ctxUser); ok && u.(User).Lang != "" {
		lang = u.(User).Lang
	}
	c.Writer.WriteString(translate(lang, "forbidden"))
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
