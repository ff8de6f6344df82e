// Package reports is what `absence report` computes, in one place for the
// command line and the server: each kind of report, its parameters and the
// analysis it runs. The command line computes a report against the file, or
// asks a running server for it (GET /api/v1/report/KIND with the same
// parameters) and formats the server's JSON with the same code, so the
// output is the same either way.
package reports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/verzuim/absence/analytics"
)

// Kinds are the report kinds: the statistics of `absence report`, and the
// outcome reports of `absence report KIND`.
var Kinds = []string{"statistics", "survival", "outcomes", "progression", "tracks", "interventions", "frequent-to-long"}

// Request is one report: its kind and parameters. A zero value means the
// default, which the database decides where it depends on the data (the
// outcome reports' period ends at the extract date; the reference date of
// frequent-to-long is two years before it).
type Request struct {
	Kind                  string
	From, To, ExtractDate time.Time
	By                    analytics.Dimension
	Vernet                bool    // statistics: Vernet's duration classes
	CostPerFTEDay         float64 // statistics: the wage cost of a full-time day, over the configuration's
	Robust                bool    // survival
	AllTimes              bool    // outcomes
	At                    time.Time
	Cohort                string         // progression: month or quarter
	Weeks                 int            // progression, tracks
	Landmarks             []int          // interventions
	TypeLandmarks         map[string]int // interventions: the adjusted effect's landmark day per type
	RelapseIndexDays      int            // interventions; 0: the configuration's
	// Employers restricts the report to these employers (none: every
	// employer); resolved from names where the database is, so it does
	// not travel in Query.
	Employers []int64
}

// Options are base (the thresholds of the installation) with the request's
// own settings.
func (r Request) Options(base analytics.Options) analytics.Options {
	opt := base
	if r.Vernet {
		opt.DurationClasses = analytics.VernetDurationClasses
	}
	if r.CostPerFTEDay > 0 {
		opt.Cost.WagePerFTEDay = r.CostPerFTEDay
	}
	opt.Robust = r.Robust
	if r.RelapseIndexDays > 0 {
		opt.RelapseIndexDays = r.RelapseIndexDays
	}
	return opt
}

// Interventions is the result of the interventions report.
type Interventions struct {
	Interventions analytics.InterventionsResult `json:"interventions"`
	Landmark      analytics.LandmarkResult      `json:"landmark"`
	// The adjusted effect per type and provider by each method, the
	// timing model, and their definitions.
	Adjusted            []analytics.AdjustedEstimate `json:"adjusted"`
	AdjustedTiming      []analytics.TimingEstimate   `json:"adjusted_timing"`
	AdjustedDefinitions analytics.DefinitionList     `json:"adjusted_definitions"`
	// Dose: the outcome by sessions band and completion (descriptive);
	// Cost: the return on interventions and who bore their cost.
	Dose analytics.DoseResult       `json:"dose"`
	Cost analytics.InterventionCost `json:"cost"`
}

// Compute runs the report's analysis with options opt (Options).
func Compute(ctx context.Context, q analytics.Querier, r Request, opt analytics.Options) (any, error) {
	f := analytics.Filter{From: r.From, To: r.To, ExtractDate: r.ExtractDate, Employers: r.Employers}
	if r.Kind == "statistics" {
		if r.By == "" {
			k, err := analytics.KPIs(ctx, q, f, opt)
			return k.Report(), err
		}
		b, err := analytics.Breakdown(ctx, q, f, r.By, opt)
		return b.Report(), err
	}
	f, err := outcomePeriod(ctx, q, f)
	if err != nil {
		return nil, err
	}
	switch r.Kind {
	case "survival":
		return analytics.Survival(ctx, q, f, r.By, opt)
	case "outcomes":
		return analytics.Outcomes(ctx, q, f, r.By, analytics.OutcomesOptions{AllTimes: r.AllTimes}, opt)
	case "frequent-to-long":
		at := r.At
		if at.IsZero() {
			ex := f.ExtractDate
			if ex.IsZero() {
				if ex, err = analytics.LatestExtractDate(ctx, q, f.Employers...); err != nil {
					return nil, err
				}
			}
			at = analytics.DefaultReferenceDate(ex)
		}
		return analytics.FrequentToLong(ctx, q, f, at, opt)
	case "progression":
		return analytics.Progression(ctx, q, f, analytics.ProgressionOptions{Cohort: analytics.Granularity(r.Cohort), GridWeeks: r.Weeks}, opt)
	case "tracks":
		return analytics.Tracks(ctx, q, f, analytics.TrackOptions{DeadlineWeeks: r.Weeks}, opt)
	case "interventions":
		var rep Interventions
		if rep.Interventions, err = analytics.Interventions(ctx, q, f, opt); err == nil {
			rep.Landmark, err = analytics.Landmark(ctx, q, f, analytics.LandmarkOptions{Landmarks: r.Landmarks}, opt)
		}
		var adj analytics.AdjustedResult
		if err == nil {
			adj, err = analytics.Adjusted(ctx, q, f, analytics.AdjustedOptions{Landmarks: r.TypeLandmarks}, opt)
			rep.Adjusted, rep.AdjustedTiming, rep.AdjustedDefinitions = adj.Estimates, adj.Timing, adj.Definitions
		}
		if err == nil {
			rep.Dose, err = analytics.Dose(ctx, q, f, opt)
		}
		if err == nil {
			rep.Cost, err = analytics.InterventionCosts(ctx, q, f, adj, opt)
		}
		return rep, err
	}
	return nil, fmt.Errorf("unknown report %q; expected one of %s", r.Kind, strings.Join(Kinds, ", "))
}

// outcomePeriod fills in the outcome reports' default period: to the
// extract date, from a year before the end.
func outcomePeriod(ctx context.Context, q analytics.Querier, f analytics.Filter) (analytics.Filter, error) {
	if f.To.IsZero() {
		f.To = f.ExtractDate
		if f.To.IsZero() {
			var err error
			if f.To, err = analytics.LatestExtractDate(ctx, q, f.Employers...); err != nil {
				return f, err
			}
			if f.To.IsZero() {
				return f, errors.New("no absence data yet: import an absence export first")
			}
		}
	}
	if f.From.IsZero() {
		f.From = f.To.AddDate(-1, 0, 1)
	}
	return f, nil
}

// Decode reads a report of kind as the server sends it (the JSON of
// Compute's result) into the same type Compute returns.
func Decode(kind string, data []byte) (any, error) {
	switch kind {
	case "statistics":
		return decodeAs[analytics.Report](data)
	case "survival":
		return decodeAs[analytics.SurvivalResult](data)
	case "outcomes":
		return decodeAs[analytics.OutcomesResult](data)
	case "frequent-to-long":
		return decodeAs[analytics.FrequentToLongResult](data)
	case "progression":
		return decodeAs[analytics.ProgressionResult](data)
	case "tracks":
		return decodeAs[analytics.TracksResult](data)
	case "interventions":
		return decodeAs[Interventions](data)
	}
	return nil, fmt.Errorf("unknown report %q", kind)
}

func decodeAs[T any](data []byte) (any, error) {
	var v T
	err := json.Unmarshal(data, &v)
	return v, err
}

// Query is the request as URL query parameters, named as the command
// line's flags (with _ for -); defaults are left out.
func (r Request) Query() url.Values {
	v := url.Values{}
	day := func(name string, t time.Time) {
		if !t.IsZero() {
			v.Set(name, t.Format(time.DateOnly))
		}
	}
	day("from", r.From)
	day("to", r.To)
	day("extract_date", r.ExtractDate)
	day("at", r.At)
	set := func(name, value string, given bool) {
		if given {
			v.Set(name, value)
		}
	}
	set("by", string(r.By), r.By != "")
	set("classes", "vernet", r.Vernet)
	set("cost_per_fte_day", strconv.FormatFloat(r.CostPerFTEDay, 'g', -1, 64), r.CostPerFTEDay != 0)
	set("robust", "true", r.Robust)
	set("all_times", "true", r.AllTimes)
	set("cohort", r.Cohort, r.Cohort != "")
	set("weeks", strconv.Itoa(r.Weeks), r.Weeks != 0)
	set("relapse_index_days", strconv.Itoa(r.RelapseIndexDays), r.RelapseIndexDays != 0)
	if len(r.Landmarks) > 0 {
		ls := make([]string, len(r.Landmarks))
		for i, l := range r.Landmarks {
			ls[i] = strconv.Itoa(l)
		}
		v.Set("landmark", strings.Join(ls, ","))
	}
	if len(r.TypeLandmarks) > 0 {
		var ls []string
		for _, typ := range slices.Sorted(maps.Keys(r.TypeLandmarks)) {
			ls = append(ls, typ+"="+strconv.Itoa(r.TypeLandmarks[typ]))
		}
		v.Set("type_landmark", strings.Join(ls, ","))
	}
	return v
}

// ParseQuery reads a request of kind from URL query parameters (Query).
// Its errors name the parameter and what it expects.
func ParseQuery(kind string, v url.Values) (Request, error) {
	r := Request{Kind: kind}
	if !slices.Contains(Kinds, kind) {
		return r, fmt.Errorf("unknown report %q; expected one of %s", kind, strings.Join(Kinds, ", "))
	}
	var errs []error
	day := func(name string) time.Time {
		s := v.Get(name)
		if s == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %q: expected YYYY-MM-DD", name, s))
		}
		return t
	}
	number := func(name string) int {
		s := v.Get(name)
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			errs = append(errs, fmt.Errorf("%s %q: expected a positive whole number", name, s))
		}
		return n
	}
	r.From, r.To, r.ExtractDate, r.At = day("from"), day("to"), day("extract_date"), day("at")
	if kind == "statistics" && (r.From.IsZero() || r.To.IsZero()) {
		errs = append(errs, errors.New("from and to are required"))
	}
	if by := v.Get("by"); by != "" {
		d, err := analytics.ParseDimension(by)
		if err != nil {
			errs = append(errs, fmt.Errorf("by: %w", err))
		}
		r.By = d
	}
	switch c := v.Get("classes"); c {
	case "", "default":
	case "vernet":
		r.Vernet = true
	default:
		errs = append(errs, fmt.Errorf("classes %q: expected default or vernet", c))
	}
	if s := v.Get("cost_per_fte_day"); s != "" {
		var err error
		if r.CostPerFTEDay, err = strconv.ParseFloat(s, 64); err != nil || r.CostPerFTEDay < 0 {
			errs = append(errs, fmt.Errorf("cost_per_fte_day %q: expected an amount in euros", s))
		}
	}
	r.Robust, r.AllTimes = v.Get("robust") == "true", v.Get("all_times") == "true"
	r.Cohort = v.Get("cohort")
	if r.Cohort != "" && r.Cohort != "month" && r.Cohort != "quarter" {
		errs = append(errs, fmt.Errorf("cohort %q: expected month or quarter", r.Cohort))
	}
	r.Weeks, r.RelapseIndexDays = number("weeks"), number("relapse_index_days")
	if s := v.Get("landmark"); s != "" {
		var err error
		if r.Landmarks, err = ParseLandmarks(s); err != nil {
			errs = append(errs, err)
		}
	}
	if s := v.Get("type_landmark"); s != "" {
		var err error
		if r.TypeLandmarks, err = ParseTypeLandmarks(s); err != nil {
			errs = append(errs, err)
		}
	}
	return r, errors.Join(errs...)
}

// ParseLandmarks reads landmark days such as "42,91".
func ParseLandmarks(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		l, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || l <= 0 {
			return nil, fmt.Errorf("landmark %q: expected days, such as 42,91", s)
		}
		out = append(out, l)
	}
	return out, nil
}

// ParseTypeLandmarks reads landmark days per intervention type such as
// "second_track=365,intervention_talk=42".
func ParseTypeLandmarks(s string) (map[string]int, error) {
	out := map[string]int{}
	for _, part := range strings.Split(s, ",") {
		typ, day, ok := strings.Cut(strings.TrimSpace(part), "=")
		l, err := strconv.Atoi(day)
		if !ok || err != nil || l <= 0 || !slices.Contains(analytics.InterventionTypes, typ) {
			return nil, fmt.Errorf("type-landmark %q: expected TYPE=DAYS with a type of %s, such as second_track=365", s, strings.Join(analytics.InterventionTypes, ", "))
		}
		out[typ] = l
	}
	return out, nil
}
