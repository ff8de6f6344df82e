package storage

import (
	"context"
	"fmt"
)

// EmployerVersions gives each employer the data version of its own data:
// the newest import, undo or purge that changed it (0 for none). It goes
// up with every change of that employer's data and with no other
// employer's, so figures of one employer can be kept while others import.
// A purge of every employer changes each one's version; a purge that
// removed no employee changes none (it removed only what undo and the
// reject reports read, which no figure does). A failed import stores
// nothing.
func (r *Reader) EmployerVersions(ctx context.Context) (map[int64]int64, error) {
	rows, err := r.db.QueryContext(ctx, `WITH changes AS (
			SELECT i.import_id, i.employer_id FROM imports i LEFT JOIN purges p USING (import_id)
			WHERE i.status IN ('committed', 'undone') AND coalesce(p.employees, 1) > 0),
		everyone AS (SELECT coalesce(max(import_id), 0) AS version FROM changes WHERE employer_id IS NULL),
		own AS (SELECT employer_id, max(import_id) AS version FROM changes WHERE employer_id IS NOT NULL GROUP BY ALL)
		SELECT e.employer_id, greatest(coalesce(own.version, 0), everyone.version)::BIGINT
		FROM employers e LEFT JOIN own USING (employer_id), everyone`)
	if err != nil {
		return nil, fmt.Errorf("read the data version of each employer: %w", err)
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var id, v int64
		if err := rows.Scan(&id, &v); err != nil {
			return nil, fmt.Errorf("read the data version of each employer: %w", err)
		}
		out[id] = v
	}
	return out, rows.Err()
}
