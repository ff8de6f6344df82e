package analytics

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The results of the statistics (KPIs, breakdowns) as callers read them;
// kpis.go computes them.

// Period is the period a result covers, after cutting it back to the
// extract date.
type Period struct {
	From, To time.Time // inclusive
	Days     int       // calendar days in [From, To]
	// CutAtExtract is set when the requested end lay after the extract date
	// and To was moved back to it.
	CutAtExtract bool
}

// Figures are the statistics of one group. A nil pointer means suppressed
// (see Group.Suppressed) or undefined (a ratio with a zero denominator, GZVD
// without closed cases, a cost without a configured wage cost). The JSON
// names are the report's field names, the keys of the catalogue
// (figures_statistics.go), which defines each one.
type Figures struct {
	Employees         *int64       `json:"employees"`
	AvgHeadcount      *float64     `json:"avg_headcount"`
	FTE               *float64     `json:"fte"`
	ZVP               *float64     `json:"zvp_pct"`
	ZVPInterval       *Interval    `json:"zvp_pct_ci95"`
	ZVPInclPregnancy  *float64     `json:"zvp_incl_pregnancy_pct"`
	ZVPExclPartial    *float64     `json:"zvp_excl_partial_pct"`
	ZMF               *float64     `json:"zmf"`
	ZMFInterval       *Interval    `json:"zmf_ci95"`
	GZVD              *float64     `json:"gzvd_days"`
	GZVDMedian        *float64     `json:"gzvd_median_days"`
	ZeroAbsence       *float64     `json:"zero_absence_pct"`
	NewCases          *int64       `json:"new_cases"`
	ClosedCases       *int64       `json:"closed_cases"`
	OpenCases         *int64       `json:"open_cases"`
	SickDays          *float64     `json:"sick_days"`
	SickDaysPerFTE    *float64     `json:"sick_days_per_fte"`
	FTEDays           *float64     `json:"fte_days"`
	EmployedDays      *int64       `json:"employed_days"`
	Cost              *float64     `json:"cost"`
	DurationClasses   ClassFigures `json:"duration_classes"`
	FrequentAbsentees *int64       `json:"frequent_absentees"`
	// The vangnet: sickness the Ziektewet pays for (pregnancy-related
	// sickness, organ donation, cases flagged no-risk), as part of the ZVP.
	// Null while its cases are fewer than MinCases (but not none).
	VangnetZVP   *float64 `json:"vangnet_zvp_pct"`
	VangnetShare *float64 `json:"vangnet_share_pct"`
	VangnetCases *int64   `json:"vangnet_cases"`
}

// Interval is a 95% confidence interval.
type Interval struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// ClassFigure is one duration class: the cases of that length with a sick
// day in the period, and the ZVP of their sick days (the classes' ZVPs add
// up to the group's ZVP).
type ClassFigure struct {
	Label string   `json:"-"`
	Min   int      `json:"-"` // the shortest case of the class, in days
	Cases *int64   `json:"cases"`
	ZVP   *float64 `json:"zvp_pct"`
}

// ClassFigures are the duration classes in order. In JSON they are an object
// keyed by class label, in class order.
type ClassFigures []ClassFigure

// MarshalJSON writes the classes as an object keyed by label.
func (cs ClassFigures) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, c := range cs {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(c.Label)
		v, err := json.Marshal(c)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

// UnmarshalJSON reads the classes in the order written; a class's shortest
// case is the number its label starts with ("43-365", "366+").
func (cs *ClassFigures) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if t == nil { // null
		*cs = nil
		return nil
	}
	if t != json.Delim('{') {
		return fmt.Errorf("duration classes: expected an object")
	}
	*cs = ClassFigures{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		c := ClassFigure{Label: t.(string)}
		if err := dec.Decode(&c); err != nil {
			return err
		}
		digits := strings.IndexFunc(c.Label, func(r rune) bool { return r < '0' || r > '9' })
		if digits < 0 {
			digits = len(c.Label)
		}
		c.Min, _ = strconv.Atoi(c.Label[:digits])
		*cs = append(*cs, c)
	}
	_, err = dec.Token()
	return err
}

// Group is one row of a result: the total or one value of a dimension.
type Group struct {
	// Key is the dimension value (a team's name for ByTeam), or "total".
	Key string `json:"group"`
	// Parent is the department of a team.
	Parent string `json:"parent,omitempty"`
	// Suppressed groups carry no figures: too few employees or cases, or
	// hidden so that another suppressed group cannot be worked out.
	Suppressed bool `json:"suppressed"`
	Figures
}

// TotalKey is the Key of the total row.
const TotalKey = "total"

// KPISet is the full set of figures for the filtered population.
type KPISet struct {
	Period      Period
	ExtractDate time.Time
	Total       Group
}

// BreakdownResult is the figures per value of one dimension, with the total.
type BreakdownResult struct {
	Period      Period
	ExtractDate time.Time
	Dimension   Dimension
	Total       Group
	Groups      []Group
}
