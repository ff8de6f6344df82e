package analytics

import (
	"context"
	"database/sql"
	"strings"
	"sync"
)

// Recorder is a Querier that keeps every query run through it, with its
// parameters, in the order they ran: what `absence report --explain` prints.
type Recorder struct {
	Querier
	mu      sync.Mutex
	queries []Query
}

// QueryContext records the query and runs it.
func (r *Recorder) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	r.record(query, args)
	return r.Querier.QueryContext(ctx, query, args...)
}

// QueryRowContext records the query and runs it.
func (r *Recorder) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	r.record(query, args)
	return r.Querier.QueryRowContext(ctx, query, args...)
}

// Queries are the queries run so far.
func (r *Recorder) Queries() []Query {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Query(nil), r.queries...)
}

func (r *Recorder) record(query string, args []any) {
	q := Query{SQL: query}
	if first, _, _ := strings.Cut(query, "\n"); strings.HasPrefix(first, "-- analytics/sql/") {
		q.Name = strings.TrimSuffix(strings.TrimPrefix(first, "-- analytics/sql/"), ".sql")
	}
	for _, a := range args {
		if n, ok := a.(sql.NamedArg); ok {
			q.Params = append(q.Params, Param{n.Name, n.Value})
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.queries = append(r.queries, q)
}
