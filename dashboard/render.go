package dashboard

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
	"github.com/verzuim/absence/dashboard/widgets"
	"github.com/verzuim/absence/ingest"
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
	Query  template.URL     // the filter as URL parameters, for links that keep it (see Href)
	Charts []charts.Snippet // every chart of the page, for the layout
	// Widgets are the page's widgets by name (W), Data the values of a
	// page with its own handler.
	Widgets map[string]shownWidget
	Pending int // widgets shown as "being computed", filled in by static/charts.js
	Data    any
	Error   string
	// Employers are the employers the user may choose between (none for
	// an account of one employer), Employer the one chosen ("" all).
	Employers []string
	Employer  string
	// Fresh is how fresh the page's figures are (freshness.go); nil on a
	// page without figures.
	Fresh *freshness
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

// KeepBut is the request's query without key, for a form that sets key
// anew and keeps the rest.
func (p page) KeepBut(key string) url.Values {
	u, err := url.Parse(p.Path)
	if err != nil {
		return url.Values{}
	}
	q := u.Query()
	q.Del(key)
	return q
}

// SortHref links to this page sorted by column col: descending when it is
// sorted by col already, ascending otherwise.
func (p page) SortHref(col string) template.URL {
	u, _ := url.Parse(p.Path)
	desc := u.Query().Get("sort") == col && u.Query().Get("desc") != "1"
	q := p.KeepBut("sort")
	q.Del("desc")
	q.Set("sort", col)
	if desc {
		q.Set("desc", "1")
	}
	return template.URL(u.Path + "?" + q.Encode())
}

// ClientHref links to an employer's figures: the interventions for
// provider staff, the overview for the installation admin.
func (p page) ClientHref(name string) template.URL {
	path := "/"
	if p.User.Access() == RoleProvider {
		path = "/interventions"
	}
	return p.Href(path, "employer", name)
}

// IngestText is a text of the import (a reason, a note, a failure) in the
// page's language (ingest_texts.go).
func (p page) IngestText(text string) string { return ingestText(p.Lang, text) }

// Detected is what the import found in a file, in the page's language.
func (p page) Detected(text string) string { return detectedText(p.Lang, text) }

// ExportKind names the export a profile reads, e.g. "AFAS-verzuimexport".
func (p page) ExportKind(profile string, kind ingest.Kind) string {
	return exportKind(p.Lang, profile, kind)
}

// Menu is the pages the user may open (pages.go).
func (p page) Menu() []menuItem { return menu(p.User.Access(), p.Name) }

// AllUnits tells the filter bar whether the user may see every department
// (a manager sees only their own).
func (p page) AllUnits() bool { return p.User.Role != RoleManager }

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
	"count":   widgets.Count,
	"between": widgets.Between,
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
	"ptr":     func(f float64) *float64 { return &f },
	"percent": func(share float64) int { return int(math.Round(100 * share)) },
	"base":    filepath.Base,
}

// numberFuncs write figures in lang's way (widgets/format.go):
// {{pct .ZVP}}, {{num .ZMF 2}}, {{pvalue .P}}.
func numberFuncs(lang string) template.FuncMap {
	return template.FuncMap{
		"pct":    func(v *float64) string { return widgets.Pct(lang, v) },
		"num":    func(v *float64, decimals int) string { return widgets.Num(lang, v, decimals) },
		"pvalue": func(p float64) string { return widgets.P(lang, p) },
	}
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
	p := s.figuresPage(c, name, v)
	return p, s.withFilters(c, &p)
}

// figuresPage starts a page that shows figures for a view, without the
// filter bar's lists (withFilters).
func (s *Server) figuresPage(c *gin.Context, name string, v view) page {
	p := s.newPage(c, name)
	p.View = v
	fresh := v.scope.freshness()
	p.Fresh = &fresh
	if len(v.scope.served) > 1 {
		for _, e := range v.scope.served {
			p.Employers = append(p.Employers, e.Name)
		}
		if len(v.scope.employers) == 1 {
			p.Employer = v.scope.employers[0].Name
		}
	}
	return p
}

func (s *Server) render(c *gin.Context, status int, p page) {
	t, ok := s.pages[p.Lang+"/"+p.Name]
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
	if clientGone(c, err) {
		slog.Info("client went away before the answer", "path", c.Request.URL.Path)
		c.Abort()
		return
	}
	if isBusy(err) {
		answerBusy(c, err)
		return
	}
	s.logError(c, err)
	if isAPI(c) {
		apiRefusal(c, http.StatusInternalServerError, "internal", "server_failed")
		return
	}
	showError(c, http.StatusInternalServerError, translate(langOf(c), "server_failed"))
}

// clientGone tells an error that only says request c's client went away
// (closed the connection, gave up): there is nobody to answer.
func clientGone(c *gin.Context, err error) bool {
	return errors.Is(err, context.Canceled) && errors.Is(c.Request.Context().Err(), context.Canceled)
}

func forbidden(c *gin.Context) {
	if isAPI(c) {
		apiRefusal(c, http.StatusForbidden, "forbidden", "forbidden")
		return
	}
	showError(c, http.StatusForbidden, translate(langOf(c), "forbidden"))
}

// notFound answers a path no route has, with the menu for a logged-in user.
func (s *Server) notFound(c *gin.Context) {
	if user, sess, ok := s.sessionUser(c); ok {
		c.Set(ctxUser, user)
		c.Set(ctxSession, sess)
	}
	if isAPI(c) {
		apiRefusal(c, http.StatusNotFound, "not_found", "not_found")
		return
	}
	showError(c, http.StatusNotFound, translate(langOf(c), "not_found"))
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
