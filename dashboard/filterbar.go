package dashboard

import (
	"errors"
	"html/template"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/verzuim/absence/analytics"
)

// view is what the filter bar holds; it lives in the URL so every view can be
// bookmarked and shared, and survives navigation.
type view struct {
	From, To    time.Time
	Departments []string
	Teams       []string // "department/team"
	Locations   []string
	AgeBands    []string
	HoursBands  []string
	// scope is the employers and provider the account sees (scope.go).
	scope scope
}

var errForbidden = errors.New("forbidden")

// values are a parameter's non-empty values ("All" in a select sends "").
func values(q url.Values, key string) []string {
	var out []string
	for _, v := range q[key] {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// parseView reads the filter from the query. The period defaults to the 12
// months up to the extract date. A value it cannot use is an inputError.
func parseView(q url.Values, extract time.Time) (view, error) {
	v := view{Departments: values(q, "dept"), Teams: values(q, "team"), Locations: values(q, "loc"), AgeBands: values(q, "age"), HoursBands: values(q, "hours")}
	if extract.IsZero() {
		extract = time.Now().UTC().Truncate(24 * time.Hour)
	}
	v.To, v.From = extract, extract.AddDate(-1, 0, 1)
	for key, dst := range map[string]*time.Time{"from": &v.From, "to": &v.To} {
		if s := q.Get(key); s != "" {
			d, err := time.Parse("2006-01-02", s)
			if err != nil {
				return v, badInput("bad_date", s)
			}
			if d.Year() < 1900 || d.Year() > 2100 {
				return v, badInput("date_range", s)
			}
			*dst = d
		}
	}
	if v.To.Before(v.From) {
		return v, badInput("period_reversed", v.To.Format("2006-01-02"), v.From.Format("2006-01-02"))
	}
	for _, key := range filterParams {
		for _, s := range q[key] {
			if strings.ContainsFunc(s, unicode.IsControl) {
				return v, badInput("control_char", key)
			}
		}
	}
	for _, t := range v.Teams {
		if dept, team, ok := strings.Cut(t, "/"); !ok || dept == "" || team == "" {
			return v, badInput("bad_team", t)
		}
	}
	// The bands are analytics' (an age can also be unrecorded).
	if err := known(v.AgeBands, append(bandLabels(analytics.AgeBands), analytics.NotRecorded), "bad_age"); err != nil {
		return v, err
	}
	return v, known(v.HoursBands, bandLabels(analytics.HoursBands), "bad_hours")
}

// known checks that each label is one of names.
func known(labels, names []string, key string) error {
	for _, l := range labels {
		if !slices.Contains(names, l) {
			return badInput(key, l, strings.Join(names, ", "))
		}
	}
	return nil
}

// restrict applies what the user may see: a manager sees only their own
// departments, whatever the URL asks.
func (v *view) restrict(u User) error {
	if u.Role != RoleManager {
		return nil
	}
	if len(v.Departments) == 0 && len(v.Teams) == 0 {
		v.Departments = slices.Clone(u.Departments)
		return nil
	}
	for _, d := range v.Departments {
		if !slices.Contains(u.Departments, d) {
			return errForbidden
		}
	}
	for _, t := range v.Teams {
		dept, _, _ := strings.Cut(t, "/")
		if !slices.Contains(u.Departments, dept) {
			return errForbidden
		}
	}
	return nil
}

// filter is the view's population, within the account's scope: the one
// place the employers and the provider enter the figures.
func (v view) filter() analytics.Filter {
	f := analytics.Filter{From: v.From, To: v.To, Locations: v.Locations, AgeBands: v.AgeBands, HoursBands: v.HoursBands,
		Employers: v.scope.ids()}
	if v.scope.provider != "" {
		f.Providers = []string{v.scope.provider}
	}
	for _, d := range v.Departments {
		f.Units = append(f.Units, analytics.Unit{Department: d})
	}
	for _, t := range v.Teams {
		dept, team, _ := strings.Cut(t, "/")
		f.Units = append(f.Units, analytics.Unit{Department: dept, Team: team})
	}
	return f
}

// query renders the view back into URL parameters.
func (v view) query() url.Values {
	q := url.Values{}
	q.Set("from", v.From.Format("2006-01-02"))
	q.Set("to", v.To.Format("2006-01-02"))
	for _, d := range v.Departments {
		q.Add("dept", d)
	}
	for _, t := range v.Teams {
		q.Add("team", t)
	}
	for _, l := range v.Locations {
		q.Add("loc", l)
	}
	for _, a := range v.AgeBands {
		q.Add("age", a)
	}
	for _, h := range v.HoursBands {
		q.Add("hours", h)
	}
	return q
}

// filterParams are the URL parameters of the filter.
var filterParams = []string{"employer", "from", "to", "dept", "team", "loc", "age", "hours"}

// linkQuery is the filter of a request as its links carry it on: the
// parameters the user set, as set, so that a bookmark of the default period
// stays "the latest 12 months".
func linkQuery(q url.Values) template.URL {
	out := url.Values{}
	for _, k := range filterParams {
		if v := values(q, k); len(v) > 0 {
			out[k] = v
		}
	}
	return template.URL(out.Encode())
}

// filterChoices are the values the filter bar offers.
type filterChoices struct {
	Departments, Locations, AgeBands, HoursBands []string
	Pending                                      bool // the lists are not ready: only what is chosen is offered
}

func bandLabels(bands []analytics.Band) []string {
	var out []string
	for _, b := range bands {
		out = append(out, b.Label)
	}
	return out
}
