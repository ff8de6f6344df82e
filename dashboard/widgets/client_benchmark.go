package widgets

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/verzuim/absence/analytics"
)

// ClientBenchmark holds one employer against the pool of every employer
// the provider serves and the CBS rates (national and the installation's
// sector). The pool is shown only when it pools at least
// analytics.MinPooledEmployers employers, so no single employer can be
// read off it.
type ClientBenchmark struct {
	res BenchmarkRows
}

// BenchmarkRows is what the benchmark page shows.
type BenchmarkRows struct {
	Chosen   bool   // one employer is chosen (?employer=)
	Employer string // its name
	Own      analytics.Group
	Pool     analytics.PooledKPISet
	CBS      []analytics.Benchmark // national, then the sector's
}

func (w *ClientBenchmark) Name() string { return "clientBenchmark" }

func (w *ClientBenchmark) Load(ctx context.Context, d Deps, v View) error {
	w.res = BenchmarkRows{}
	if len(v.Filter.Employers) != 1 {
		return nil
	}
	i := slices.IndexFunc(v.Clients, func(c Client) bool { return c.ID == v.Filter.Employers[0] })
	if i < 0 {
		return nil
	}
	w.res.Chosen, w.res.Employer = true, v.Clients[i].Name
	own, err := KPIs.Get(ctx, d, v)
	if err != nil {
		return err
	}
	w.res.Own = own.Total
	pool := v
	pool.Filter.Employers = v.Pool
	var ids []string
	for _, id := range v.Pool {
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	pool.Scope += "&pool=" + strings.Join(ids, ",")
	if w.res.Pool, err = PooledKPIs.Get(ctx, d, pool); err != nil {
		return err
	}
	for _, key := range []string{"national", d.Sector} {
		if b, ok := analytics.Comparable(key, own.Period.From, own.Period.To); ok && key != "" {
			w.res.CBS = append(w.res.CBS, b)
		}
	}
	return nil
}

func (w *ClientBenchmark) Render(Deps, View) Output { return Output{Data: w.res} }

// PooledKPIs are the KPIs of the employers of the filter taken together,
// or only their count when they are too few to pool.
var PooledKPIs = Source[analytics.PooledKPISet]{"pooled_kpis", func(ctx context.Context, d Deps, f analytics.Filter) (analytics.PooledKPISet, error) {
	return analytics.PooledKPIs(ctx, d.Reader, f, d.Options)
}}
