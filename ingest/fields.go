package ingest

import (
	"strings"

	"github.com/verzuim/absence/analytics/poortwachter"
)

// fieldType says how a raw text value is parsed.
type fieldType int

const (
	textField    fieldType = iota
	dateField              // parsed with the profile's (or detected) date formats
	numberField            // decimal point or comma per the profile
	percentField           // 0–100; "75", "75%", "0,75" (a fraction column)
	enumField              // mapped through [values] to one of allowed
	boolField              // yes or no: true/false, ja/nee, j/n, yes/no, y/n, 1/0, or through [values]
	idField                // employee id: trimmed, must not be empty, pseudonymised
)

// field is one canonical field of an input file.
type field struct {
	name     string
	typ      fieldType
	required bool
	allowed  []string // canonical values of an enum field
}

var (
	absenceTypes      = []string{"sickness", "sickness_pregnancy", "organ_donation", "pregnancy_leave", "other"}
	endReasons        = []string{"full_return", "adapted_own_work", "other_work_own_employer", "second_track", "wia_iva", "employment_ended", "other"}
	eventKinds        = []string{"sick", "partial", "recovered"}
	genders           = []string{"M", "F", "X"}
	interventionTypes = []string{"intervention_talk", "labour_expert", "psychological_coaching", "mediation", "second_track", "return_talk"}
	outcomes          = []string{"completed", "stopped", "ongoing"}
	// payers: who bore an intervention's cost: the employer, an ERD
	// insurer for the Ziektewet or the WGA (eigenrisicodrager), the
	// employee's health insurer, UWV or another party.
	payers         = []string{"employer", "erd_zw", "erd_wga", "zorgverzekeraar", "uwv", "other"}
	milestoneNames = poortwachter.Recorded()
	booleans       = []string{"true", "false"}
)

// fields lists the canonical fields of the profile's kind and layout, and
// employer, which a file of any kind may have: each row then names the
// employer it belongs to (employercol.go).
func (p *Profile) fields() []field {
	return append(p.kindFields(), field{name: "employer", typ: textField})
}

func (p *Profile) kindFields() []field {
	switch {
	case p.Kind == KindAbsence && p.Layout == "periods":
		return []field{
			{name: "employee_id", typ: idField, required: true},
			{name: "case_ref", typ: textField},
			{name: "start_date", typ: dateField, required: true},
			{name: "end_date", typ: dateField},
			{name: "absence_pct", typ: percentField},
			{name: "absence_type", typ: enumField, allowed: absenceTypes},
			{name: "end_reason", typ: enumField, allowed: endReasons},
			{name: "vangnet", typ: boolField, allowed: booleans},
		}
	case p.Kind == KindAbsence:
		return []field{
			{name: "employee_id", typ: idField, required: true},
			{name: "first_sick_day", typ: dateField, required: true},
			{name: "event_date", typ: dateField, required: true},
			{name: "event", typ: enumField, required: true, allowed: eventKinds},
			{name: "absence_pct", typ: percentField},
			{name: "absence_type", typ: enumField, allowed: absenceTypes},
			{name: "end_reason", typ: enumField, allowed: endReasons},
			{name: "vangnet", typ: boolField, allowed: booleans},
		}
	case p.Kind == KindEmployment:
		return []field{
			{name: "employee_id", typ: idField, required: true},
			{name: "start_date", typ: dateField, required: true},
			{name: "end_date", typ: dateField},
			{name: "department", typ: textField, required: true},
			{name: "team", typ: textField},
			{name: "location", typ: textField},
			{name: "contract_hours", typ: numberField, required: true},
			{name: "fulltime_hours", typ: numberField},
			{name: "part_time_factor", typ: numberField},
			{name: "birth_year", typ: numberField},
			{name: "birth_date", typ: dateField}, // reduced to the year on import
			{name: "gender", typ: enumField, allowed: genders},
		}
	case p.Kind == KindMilestone:
		return []field{
			{name: "employee_id", typ: idField, required: true},
			{name: "first_sick_day", typ: dateField, required: true},
			{name: "milestone", typ: enumField, required: true, allowed: milestoneNames},
			{name: "done_date", typ: dateField, required: true},
		}
	default:
		return []field{
			{name: "employee_id", typ: idField, required: true},
			{name: "intervention_type", typ: enumField, required: true, allowed: interventionTypes},
			{name: "provider", typ: textField},
			{name: "start_date", typ: dateField, required: true},
			{name: "end_date", typ: dateField},
			{name: "sessions", typ: numberField},
			{name: "outcome", typ: enumField, allowed: outcomes},
			{name: "cost", typ: numberField},
			{name: "payer", typ: enumField, allowed: payers},
		}
	}
}

func fieldByName(fields []field, name string) (field, bool) {
	for _, f := range fields {
		if f.name == name {
			return f, true
		}
	}
	return field{}, false
}

func fieldNames(fields []field) string {
	var names []string
	for _, f := range fields {
		names = append(names, f.name)
	}
	return strings.Join(names, ", ")
}
