package widgets

import (
	"context"

	"github.com/verzuim/absence/analytics"
)

// Widgets that are a table of one result: the template shows the result as
// it is.

// table is a widget that shows one figure as its template lays it out.
type table[T any] struct {
	name string
	get  func(ctx context.Context, d Deps, v View) (T, error)
	res  T
}

func (w *table[T]) Name() string { return w.name }

func (w *table[T]) Load(ctx context.Context, d Deps, v View) (err error) {
	w.res, err = w.get(ctx, d, v)
	return err
}

func (w *table[T]) Render(Deps, View) Output { return Output{Data: w.res} }

// InterventionTables are the interventions not linked to a case, the
// relapses after a return and the figures per provider (three years by
// default).
func InterventionTables() Widget {
	return &table[analytics.InterventionsResult]{name: "interventionTables", get: func(ctx context.Context, d Deps, v View) (analytics.InterventionsResult, error) {
		return Interventions.Get(ctx, d, v.ThreeYears())
	}}
}

// LandmarkTable compares, free of the immortal-time bias of naive
// comparisons, the cases still absent at day L with and without an
// intervention, with n per arm (three years by default).
func LandmarkTable() Widget {
	return &table[analytics.LandmarkResult]{name: "landmark", get: func(ctx context.Context, d Deps, v View) (analytics.LandmarkResult, error) {
		return Landmark.Get(ctx, d, v.ThreeYears())
	}}
}

// AbsenteeTable lists the frequent absentees by pseudonym.
func AbsenteeTable() Widget {
	return &table[analytics.AbsenteeList]{name: "absentees", get: Absentees.Get}
}

// FrequentToLongTable follows the frequent absentees of the reference date
// v.At forward: do they start a long case more often than the others?
// Nothing (nil) before the first import: the page says there are no data.
func FrequentToLongTable() Widget {
	return &table[*analytics.FrequentToLongResult]{name: "frequentToLong", get: func(ctx context.Context, d Deps, v View) (*analytics.FrequentToLongResult, error) {
		if d.Extract.IsZero() {
			return nil, nil
		}
		res, err := FrequentToLong(ctx, d, v, v.At)
		return &res, err
	}}
}
