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
	query := render("values", struct {
		Pieces      piecesData
		Filter, Col sqlText
	}{pieces(p, needsFor(f, d)), f.predicate(p, numFamilies), sqlText(cols[0])}, p)
	rows, err := query.run(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("analytics: values of %s: %w", d, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v sql.NullString
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("analytics: values of %s: %w", d, err)
		}
		out = append(out, v.String)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("analytics: values of %s: %w", d, err)
	}
	slices.SortFunc(out, d.order())
	return out, nil
}
