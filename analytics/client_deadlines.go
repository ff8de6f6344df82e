package analytics

import (
	"context"
	"fmt"
)

// DeadlinesByEmployer counts, for each employer of f (f.Employers, which
// share f's extract date), the Poortwachter deadlines of the coming weeks:
// the length of Tracks' Deadlines for that employer alone. It reads the
// tracks of all of them at once, so a provider's client overview costs
// two queries per extract date instead of one per client. An employer
// without a deadline has none in the map.
func DeadlinesByEmployer(ctx context.Context, q Querier, f Filter, topt TrackOptions, opt Options) (map[int64]int64, error) {
	res, err := Tracks(ctx, q, f, topt, opt)
	if err != nil {
		return nil, err
	}
	out := map[int64]int64{}
	if len(res.Deadlines) == 0 {
		return out, nil
	}
	// Pseudonyms are keyed per employer, so an employee id names one
	// employer's employee.
	rows, err := render("open_case_employers", nil, params{"extract_date": res.ExtractDate.Time}.employers(f)).run(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("analytics: deadlines by employer: %w", err)
	}
	defer rows.Close()
	employerOf := map[string]int64{}
	for rows.Next() {
		var emp string
		var employer int64
		if err := rows.Scan(&emp, &employer); err != nil {
			return nil, fmt.Errorf("analytics: deadlines by employer: %w", err)
		}
		employerOf[emp] = employer
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("analytics: deadlines by employer: %w", err)
	}
	for _, d := range res.Deadlines {
		employer, ok := employerOf[d.EmployeeID]
		if !ok {
			return nil, fmt.Errorf("analytics: deadlines by employer: employee %s has a deadline but no case open on %s", d.EmployeeID, res.ExtractDate.Format("2006-01-02"))
		}
		out[employer]++
	}
	return out, nil
}
