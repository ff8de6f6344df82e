// Package widgets holds the dashboard's blocks: one file per chart, tile or
// table of figures. A widget loads its figures (Load) and then turns them
// into what its template shows (Render). A page is a list of widgets; Run
// loads them side by side under a timeout, so one slow or failing figure
// leaves the others on the page.
//
// Widgets read every figure through a Source, the one cached path to
// analytics (figures.go); they hold no SQL and know nothing of HTTP.
package widgets

import (
	"context"
	"net/url"
	"time"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/charts"
)

// Widget is one block of a page.
type Widget interface {
	// Name identifies the widget on its page and in its template; a chart
	// widget's name is its chart's id.
	Name() string
	// Load reads the widget's figures.
	Load(ctx context.Context, d Deps, v View) error
	// Render is what the template shows, after a successful Load.
	Render(d Deps, v View) Output
}

// Output is a rendered widget: its charts, and the values its template
// reads.
type Output struct {
	Charts []charts.Snippet
	Data   any
}

// Cache computes a figure or a chart once per view and generation of the
// data (the dashboard's generation cache with single flight and query
// slots). employers are those whose data it is computed from (the view's
// Filter.Employers; nil: every employer): it is kept while only other
// employers' data change.
type Cache interface {
	Figure(ctx context.Context, name, key string, employers []int64, compute func(context.Context) (any, error)) (any, error)
	Chart(key string, employers []int64, build func() charts.Snippet) charts.Snippet
}

// Deps is what widgets read their figures with.
type Deps struct {
	Reader  analytics.Querier
	Options analytics.Options
	Sector  string    // the benchmark key of the organisation's sector
	Extract time.Time // the data's extract date
	Cache   Cache
}

// View is the filtered view a page shows, in the user's language.
type View struct {
	Filter analytics.Filter // restricted to what the user may see
	// Scope is the filter without its period, as it keys the cache.
	Scope string
	// Query is the request's query, for the parameters of one page (by, at)
	// and to tell a period the user chose from the default one.
	Query url.Values
	By    analytics.Dimension // the page's dimension, "" for none
	At    time.Time           // a reference date the user chose, zero for the default
	Lang  string
	T     func(key string) string
	// Href links to a path keeping the view's filter, with the given
	// parameters set (an empty value removes one).
	Href func(path string, params ...any) string
	// Clients are the employers in scope with their names and latest
	// import, for the provider pages; Pool every employer the user
	// serves, for pooled figures.
	Clients []Client
	Pool    []int64
}

// Client is an employer a provider serves.
type Client struct {
	ID         int64
	Name       string
	LastImport time.Time // zero: none yet
	Extract    time.Time // the extract date of its latest absence import
}

// Key identifies the view in the cache.
func (v View) Key() string {
	return v.Filter.From.Format(time.DateOnly) + "/" + v.Filter.To.Format(time.DateOnly) + "?" + v.Scope
}

// Previous is the same view one period earlier, for "change vs previous".
func (v View) Previous() View {
	days := int(v.Filter.To.Sub(v.Filter.From).Hours()/24) + 1
	v.Filter.To = v.Filter.From.AddDate(0, 0, -1)
	v.Filter.From = v.Filter.To.AddDate(0, 0, -(days - 1))
	return v
}

// ThreeYears widens the default period to three years: interventions take
// months to show their effect, and long cases that long to end. A period
// the user chose stays as chosen.
func (v View) ThreeYears() View {
	if v.Query.Get("from") == "" {
		v.Filter.From = v.Filter.To.AddDate(-3, 0, 1)
	}
	return v
}

// chart renders a chart once per view, language and generation: building
// a go-echarts snippet parses its templates anew each time.
func chart(d Deps, v View, id string, build func() charts.Snippet) charts.Snippet {
	return d.Cache.Chart("chart/"+id+"/"+v.Lang+"?"+v.Key(), v.Filter.Employers, build)
}

// one is the output of a widget with one chart.
func one(c charts.Snippet, data any) Output { return Output{Charts: []charts.Snippet{c}, Data: data} }
