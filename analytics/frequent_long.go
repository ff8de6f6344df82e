package analytics

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Frequent absence followed by long absence: do the employees on the
// frequent-absentee list at a reference date start a long case more often
// afterwards than the others? The list itself is a snapshot; this follows
// both groups forward from the reference date.

// FrequentToLongMonths are the months after the reference date at which
// the share with a long case is given.
var FrequentToLongMonths = []int{12, 24, 48}

// LongAbsenceDays: a case lasting more than this many days (six weeks) is
// long-term absence.
const LongAbsenceDays = 42

// ErrReferenceDate marks a reference date that leaves no follow-up.
var ErrReferenceDate = errors.New("reference date")

// DefaultReferenceDate is the reference date to use when none is chosen:
// two years before the extract date, the earliest whose 12-month window
// lies within three years of data, with the longest follow-up.
func DefaultReferenceDate(extract time.Time) time.Time { return dateOnly(extract).AddDate(-2, 0, 0) }

// The groups of FrequentToLong.
const (
	GroupFrequent = "frequent"
	GroupOther    = "other"
)

// FrequentToLongEstimate is the share of a group's employees who started a
// long case within Months months (T days) of the reference date, as a
// fraction with its 95% interval; null beyond the follow-up or when the
// group is suppressed.
type FrequentToLongEstimate struct {
	Group      string   `json:"group"`
	Months     int      `json:"months"`
	T          int      `json:"t"`
	Suppressed bool     `json:"suppressed"`
	Estimate   *float64 `json:"estimate"`
	Lower      *float64 `json:"lower"`
	Upper      *float64 `json:"upper"`
	N          *int64   `json:"n"`      // employees in the group
	NRisk      *int64   `json:"n_risk"` // employees followed for at least T days
}

// FrequentToLongResult compares frequent absentees at the reference date At
// with the other employees.
type FrequentToLongResult struct {
	At          Date `json:"at"`
	WindowFrom  Date `json:"window_from"` // the frequent-absentee window runs from here to At
	Threshold   int  `json:"threshold"`
	ExtractDate Date `json:"extract_date"`
	// FollowUpTo is the last first sick day that can be known to start a
	// long case: the extract date − LongAbsenceDays.
	FollowUpTo          Date                     `json:"follow_up_to"`
	Suppressed          bool                     `json:"suppressed"`
	CumulativeIncidence []FrequentToLongEstimate `json:"cumulative_incidence"`
	LogRank             *LogRank                 `json:"log_rank"` // frequent against other
	Definitions         DefinitionList           `json:"definitions"`
}

// FrequentToLong follows the employees of the filter's population with a
// contract on the reference date at, split into frequent absentees (the
// frequent-absentee rule of Options over the window ending at at) and the
// others, and estimates the share that starts a sickness case of more than
// LongAbsenceDays days within FrequentToLongMonths. The filter's period is
// ignored.
func FrequentToLong(ctx context.Context, q Querier, f Filter, at time.Time, opt Options) (FrequentToLongResult, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return FrequentToLongResult{}, err
	}
	if at.IsZero() {
		return FrequentToLongResult{}, fmt.Errorf("analytics: frequent to long: no reference date")
	}
	at = dateOnly(at)
	f.From, f.To = windowStart(at, opt.FrequentWindowMonths), at
	f, cut, err := resolvePeriod(ctx, q, f)
	if err != nil {
		return FrequentToLongResult{}, err
	}
	horizon := f.ExtractDate.AddDate(0, 0, -LongAbsenceDays)
	if cut || at.After(horizon) {
		return FrequentToLongResult{}, fmt.Errorf("analytics: %w %s: choose one at least %d days before the extract date %s, so that a long case can follow it",
			ErrReferenceDate, day(at), LongAbsenceDays, day(f.ExtractDate))
	}
	res := FrequentToLongResult{At: dateOf(at), WindowFrom: dateOf(f.From), Threshold: opt.FrequentThreshold,
		ExtractDate: dateOf(f.ExtractDate), FollowUpTo: dateOf(horizon), CumulativeIncidence: []FrequentToLongEstimate{},
		Definitions: outcomeDefinitions(opt, "frequent_to_long", "frequent_absentees", "log_rank", "outcome_suppressed")}
	with, p := frequentToLongSQL(f, at, horizon, opt.FrequentThreshold)
	strata, err := survivalTallies(ctx, q, with, p, []string{"grp"},
		[][]string{nil, {"grp"}}, "sum(reports)::BIGINT", nil)
	if err != nil {
		return FrequentToLongResult{}, fmt.Errorf("analytics: frequent to long: %w", err)
	}
	total, groups := splitTotal(strata)
	byGroup := map[string]*stratum{}
	for _, g := range groups {
		byGroup[g.keys[0]] = g
	}
	split := make([]*stratum, 2)
	for i, g := range []string{GroupFrequent, GroupOther} {
		if split[i] = byGroup[g]; split[i] == nil {
			split[i] = &stratum{keys: []string{g}}
		}
	}
	hidden, totalHidden, err := strataVisibility(ctx, q, f, opt, nil, total, split)
	if err != nil {
		return FrequentToLongResult{}, err
	}
	res.Suppressed = totalHidden
	for _, s := range split {
		suppressed := totalHidden || hidden[s.key()]
		pts := kaplanMeier(s.tallies)
		for _, m := range FrequentToLongMonths {
			t := int(addMonths(at, m).Sub(at).Hours()/24 + 0.5)
			e := FrequentToLongEstimate{Group: s.keys[0], Months: m, T: t, Suppressed: suppressed}
			if !suppressed {
				e.N = ptr(s.emp)
				if sv, lo, hi, n, ok := survAt(pts, t); ok {
					e.Estimate, e.NRisk = ptr(1-sv), ptr(n)
					if hi != nil {
						e.Lower = ptr(1 - *hi)
					}
					if lo != nil {
						e.Upper = ptr(1 - *lo)
					}
				}
			}
			res.CumulativeIncidence = append(res.CumulativeIncidence, e)
		}
	}
	if !totalHidden && !hidden[split[0].key()] && !hidden[split[1].key()] {
		res.LogRank = logRankTest(split, []string{GroupFrequent, GroupOther})
	}
	return res, nil
}

// frequentToLongSQL defines "obs" (sql/frequent_to_long.sql) for the
// employees of the population with a contract on at, followed to their
// first long case or to horizon.
func frequentToLongSQL(f Filter, at, horizon time.Time, threshold int) (sqlText, params) {
	p := params{}.period(f).vocabulary()
	p.set("reference_date", at)
	p.set("horizon", horizon)
	p.set("frequent_threshold", threshold)
	p.set("long_absence_days", LongAbsenceDays)
	return part("frequent_to_long", struct {
		Pieces piecesData
		Filter sqlText
	}{pieces(p, needsFor(f)), f.predicate(p, numFamilies)}, p), p
}
