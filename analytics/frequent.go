package analytics

import (
	"context"
	"fmt"
	"time"
)

// Absentee is one employee's absence pattern in the window ending at the
// reference date. This is personal data (pseudonymised, still personal): it
// is meant for the employer's case management ("frequent verzuimgesprek"),
// not for statistics, and carries no diagnosis. Bradford scores are guidance,
// never grounds for sanctions on their own.
type Absentee struct {
	EmployeeID string // the stored pseudonym
	// NewCases is the number of sickness cases that started in the window,
	// by the ZMF rules: a relapse after full recovery is a new case.
	// Pregnancy-related sickness and organ donation never count, here nor
	// in Spells and SickDays.
	NewCases int64
	// Spells counts the sickness spells with a sick day in the window; cases
	// back to back (the next starts on the previous one's recovery date, or
	// within Options.BradfordGapDays of it) are one spell.
	Spells int64
	// SickDays counts the calendar days in the window covered by sickness,
	// whole days whatever the percentage.
	SickDays int64
	Bradford float64 // Spells² × SickDays
	Frequent bool    // NewCases >= Options.FrequentThreshold
}

// AbsenteeList is the result of FrequentAbsentees.
type AbsenteeList struct {
	// Window is the period counted: the Options.FrequentWindowMonths months
	// ending at the reference date (the end of the filter's period).
	Window    Period
	Threshold int
	Employees []Absentee // highest Bradford first
}

// FrequentAbsentees lists, for the employees of the filter's population (employed
// on a day of the period), those with at least one sickness spell in the
// window ending at the end of the period, with their case count, spells,
// sick days, Bradford factor and frequent-absentee flag.
func FrequentAbsentees(ctx context.Context, q Querier, f Filter, opt Options) (AbsenteeList, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return AbsenteeList{}, err
	}
	f, _, err = resolvePeriod(ctx, q, f)
	if err != nil {
		return AbsenteeList{}, err
	}
	ws := windowStart(f.To, opt.FrequentWindowMonths)
	p := params{}.period(f)
	p.set("window_start", ws)
	p.set("bradford_gap_days", opt.BradfordGapDays)
	query := render("absentees", struct {
		Pieces piecesData
		Filter sqlText
	}{pieces(p, needsFor(f)), f.predicate(p, numFamilies)}, p)
	rows, err := query.run(ctx, q)
	if err != nil {
		return AbsenteeList{}, fmt.Errorf("analytics: absentees: %w", err)
	}
	defer rows.Close()
	out := AbsenteeList{Window: Period{From: ws, To: f.To, Days: int(f.To.Sub(ws).Hours()/24+0.5) + 1}, Threshold: opt.FrequentThreshold}
	for rows.Next() {
		var a Absentee
		if err := rows.Scan(&a.EmployeeID, &a.NewCases, &a.Spells, &a.SickDays); err != nil {
			return AbsenteeList{}, fmt.Errorf("analytics: absentees: %w", err)
		}
		a.Bradford = float64(a.Spells*a.Spells) * float64(a.SickDays)
		a.Frequent = a.NewCases >= int64(opt.FrequentThreshold)
		out.Employees = append(out.Employees, a)
	}
	if err := rows.Err(); err != nil {
		return AbsenteeList{}, fmt.Errorf("analytics: absentees: %w", err)
	}
	return out, nil
}

// windowStart is the first day of the window of months months ending at ref:
// (ref − months, ref].
func windowStart(ref time.Time, months int) time.Time {
	return addMonths(ref, -months).AddDate(0, 0, 1)
}

// addMonths moves t by n calendar months, keeping the day but clamping it to
// the end of a shorter month (29 Feb 2024 − 12 months = 28 Feb 2023), as
// DuckDB's date arithmetic does.
func addMonths(t time.Time, n int) time.Time {
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, n, 0)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(t.Day(), last)-1)
}
