package widgets

import (
	"context"
	"errors"
	"time"

	"github.com/verzuim/absence/analytics"
)

// Source is one figure of analytics as the dashboard reads it: computed once
// per view and generation of the data, through the cache. Pages and the API
// read the same sources, so they show the same numbers.
type Source[T any] struct {
	Name    string // names the figure in the cache and the metrics
	Compute func(ctx context.Context, d Deps, f analytics.Filter) (T, error)
}

// Get is the figure for view v.
func (s Source[T]) Get(ctx context.Context, d Deps, v View) (T, error) {
	x, err := d.Cache.Figure(ctx, s.Name, v.Key(), v.Filter.Employers, func(ctx context.Context) (any, error) {
		return s.Compute(ctx, d, v.Filter)
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return x.(T), nil
}

var (
	KPIs = Source[analytics.KPISet]{"kpis", func(ctx context.Context, d Deps, f analytics.Filter) (analytics.KPISet, error) {
		return analytics.KPIs(ctx, d.Reader, f, d.Options)
	}}
	Series = Source[analytics.SeriesResult]{"series", func(ctx context.Context, d Deps, f analytics.Filter) (analytics.SeriesResult, error) {
		return analytics.Series(ctx, d.Reader, f, analytics.Monthly, d.Options)
	}}
	Survival = Source[analytics.SurvivalResult]{"survival", func(ctx context.Context, d Deps, f analytics.Filter) (analytics.SurvivalResult, error) {
		return analytics.Survival(ctx, d.Reader, f, "", d.Options)
	}}
	Progression = Source[analytics.ProgressionResult]{"progression", func(ctx context.Context, d Deps, f analytics.Filter) (analytics.ProgressionResult, error) {
		return analytics.Progression(ctx, d.Reader, f, analytics.ProgressionOptions{}, d.Options)
	}}
	Tracks = Source[analytics.TracksResult]{"tracks", func(ctx context.Context, d Deps, f analytics.Filter) (analytics.TracksResult, error) {
		return analytics.Tracks(ctx, d.Reader, f, analytics.TrackOptions{DeadlineWeeks: 6}, d.Options)
	}}
	Interventions = Source[analytics.InterventionsResult]{"interventions", func(ctx context.Context, d Deps, f analytics.Filter) (analytics.InterventionsResult, error) {
		return analytics.Interventions(ctx, d.Reader, f, d.Options)
	}}
	Landmark = Source[analytics.LandmarkResult]{"landmark", func(ctx context.Context, d Deps, f analytics.Filter) (analytics.LandmarkResult, error) {
		return analytics.Landmark(ctx, d.Reader, f, analytics.LandmarkOptions{}, d.Options)
	}}
	// Absentees lists the frequent absentees only (analytics lists everyone
	// with a spell in the window).
	Absentees = Source[analytics.AbsenteeList]{"absentees", func(ctx context.Context, d Deps, f analytics.Filter) (analytics.AbsenteeList, error) {
		list, err := analytics.FrequentAbsentees(ctx, d.Reader, f, d.Options)
		var frequent []analytics.Absentee
		for _, a := range list.Employees {
			if a.Frequent {
				frequent = append(frequent, a)
			}
		}
		list.Employees = frequent
		return list, err
	}}
)

// EmployerBreakdown is the statistics per employer, for a provider: a
// group's key is the employer's id.
var EmployerBreakdown = Source[analytics.BreakdownResult]{"breakdown/employer", func(ctx context.Context, d Deps, f analytics.Filter) (analytics.BreakdownResult, error) {
	return analytics.BreakdownByEmployer(ctx, d.Reader, f, d.Options)
}}

// ClientDeadlines are the Poortwachter deadlines of the coming 6 weeks (as
// Tracks) per employer of the view, whose employers share its extract date.
var ClientDeadlines = Source[map[int64]int64]{"deadlines/employer", func(ctx context.Context, d Deps, f analytics.Filter) (map[int64]int64, error) {
	return analytics.DeadlinesByEmployer(ctx, d.Reader, f, analytics.TrackOptions{DeadlineWeeks: 6}, d.Options)
}}

// Breakdown is the statistics per value of dimension by.
func Breakdown(by analytics.Dimension) Source[analytics.BreakdownResult] {
	return Source[analytics.BreakdownResult]{"breakdown/" + string(by), func(ctx context.Context, d Deps, f analytics.Filter) (analytics.BreakdownResult, error) {
		return analytics.Breakdown(ctx, d.Reader, f, by, d.Options)
	}}
}

// Values are the values of a dimension in the view, for the filter bar.
func Values(by analytics.Dimension) Source[[]string] {
	return Source[[]string]{"values/" + string(by), func(ctx context.Context, d Deps, f analytics.Filter) ([]string, error) {
		return analytics.Values(ctx, d.Reader, f, by)
	}}
}

// Outcomes is how the cases of the view ended (every time at which a case
// ended, for the chart), per value of by when given. Read it for
// v.ThreeYears(): long cases take that long to end.
func Outcomes(by analytics.Dimension) Source[analytics.OutcomesResult] {
	return Source[analytics.OutcomesResult]{"outcomes/" + string(by), func(ctx context.Context, d Deps, f analytics.Filter) (analytics.OutcomesResult, error) {
		return analytics.Outcomes(ctx, d.Reader, f, by, analytics.OutcomesOptions{AllTimes: true}, d.Options)
	}}
}

// ErrReferenceDate is a reference date too late to follow anyone up to the
// extract date.
type ErrReferenceDate struct{ At, Extract time.Time }

func (e ErrReferenceDate) Error() string {
	return "reference date " + e.At.Format(time.DateOnly) + " leaves no follow-up before the extract date " + e.Extract.Format(time.DateOnly)
}

// FrequentToLong follows the frequent absentees of reference date at (the
// zero time: analytics.DefaultReferenceDate of the extract date).
func FrequentToLong(ctx context.Context, d Deps, v View, at time.Time) (analytics.FrequentToLongResult, error) {
	if d.Extract.IsZero() { // nothing imported yet: no one to follow up
		return analytics.FrequentToLongResult{CumulativeIncidence: []analytics.FrequentToLongEstimate{}}, nil
	}
	if at.IsZero() {
		at = analytics.DefaultReferenceDate(d.Extract)
	}
	if at.After(d.Extract) { // no data to follow anyone up with
		return analytics.FrequentToLongResult{}, ErrReferenceDate{at, d.Extract}
	}
	res, err := Source[analytics.FrequentToLongResult]{"frequent-to-long/" + at.Format(time.DateOnly), func(ctx context.Context, d Deps, f analytics.Filter) (analytics.FrequentToLongResult, error) {
		return analytics.FrequentToLong(ctx, d.Reader, f, at, d.Options)
	}}.Get(ctx, d, v)
	if errors.Is(err, analytics.ErrReferenceDate) {
		return res, ErrReferenceDate{at, d.Extract}
	}
	return res, err
}
