package analytics

import (
	"context"
	"fmt"
)

// Figures over several employers, for a provider. Filter.Employers scopes
// every figure to a set of employers; a figure over more than one is a
// pooled figure. BreakdownByEmployer gives each employer's figures side by
// side (the client overview), PooledKPIs the pool's (the benchmark an
// employer is held against). A pooled figure exists only when it pools at
// least MinPooledEmployers employers with employees in the period, so that
// no single employer can be read off it; small groups within it are
// suppressed as everywhere, counting the pool's employees.

// MinPooledEmployers is the least number of employers a pooled figure pools.
const MinPooledEmployers = 5

// PooledKPISet is the KPI set of a pool of employers.
type PooledKPISet struct {
	// Employers counts the employers of the pool with an employed day in
	// the period (in the filtered population).
	Employers int `json:"employers"`
	// Suppressed: the pool holds fewer than MinPooledEmployers employers,
	// so KPIs is empty.
	Suppressed bool   `json:"suppressed"`
	KPIs       KPISet `json:"kpis"`
}

// PooledKPIs computes the KPI set of the employers of f taken together
// (Filter.Employers; empty means every employer), or only counts them
// when they are too few to pool.
func PooledKPIs(ctx context.Context, q Querier, f Filter, opt Options) (PooledKPISet, error) {
	n, err := PoolSize(ctx, q, f)
	if err != nil {
		return PooledKPISet{}, err
	}
	if n < MinPooledEmployers {
		return PooledKPISet{Employers: n, Suppressed: true}, nil
	}
	k, err := KPIs(ctx, q, f, opt)
	return PooledKPISet{Employers: n, KPIs: k}, err
}

// PoolSize counts the employers of f with an employed day in its period, in
// its population.
func PoolSize(ctx context.Context, q Querier, f Filter) (int, error) {
	f, _, err := resolvePeriod(ctx, q, f)
	if err != nil {
		return 0, err
	}
	p := params{}.period(f)
	var n int
	err = render("pool_size", struct {
		Pieces piecesData
		Filter sqlText
	}{pieces(p, needs{age: f.restricted(famAge), tenure: f.restricted(famTenure), employer: true}), f.predicate(p, numFamilies)}, p).row(ctx, q).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("analytics: count the employers of the pool: %w", err)
	}
	return n, nil
}

// BreakdownByEmployer computes every figure per employer of f (a group's
// key is the employer's id in decimal), plus their total, with small
// groups suppressed. The total is a pooled figure: it is suppressed unless
// it pools at least MinPooledEmployers employers. Open cases run to one
// extract date, the latest of the employers' (Filter.ExtractDate).
func BreakdownByEmployer(ctx context.Context, q Querier, f Filter, opt Options) (BreakdownResult, error) {
	b, err := breakdown(ctx, q, f, opt, []Dimension{ByEmployer})
	if err != nil {
		return b, err
	}
	if len(b.Groups) < MinPooledEmployers {
		b.Total = Group{Key: TotalKey, Suppressed: true}
	}
	return b, nil
}
