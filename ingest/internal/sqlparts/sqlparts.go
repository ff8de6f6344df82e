// Package sqlparts holds the small pieces of DuckDB SQL that both the
// storage and the import write: quoted literals of our own names, paths and
// dates, and the comparison of two rows on every column. Values a user
// typed into a form or a flag are bound parameters, never these.
package sqlparts

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Quote makes s a SQL string literal.
func Quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// Date makes the day of t a SQL date literal.
func Date(t time.Time) string { return "DATE " + Quote(t.Format(time.DateOnly)) }

// SameRow compares aliases a and b on every column, NULL equal to NULL.
func SameRow(cols []string, a, b string) string {
	conds := make([]string, len(cols))
	for i, c := range cols {
		conds[i] = fmt.Sprintf("%s.%s IS NOT DISTINCT FROM %s.%s", a, c, b, c)
	}
	return strings.Join(conds, " AND ")
}

// Querier is a connection, a transaction or a read-only reader.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Columns names the columns of a table (one of ours, never a user's name),
// in order.
func Columns(ctx context.Context, q Querier, table string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT * FROM `+table+` LIMIT 0`)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	defer rows.Close()
	return rows.Columns()
}
