package analytics

import (
	"context"
	"fmt"
)

// DeadlinesByEmployer counts, for each employer of f (f.Employers, which
// share f's extract date), the Poortwachter deadlines of the coming weeks:
// the length of Tracks' Deadlines for that employer alone. It reads the
// tracks of all of them at once, and of those only the tracks open on the
// extract date (deadlines come from open tracks only), chained from the
// cases of the employees with a case open then: a provider's client
// overview costs two queries per extract date instead of one per client,
// and those read the few employees on sick leave, not every employee. An
// employer without a deadline has none in the map.
func DeadlinesByEmployer(ctx context.Context, q Querier, f Filter, topt TrackOptions, opt Options) (map[int64]int64, error) {
	if _, err := opt.withDefaults(); err != nil {
		return nil, err
	}
	topt, err := topt.withDefaults()
	if err != nil {
		return nil, err
	}
	f, _, err = resolvePeriod(ctx, q, f)
	if err != nil {
		return nil, err
	}
	tracks, err := loadTracks(ctx, q, f, false, true)
	if err != nil {
		return nil, fmt.Errorf("analytics: deadlines by employer: %w", err)
	}
	perEmployee := map[string]int64{}
	for _, t := range tracks {
		if !t.open {
			continue
		}
		due, _ := trackDeadlines(t, f.ExtractDate, topt.horizon(f.ExtractDate))
		if len(due) > 0 {
			perEmployee[t.EmployeeID] += int64(len(due))
		}
	}
	out := map[int64]int64{}
	if len(perEmployee) == 0 {
		return out, nil
	}
	// Pseudonyms are keyed per employer, so an employee id names one
	// employer's employee.
	rows, err := render("open_case_employers", nil, params{"extract_date": f.ExtractDate}.employers(f)).run(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("analytics: deadlines by employer: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var emp string
		var employer int64
		if err := rows.Scan(&emp, &employer); err != nil {
			return nil, fmt.Errorf("analytics: deadlines by employer: %w", err)
		}
		if n, ok := perEmployee[emp]; ok {
			out[employer] += n
			delete(perEmployee, emp)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("analytics: deadlines by employer: %w", err)
	}
	for emp := range perEmployee { // one is enough to tell
		return nil, fmt.Errorf("analytics: deadlines by employer: employee %s has a deadline but no case open on %s", emp, f.ExtractDate.Format("2006-01-02"))
	}
	return out, nil
}
