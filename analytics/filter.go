package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Filter selects the period and the population of a query. Within a
// dimension the listed values are alternatives (OR); dimensions combine with
// AND. An empty list does not restrict.
type Filter struct {
	// From and To bound the period P, both inclusive. To is cut back to the
	// extract date when it lies after it.
	From, To time.Time
	// ExtractDate is the date the absence data runs to: open cases are sick
	// through this day. Zero means the latest extract date of the committed
	// absence imports (of the employers in scope).
	ExtractDate time.Time

	// Employers are the employers in scope, by id (storage.Reader's
	// EmployerIDs resolves names): every row every query reads is of one
	// of them, so group sizes, and with them small-group suppression,
	// count only their employees. Empty means every employer of the
	// installation, which for an organisation with only the default
	// employer is all its data. A figure over several employers is a
	// pooled figure (pooled.go).
	Employers []int64
	// Providers restricts the interventions to those of these providers
	// (as in the interventions' provider column), for provider staff, who
	// see only their own organisation's interventions. Empty: every
	// provider's.
	Providers []string

	Units       []Unit   // organisation units
	Locations   []string // location names (NotRecorded for none)
	AgeBands    []string // labels of AgeBands
	Genders     []string // "M", "F", "X" or NotRecorded
	HoursBands  []string // labels of HoursBands
	TenureBands []string // labels of TenureBands
}

// Unit is an organisation unit: a department, or one team of it.
type Unit struct {
	Department string
	Team       string // "" selects the whole department
}

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

// restricted reports whether the filter restricts family k.
func (f Filter) restricted(k family) bool {
	switch k {
	case famOrg:
		return len(f.Units) > 0
	case famLocation:
		return len(f.Locations) > 0
	case famAge:
		return len(f.AgeBands) > 0
	case famGender:
		return len(f.Genders) > 0
	case famHours:
		return len(f.HoursBands) > 0
	case famTenure:
		return len(f.TenureBands) > 0
	}
	return false // famEmployer: the employers in scope are all there is
}

// without returns the filter with family k unrestricted.
func (f Filter) without(k family) Filter {
	switch k {
	case famOrg:
		f.Units = nil
	case famLocation:
		f.Locations = nil
	case famAge:
		f.AgeBands = nil
	case famGender:
		f.Genders = nil
	case famHours:
		f.HoursBands = nil
	case famTenure:
		f.TenureBands = nil
	}
	return f
}

// selected lists the values family k is restricted to, as group keys of the
// dimension that checks them (a team unit is keyed "department\x00team").
func (f Filter) selected(k family) []string {
	switch k {
	case famOrg:
		out := make([]string, len(f.Units))
		for i, u := range f.Units {
			out[i] = u.key()
		}
		return out
	case famLocation:
		return f.Locations
	case famAge:
		return f.AgeBands
	case famGender:
		return f.Genders
	case famHours:
		return f.HoursBands
	case famTenure:
		return f.TenureBands
	}
	return nil
}

func (u Unit) key() string {
	if u.Team == "" {
		return u.Department
	}
	return u.Department + keySep + u.Team
}

const keySep = "\x00"

// validate checks the labels so a typo is an error, not an empty result.
func (f Filter) validate() error {
	if f.From.IsZero() || f.To.IsZero() {
		return fmt.Errorf("analytics: the period needs both From and To")
	}
	if f.To.Before(f.From) {
		return fmt.Errorf("analytics: the period ends (%s) before it starts (%s)", day(f.To), day(f.From))
	}
	check := func(what string, got []string, bands []Band) error {
		for _, g := range got {
			if g == NotRecorded && what == "age band" {
				continue
			}
			if !slices.ContainsFunc(bands, func(b Band) bool { return b.Label == g }) {
				labels := make([]string, len(bands))
				for i, b := range bands {
					labels[i] = strconv.Quote(b.Label)
				}
				return fmt.Errorf("analytics: unknown %s %q; expected one of %s", what, g, strings.Join(labels, ", "))
			}
		}
		return nil
	}
	if err := check("age band", f.AgeBands, AgeBands); err != nil {
		return err
	}
	if err := check("hours band", f.HoursBands, HoursBands); err != nil {
		return err
	}
	if err := check("tenure band", f.TenureBands, TenureBands); err != nil {
		return err
	}
	for _, g := range f.Genders {
		if !slices.Contains([]string{"M", "F", "X", NotRecorded}, g) {
			return fmt.Errorf("analytics: unknown gender %q; expected M, F, X or %q", g, NotRecorded)
		}
	}
	for _, u := range f.Units {
		if u.Department == "" {
			return fmt.Errorf("analytics: an organisation unit needs a department")
		}
	}
	return nil
}

// predicate is the SQL condition on the piece columns that the filter sets,
// leaving out family skip (numFamilies: leave out nothing). The values are
// parameters: $filter_location_1, $filter_unit_2_department, ….
func (f Filter) predicate(p params, skip family) sqlText {
	var and []string
	in := func(col, name string, vals []string) string {
		q := make([]string, len(vals))
		for i, v := range vals {
			q[i] = string(p.set(fmt.Sprintf("filter_%s_%d", name, i+1), v))
		}
		return col + " IN (" + strings.Join(q, ", ") + ")"
	}
	for k := range numFamilies {
		if k == skip || !f.restricted(k) {
			continue
		}
		switch k {
		case famOrg:
			var or []string
			for i, u := range f.Units {
				dept := p.set(fmt.Sprintf("filter_unit_%d_department", i+1), u.Department)
				if u.Team == "" {
					or = append(or, "dept = "+string(dept))
				} else {
					team := p.set(fmt.Sprintf("filter_unit_%d_team", i+1), u.Team)
					or = append(or, fmt.Sprintf("(dept = %s AND team = %s)", dept, team))
				}
			}
			and = append(and, "("+strings.Join(or, " OR ")+")")
		case famLocation:
			and = append(and, in("loc", "location", f.Locations))
		case famAge:
			and = append(and, in("age_band", "age_band", f.AgeBands))
		case famGender:
			and = append(and, in("gender", "gender", f.Genders))
		case famHours:
			and = append(and, in("hours_band", "hours_band", f.HoursBands))
		case famTenure:
			and = append(and, in("tenure_band", "tenure_band", f.TenureBands))
		}
	}
	if len(and) == 0 {
		return "true"
	}
	return sqlText(strings.Join(and, " AND "))
}

// restricts reports whether the filter restricts the population at all.
func (f Filter) restricts() bool {
	for k := range numFamilies {
		if f.restricted(k) {
			return true
		}
	}
	return false
}

// resolvePeriod fills in the extract date and cuts To back to it; cut
// reports whether it did.
func resolvePeriod(ctx context.Context, q Querier, f Filter) (_ Filter, cut bool, err error) {
	if err := f.validate(); err != nil {
		return f, false, err
	}
	f.From, f.To = dateOnly(f.From), dateOnly(f.To)
	if f.ExtractDate.IsZero() {
		ex, err := LatestExtractDate(ctx, q, f.Employers...)
		if err != nil {
			return f, false, err
		}
		if ex.IsZero() { // no absence data: nothing is open, use the period end
			ex = f.To
		}
		f.ExtractDate = ex
	}
	f.ExtractDate = dateOnly(f.ExtractDate)
	if f.From.After(f.ExtractDate) {
		return f, false, fmt.Errorf("analytics: the period starts on %s, after the extract date %s: there are no data for it yet", day(f.From), day(f.ExtractDate))
	}
	if f.To.After(f.ExtractDate) {
		f.To, cut = f.ExtractDate, true
	}
	return f, cut, nil
}

// LatestExtractDate is the latest extract date of the committed absence
// imports (of the given employers; without any, of all), or the zero time
// when there are none.
func LatestExtractDate(ctx context.Context, q Querier, employers ...int64) (time.Time, error) {
	var ex sql.NullTime
	err := render("extract_date", nil, params{}.employers(Filter{Employers: employers})).row(ctx, q).Scan(&ex)
	if err != nil {
		return time.Time{}, fmt.Errorf("analytics: read the extract date: %w", err)
	}
	return ex.Time, nil
}

func dateOnly(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func day(t time.Time) string { return t.Format("2006-01-02") }
