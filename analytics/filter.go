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
