package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// Values lists the groups a Breakdown of f by d would have (suppressed ones
// included), in the same order, without computing any figure: the choices of
// a filter bar, in milliseconds where the breakdown takes seconds. A group is
// a value of an employment piece within the period, or of the piece holding
// the first sick day of a sickness case that touches the period, as in the
// KPI query. d must be a dimension of one column (not ByTeam).
func Values(ctx context.Context, q Querier, f Filter, d Dimension) ([]string, error) {
	byEmployer, err := values(ctx, q, f, d, false)
	return byEmployer[0], err
}

// ValuesByEmployer are, for each employer of f (f.Employers, which share
// f's period), the values Values lists for that employer alone, read in one
// query. An employer without values has none in the map.
func ValuesByEmployer(ctx context.Context, q Querier, f Filter, d Dimension) (map[int64][]string, error) {
	return values(ctx, q, f, d, true)
}

// values lists the values of d, per employer or (under key 0) for all.
func values(ctx context.Context, q Querier, f Filter, d Dimension, perEmployer bool) (map[int64][]string, error) {
	if _, err := ParseDimension(string(d)); err != nil {
		return nil, err
	}
	cols := d.cols()
	if len(cols) != 1 {
		return nil, fmt.Errorf("analytics: Values lists dimensions of one column, not %s", d)
	}
	f, _, err := resolvePeriod(ctx, q, f)
	if err != nil {
		return nil, err
	}
	p := params{}.employers(f)
	p.set("period_from", f.From)
	p.set("period_to", f.To)
	needs := needsFor(f, d)
	needs.employer = perEmployer
	query := render("values", struct {
		Pieces      piecesData
		Filter, Col sqlText
		Employer    bool
	}{pieces(p, needs), f.predicate(p, numFamilies), sqlText(cols[0]), perEmployer}, p)
	rows, err := query.run(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("analytics: values of %s: %w", d, err)
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var employer int64
		var v sql.NullString
		dest := []any{&v}
		if perEmployer {
			dest = []any{&employer, &v}
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("analytics: values of %s: %w", d, err)
		}
		out[employer] = append(out[employer], v.String)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("analytics: values of %s: %w", d, err)
	}
	for _, list := range out {
		slices.SortFunc(list, d.order())
	}
	return out, nil
}
