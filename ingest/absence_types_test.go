package ingest

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Finding 7: every absence type AFAS documents (the eight of the Xpert Suite
// mapping of AFAS, plus leave and "Overig") imports, none rejects its case.
// The fixture has one case per type; Vangnetindicatie is sickness with the
// vangnet flag.
func TestAFASAbsenceTypesAllImport(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"afas_dienstverband.csv", ImportOptions{ExtractDate: extract2024})
	res := mustImport(t, s, fixtures+"afas_verzuimtypen.csv", ImportOptions{ExtractDate: extract2024})
	if res.Rejected != 0 {
		t.Errorf("%d rows rejected: %v", res.Rejected, res.Errors)
	}
	type row struct{ Employee, FirstSickDay, Type, Vangnet string }
	var got []row
	rows, err := s.DB.Query(`SELECT pseudonym, strftime(first_sick_day, '%Y-%m-%d'), absence_type, coalesce(vangnet::VARCHAR, '')
		FROM absence_cases JOIN employees USING (employee_key) ORDER BY pseudonym, first_sick_day`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	name := map[string]string{s.Pseudonym("E001"): "E001", s.Pseudonym("E003"): "E003", s.Pseudonym("E004"): "E004"}
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.Employee, &r.FirstSickDay, &r.Type, &r.Vangnet); err != nil {
			t.Fatal(err)
		}
		r.Employee = name[r.Employee]
		got = append(got, r)
	}
	slices.SortStableFunc(got, func(a, b row) int { return strings.Compare(a.Employee, b.Employee) })
	want := []row{
		{"E001", "2024-01-08", "sickness", ""},           // Ziek
		{"E001", "2024-02-05", "sickness_pregnancy", ""}, // Ziek a.g.v. zwangerschap of bevalling
		{"E001", "2024-03-04", "sickness", ""},           // Bedrijfsongeval
		{"E001", "2024-04-01", "sickness", ""},           // Arbeidsongeschikt door derde
		{"E001", "2024-05-06", "sickness", "true"},       // Vangnetindicatie
		{"E001", "2024-06-03", "sickness", ""},           // Overig ongeval
		{"E003", "2024-01-08", "sickness", ""},           // Onbekend
		{"E003", "2024-02-05", "other", ""},              // Pleegzorg: leave, not sickness
		{"E003", "2024-03-04", "organ_donation", ""},     // Orgaandonatie
		{"E003", "2024-05-06", "pregnancy_leave", ""},    // Zwangerschaps- en bevallingsverlof
		{"E004", "2024-01-08", "other", ""},              // Overig
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("cases (-want +got):\n%s", d)
	}
}

// An unknown type names the value, the known ones and how to map it.
func TestUnknownAbsenceTypeSaysHowToMapIt(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"afas_dienstverband.csv", ImportOptions{ExtractDate: extract2024})
	path := writeFile(t, "afas_griep.csv", "Medewerker;Eerste ziektedag;Datum;Soort regel;Aanwezigheid %;Verzuimtype;Reden herstel\r\n"+
		"E001;08-01-2024;08-01-2024;Ziekmelding;0;Griep;\r\n"+
		"E004;08-01-2024;08-01-2024;Ziekmelding;0;Ziek;\r\n")
	res := mustImport(t, s, path, ImportOptions{ExtractDate: extract2024})
	if res.Rejected != 1 || len(res.Errors) != 1 {
		t.Fatalf("rejected %d: %v", res.Rejected, res.Errors)
	}
	e := res.Errors[0]
	for _, want := range []string{`unknown absence_type "Griep"`, `"Vangnetindicatie"`, `"Ziek"`, `[values.absence_type]`, `"Griep" = "sickness"`, "afas-verloop"} {
		if !strings.Contains(e.Reason, want) {
			t.Errorf("reason lacks %q: %s", want, e.Reason)
		}
	}
	if e.Line != 2 || e.Column != "Verzuimtype" || e.Value != "Griep" {
		t.Errorf("error %+v", e)
	}
}

// Finding 5: in a period file without case numbers a change of absence
// type ends a case, so sickness followed directly by pregnancy leave is two
// cases; a change of percentage is not.
func TestTypeChangeEndsCaseInPeriodsWithoutCaseNumbers(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"law/nocaseref_employments.csv", ImportOptions{ExtractDate: extract2024})
	res := mustImport(t, s, fixtures+"law/nocaseref_absence.csv", ImportOptions{ExtractDate: extract2024})
	if res.Rejected != 0 || res.Cases != 3 {
		t.Errorf("%d rejected, %d cases: %v", res.Rejected, res.Cases, res.Errors)
	}
	want := []storedCase{
		{"W01", "2024-01-15", "2024-02-17", "sickness", "other", "2024-01-15..2024-02-17:100.0"},
		{"W01", "2024-02-17", "2024-06-08", "pregnancy_leave", "", "2024-02-17..2024-06-08:100.0"},
		{"W02", "2024-03-01", "2024-03-21", "sickness", "full_return", "2024-03-01..2024-03-11:100.0 2024-03-11..2024-03-21:50.0"},
	}
	if d := cmp.Diff(want, storedCases(t, s, "W01", "W02")); d != "" {
		t.Errorf("cases (-want +got):\n%s", d)
	}
}

// The vangnet flag reads yes and no as exports write them; anything else
// is an error on its line.
func TestVangnetFlagSpellings(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"law/nocaseref_employments.csv", ImportOptions{ExtractDate: extract2024})
	path := writeFile(t, "periods.csv", "employee_id,case_ref,start_date,end_date,absence_type,vangnet\n"+
		"W01,A,2024-01-01,2024-01-02,sickness,Ja\n"+
		"W02,B,2024-01-01,2024-01-02,sickness,0\n"+
		"W03,C,2024-01-01,2024-01-02,sickness,\n"+
		"W04,D,2024-01-01,2024-01-02,sickness,misschien\n")
	res := mustImport(t, s, path, ImportOptions{ExtractDate: extract2024})
	if res.Rejected != 1 || res.Errors[0].Line != 5 || !strings.Contains(res.Errors[0].Reason, "not yes or no") {
		t.Errorf("rejects: %v", res.Errors)
	}
	for emp, want := range map[string]string{"W01": "true", "W02": "false", "W03": "NULL"} {
		var got string
		if err := s.DB.QueryRow(`SELECT coalesce(vangnet::VARCHAR, 'NULL') FROM absence_cases JOIN employees USING (employee_key) WHERE pseudonym = ?`, s.Pseudonym(emp)).Scan(&got); err != nil || got != want {
			t.Errorf("%s: vangnet %s (%v), want %s", emp, got, err, want)
		}
	}
}
