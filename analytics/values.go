package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
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
	query := "WITH " + strings.NewReplacer(
		"{{PIECES}}", piecesSQL(needsFor(f, d)),
		"{{FILTER}}", f.predicate(numFamilies),
		"{{COL}}", cols[0],
		"{{PS}}", dateLit(f.From),
		"{{PE}}", dateLit(f.To),
		"{{OPEN}}", openEnd,
		"{{SICK_TYPES}}", sickTypes,
	).Replace(`{{PIECES}},
fp AS (SELECT * FROM pieces WHERE {{FILTER}})
SELECT {{COL}} FROM fp WHERE s <= {{PE}} AND e > {{PS}}
UNION
SELECT p.{{COL}} FROM absence_cases c JOIN fp p ON p.emp = c.employee_id AND p.s <= c.first_sick_day AND c.first_sick_day < p.e
WHERE c.absence_type IN {{SICK_TYPES}} AND c.first_sick_day <= {{PE}} AND coalesce(c.recovery_date, {{OPEN}}) >= {{PS}}`)
	rows, err := q.QueryContext(ctx, query)
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
