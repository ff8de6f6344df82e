package analytics

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// adjCase is one sickness case as the adjusted intervention effect sees it
// (sql/adjusted_cases.sql): days are counted from the first sick day.
type adjCase struct {
	cluster int    // the employee
	emp     string // the employer's name
	t       int    // days to the end of the case, or observed while open
	ended   bool   // closed by the extract date
	own     bool   // ended back at the own employer: the event; other endings censor
	dept    string
	ageBand string
	ptf     float64 // part-time factor of the contract
	prior   int     // sick reports in the 365 days before
	segFrom []int
	segPct  []float64
	ivs     []adjIntervention // in start order
}

// adjIntervention is an intervention started on day Day of its case.
type adjIntervention struct {
	day      int
	typ, prv string
}

// absentPct is the absence percentage on day d of the case (100 without
// recorded segments).
func (c *adjCase) absentPct(d int) float64 {
	pct := 100.0
	for k, f := range c.segFrom {
		if f <= d {
			pct = c.segPct[k]
		}
	}
	return pct
}

// helpedFrom is the day the first intervention started, −1 without one.
func (c *adjCase) helpedFrom() int {
	if len(c.ivs) == 0 {
		return -1
	}
	return c.ivs[0].day
}

// partialStart: the case began with less than full absence.
func (c *adjCase) partialStart() bool { return c.absentPct(0) < 100 }

// atRisk: the case is known to last more than l days (landmark.sql's rule).
func (c *adjCase) atRisk(l int) bool { return c.t > l || (c.t == l && !c.ended) }

// adjustedCases reads the cases of the filter's period.
func adjustedCases(ctx context.Context, q Querier, f Filter) ([]adjCase, error) {
	p := params{}.period(f).vocabulary()
	rd := recoveryData{Pieces: pieces(p, needs{age: true, tenure: f.restricted(famTenure), employer: true}), Filter: f.predicate(p, numFamilies),
		Name: "cases", Groups: "p.dept AS dept, p.age_band AS age_band, p.ptf AS ptf, p.employer AS employer, ", Ends: true}
	rows, err := render("adjusted_cases", struct{ Recovery recoveryData }{rd}, p).run(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("analytics: adjusted effect: %w", err)
	}
	defer rows.Close()
	// The cases in the order of their employee's pseudonym, then their
	// first sick day (the query leaves the order to us: see its comment).
	type sorted struct {
		emp       int64
		pseudonym string
		fsd       time.Time
		c         adjCase
	}
	var all []sorted
	for rows.Next() {
		var s sorted
		c := &s.c
		var ends string
		var ev bool
		var segFrom, segPct, ivDay, ivType, ivProv []any
		if err := rows.Scan(&s.emp, &s.pseudonym, &s.fsd, &c.emp, &c.t, &ev, &ends, &c.dept, &c.ageBand, &c.ptf, &c.prior, &segFrom, &segPct, &ivDay, &ivType, &ivProv); err != nil {
			return nil, fmt.Errorf("analytics: adjusted effect: %w", err)
		}
		c.ended, c.own = ev, ev && ends == EndOwnEmployer
		c.segFrom, c.segPct = make([]int, len(segFrom)), make([]float64, len(segFrom))
		for i, k := range segmentOrder(segFrom) {
			c.segFrom[i], c.segPct[i] = asInt(segFrom[k]), segPct[k].(float64)
		}
		for i := range ivDay {
			c.ivs = append(c.ivs, adjIntervention{day: asInt(ivDay[i]), typ: ivType[i].(string), prv: ivProv[i].(string)})
		}
		all = append(all, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("analytics: adjusted effect: %w", err)
	}
	slices.SortFunc(all, func(a, b sorted) int {
		return cmp.Or(cmp.Compare(a.pseudonym, b.pseudonym), a.fsd.Compare(b.fsd))
	})
	clusters := map[int64]int{}
	out := make([]adjCase, len(all))
	for i, s := range all {
		k, ok := clusters[s.emp]
		if !ok {
			k = len(clusters)
			clusters[s.emp] = k
		}
		out[i] = s.c
		out[i].cluster = k
	}
	return out, nil
}

// segmentOrder is the order of a case's segments by their first day (the
// query lists them in no order).
func segmentOrder(from []any) []int {
	order := make([]int, len(from))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(asInt(from[a]), asInt(from[b])) })
	return order
}

func asInt(v any) int {
	switch x := v.(type) {
	case int32:
		return int(x)
	case int64:
		return int(x)
	case int:
		return x
	}
	panic(fmt.Sprintf("analytics: adjusted effect: %T is not a day count", v))
}
