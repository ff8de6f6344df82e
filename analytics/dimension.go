package analytics

import (
	"fmt"
	"slices"
	"strings"
)

// Breakdown dimensions: what a figure can be broken down by, the bands of
// the numeric ones, and how each reads its columns and orders its groups.

// NotRecorded labels a missing team, location, gender or birth year.
const NotRecorded = "(not recorded)"

// Dimension is a way to break figures down.
type Dimension string

// The dimensions. Team groups are keyed by department and team: a team is
// always shown within its department (Group.Parent).
const (
	ByDepartment Dimension = "department"
	ByTeam       Dimension = "team"
	ByLocation   Dimension = "location"
	ByAgeBand    Dimension = "age"
	ByGender     Dimension = "gender"
	ByHoursBand  Dimension = "hours"
	ByTenureBand Dimension = "tenure"
)

// ByEmployer breaks figures down by employer, for a provider: a group's
// key is the employer's id in decimal (Filter.Employers; storage names
// them). It is not among Dimensions, which every user may choose: an
// employer never sees another employer.
const ByEmployer Dimension = "employer"

// Dimensions lists every dimension, in the order a dashboard shows them.
var Dimensions = []Dimension{ByDepartment, ByTeam, ByLocation, ByAgeBand, ByGender, ByHoursBand, ByTenureBand}

// ParseDimension accepts a dimension name as used on the command line.
func ParseDimension(s string) (Dimension, error) {
	d := Dimension(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Dimensions, d) {
		return d, nil
	}
	names := make([]string, len(Dimensions))
	for i, d := range Dimensions {
		names[i] = string(d)
	}
	return "", fmt.Errorf("unknown dimension %q; expected one of %s", s, strings.Join(names, ", "))
}

// Band is one class of a numeric attribute: values from From up to, not
// including, the next band's From.
type Band struct {
	Label string
	From  float64
}

// AgeBands classify the age in whole years, computed per day as the calendar
// year of the day minus the birth year (imports keep only the birth year).
var AgeBands = []Band{{"<25", 0}, {"25-34", 25}, {"35-44", 35}, {"45-54", 45}, {"55-64", 55}, {"65+", 65}}

// HoursBands classify contract hours per week (the CBS working-hours classes).
var HoursBands = []Band{{"<12", 0}, {"12-<20", 12}, {"20-<35", 20}, {"35+", 35}}

// TenureBands classify completed years of unbroken service on each day.
// Service is unbroken while each contract starts the day after the previous
// one ended.
var TenureBands = []Band{{"<1", 0}, {"1-<2", 1}, {"2-<5", 2}, {"5-<10", 5}, {"10+", 10}}

// family is a set of dimensions that share one filter field.
type family int

const (
	famOrg family = iota
	famLocation
	famAge
	famGender
	famHours
	famTenure
	famEmployer // restricted by Filter.Employers on the tables, never by a predicate
	numFamilies
)

func (d Dimension) family() family {
	switch d {
	case ByDepartment, ByTeam:
		return famOrg
	case ByLocation:
		return famLocation
	case ByAgeBand:
		return famAge
	case ByGender:
		return famGender
	case ByHoursBand:
		return famHours
	case ByEmployer:
		return famEmployer
	default:
		return famTenure
	}
}

// cols are the piece columns a dimension groups by.
func (d Dimension) cols() []string {
	switch d {
	case ByDepartment:
		return []string{"dept"}
	case ByTeam:
		return []string{"dept", "team"}
	case ByLocation:
		return []string{"loc"}
	case ByAgeBand:
		return []string{"age_band"}
	case ByGender:
		return []string{"gender"}
	case ByHoursBand:
		return []string{"hours_band"}
	case ByEmployer:
		return []string{"employer"}
	default:
		return []string{"tenure_band"}
	}
}

// order sorts group keys: bands in band order, other values alphabetically,
// NotRecorded last.
func (d Dimension) order() func(a, b string) int {
	var bands []Band
	switch d {
	case ByAgeBand:
		bands = AgeBands
	case ByHoursBand:
		bands = HoursBands
	case ByTenureBand:
		bands = TenureBands
	case ByGender:
		bands = []Band{{"F", 0}, {"M", 1}, {"X", 2}}
	}
	if d == ByEmployer { // ids, in number order
		return func(a, b string) int {
			if len(a) != len(b) {
				return len(a) - len(b)
			}
			return strings.Compare(a, b)
		}
	}
	rank := func(s string) int {
		if s == NotRecorded {
			return 1 << 20
		}
		for i, b := range bands {
			if b.Label == s {
				return i
			}
		}
		return len(bands)
	}
	return func(a, b string) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a, b)
	}
}
