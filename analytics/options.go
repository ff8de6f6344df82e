package analytics

import (
	"context"
	"database/sql"
	"fmt"
)

// Querier is what the analytics need from a database handle: *sql.DB,
// *sql.Conn and *sql.Tx all satisfy it.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Options tune how figures are computed and protected. The zero value means
// the defaults.
type Options struct {
	// MinEmployees: a group with fewer employees is suppressed. Default 10;
	// values below 5 are raised to 5.
	MinEmployees int
	// MinCases: a group with fewer sickness cases with a sick day in the
	// period is suppressed. Default 5; values below 5 are raised to 5.
	MinCases int
	// DurationClasses partition cases by length. Default
	// DefaultDurationClasses; VernetDurationClasses is the Vernet setting.
	DurationClasses []DurationClass
	// Cost prices a day of absence (Figures.Cost, verzuimkosten) and the
	// return on interventions; the zero value: no cost figures.
	Cost CostRates
	// FrequentThreshold: an employee with at least this many new sickness
	// cases in the window is a frequent absentee. Default 3.
	FrequentThreshold int
	// FrequentWindowMonths is the length of the window that ends at the
	// reference date (the end of the period). Default 12.
	FrequentWindowMonths int
	// BradfordGapDays: for the Bradford factor, a case that starts at most
	// this many days after the previous one's recovery date continues the
	// same spell. Default 0: only back-to-back cases (next first sick day =
	// previous recovery date) are one spell.
	BradfordGapDays int
	// Robust: the Kaplan–Meier intervals and the log-rank test of Survival
	// use the cluster-robust (sandwich) variance with employees as
	// clusters, as one person's cases are not independent. Default false:
	// Greenwood's variance and the hypergeometric one, R's defaults.
	Robust bool
	// RelapseIndexDays: relapse is followed after returns from cases of at
	// least this many days. Default 42 (six weeks).
	RelapseIndexDays int
}

// Default thresholds and settings.
const (
	DefaultMinEmployees         = 10
	DefaultMinCases             = 5
	FloorThreshold              = 5 // neither threshold can be set lower
	DefaultFrequentThreshold    = 3
	DefaultFrequentWindowMonths = 12
	DefaultRelapseIndexDays     = 42
)

// DurationClass is one duration class: cases whose length in calendar days
// lies in [Min, Max]. Max 0 means no upper bound.
type DurationClass struct {
	Label    string
	Min, Max int
}

// DefaultDurationClasses are the common Dutch employer/arbo classes
// (kort, middellang, lang, extra lang): 1–7, 8–42, 43–365, 366+ days.
var DefaultDurationClasses = []DurationClass{
	{"1-7", 1, 7},
	{"8-42", 8, 42},
	{"43-365", 43, 365},
	{"366+", 366, 0},
}

// VernetDurationClasses are Vernet's classes (1–14, 15–91, 92–365, 366–730).
// Vernet caps cases at 730 days, so a longer case is counted in the last
// class.
var VernetDurationClasses = []DurationClass{
	{"1-14", 1, 14},
	{"15-91", 15, 91},
	{"92-365", 92, 365},
	{"366-730", 366, 730},
}

func (o Options) withDefaults() (Options, error) {
	if o.MinEmployees == 0 {
		o.MinEmployees = DefaultMinEmployees
	}
	if o.MinCases == 0 {
		o.MinCases = DefaultMinCases
	}
	o.MinEmployees = max(o.MinEmployees, FloorThreshold)
	o.MinCases = max(o.MinCases, FloorThreshold)
	if len(o.DurationClasses) == 0 {
		o.DurationClasses = DefaultDurationClasses
	}
	if o.FrequentThreshold <= 0 {
		o.FrequentThreshold = DefaultFrequentThreshold
	}
	if o.FrequentWindowMonths <= 0 {
		o.FrequentWindowMonths = DefaultFrequentWindowMonths
	}
	if o.RelapseIndexDays == 0 {
		o.RelapseIndexDays = DefaultRelapseIndexDays
	}
	if o.RelapseIndexDays < 0 {
		return o, fmt.Errorf("analytics: RelapseIndexDays %d is negative", o.RelapseIndexDays)
	}
	if o.BradfordGapDays < 0 {
		return o, fmt.Errorf("analytics: BradfordGapDays %d is negative", o.BradfordGapDays)
	}
	var err error
	if o.Cost, err = o.Cost.withDefaults(); err != nil {
		return o, err
	}
	if err := checkClasses(o.DurationClasses); err != nil {
		return o, err
	}
	return o, nil
}

// checkClasses requires classes that start at day 1 and follow on from each
// other, so every case falls in exactly one class.
func checkClasses(cs []DurationClass) error {
	next := 1
	for i, c := range cs {
		if c.Label == "" {
			return fmt.Errorf("analytics: duration class %d has no label", i+1)
		}
		if c.Min != next {
			return fmt.Errorf("analytics: duration class %q starts at day %d; it must start at day %d so the classes follow on", c.Label, c.Min, next)
		}
		last := i == len(cs)-1
		if c.Max == 0 && !last {
			return fmt.Errorf("analytics: only the last duration class can be open-ended, not %q", c.Label)
		}
		if c.Max != 0 && c.Max < c.Min {
			return fmt.Errorf("analytics: duration class %q ends before it starts", c.Label)
		}
		next = c.Max + 1
	}
	return nil
}
