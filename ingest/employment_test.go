package ingest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/verzuim/absence/ingest/internal/testkit"
)

func TestEmploymentRows(t *testing.T) {
	s := openTestStore(t)
	file := writeFile(t, "emp.csv", strings.Join([]string{
		"employee_id;start_date;end_date;department;contract_hours;fulltime_hours;birth_year",
		"A;01-01-2020;31-12-2022;Zorg;32;40;1980", // 2 ok
		"A;01-01-2023;;Zorg;36;40;1980",           // 3 ok: a contract change
		"A;01-06-2023;;Kantoor;36;40;1980",        // 4 overlaps line 3
		"B;01-01-2020;01-01-2019;Zorg;32;40;1980", // 5 ends before it starts
		"C;01-01-2020;;Zorg;0;40;1980",            // 6 no hours
		"D;01-01-2020;;;32;40;1980",               // 7 no department
		"E;01-01-2020;;Zorg;32,5;40;1880",         // 8 birth year
		"F;01-01-2020;;Zorg;veertig;40;1980",      // 9 not a number
	}, "\n")+"\n")
	res := mustImport(t, s, file, ImportOptions{})
	got := lineReasons(res)
	want := []lineReason{
		{4, "overlaps the employment on line 3 of the same employee"},
		{5, "the end date is before the start date 2020-01-01"},
		{6, "contract hours per week must be between 0.5 and 80"},
		{7, "department is empty"},
		{8, "implausible birth year"},
		{9, "not a number"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("errors (-want +got):\n%s", d)
	}
	var n int
	var ptf float64
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(*), sum(contract_hours / fulltime_hours) FROM employments JOIN employees USING (employee_key) WHERE pseudonym = ?`, s.Pseudonym("A")), &n, &ptf)
	if n != 2 || math.Abs(ptf-(32.0/40+36.0/40)) > 1e-12 {
		t.Errorf("A: %d rows, part-time factors summing to %v", n, ptf)
	}
}

// A part-time factor column gives the full-time hours (Visma style).
func TestPartTimeFactorGivesFulltimeHours(t *testing.T) {
	s := openTestStore(t)
	p, err := LoadProfile("visma-medewerkers")
	if err != nil {
		t.Fatal(err)
	}
	file := writeFile(t, "medewerkers.csv", "\ufeffPersoneelsnummer,Afdeling,Team,Vestiging,Datum in dienst,Datum uit dienst,Uren per week,Deeltijdfactor,Geboortejaar,Geslacht\n"+
		"101,Zorg,,Utrecht,2021-03-01,,28,0.7778,1990,V\n")
	res := mustImport(t, s, file, ImportOptions{Profile: p})
	if res.Accepted != 1 {
		t.Fatalf("accepted %d: %v", res.Accepted, res.Errors)
	}
	var fulltime float64
	var gender string
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT fulltime_hours, gender FROM employments`), &fulltime, &gender)
	if fulltime < 35.99 || fulltime > 36.01 || gender != "F" {
		t.Errorf("full-time hours %v (want 36), gender %q (want F)", fulltime, gender)
	}
}

func TestInterventionRows(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	file := writeFile(t, "iv.csv", strings.Join([]string{
		"employee_id,intervention_type,provider,start_date,end_date,sessions,outcome,cost",
		"E001,psychological_coaching,Mentaal Fit BV,2024-02-01,2024-04-01,8,completed,\"1.250,00\"", // 2 ok, decimal comma
		"E002,mediation,,2024-03-01,,,,",               // 3 ok, ongoing
		"E003,yoga,,2024-03-01,,,,",                    // 4 unknown type
		"E004,labour_expert,,2024-03-01,2024-02-01,,,", // 5 ends before it starts
		"E004,return_talk,,2024-03-01,,2.5,,",          // 6 half a session
		"E009,intervention_talk,,2024-03-01,,,,",       // 7 unknown employee
	}, "\n")+"\n")
	res := mustImport(t, s, file, ImportOptions{})
	var lines []int64
	for _, e := range res.Errors {
		lines = append(lines, e.Line)
	}
	if d := cmp.Diff([]int64{4, 5, 6, 7}, lines); d != "" {
		t.Errorf("rejected lines (-want +got):\n%s\n%v", d, res.Errors)
	}
	unknown := "this employee is not in the employment data imported so far (last employment import: employments.csv on " + importDay(t, s, "employment") + ")"
	if got := res.Errors[len(res.Errors)-1]; got.Reason != unknown {
		t.Errorf("line %d: %q, want %q", got.Line, got.Reason, unknown)
	}
	var cost float64
	var outcome string
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT cost FROM interventions JOIN employees USING (employee_key) WHERE pseudonym = ?`, s.Pseudonym("E001")), &cost)
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT outcome FROM interventions JOIN employees USING (employee_key) WHERE pseudonym = ?`, s.Pseudonym("E002")), &outcome)
	if cost != 1250 || outcome != "ongoing" {
		t.Errorf("cost %v (want 1250), outcome %q (want ongoing)", cost, outcome)
	}
}

func TestMilestoneRows(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	mustImport(t, s, fixtures+"org_native_periods.csv", ImportOptions{ExtractDate: extract2024})
	file := writeFile(t, "ms.csv", strings.Join([]string{
		"employee_id,first_sick_day,milestone,done_date",
		"E002,2024-02-05,problem_analysis,2024-03-10", // 2 ok
		"E002,2024-02-05,action_plan,2024-02-01",      // 3 before the case
		"E002,2024-02-06,action_plan,2024-03-20",      // 4 no such case
		"E002,2024-02-05,coffee,2024-03-20",           // 5 unknown milestone
	}, "\n")+"\n")
	res := mustImport(t, s, file, ImportOptions{ExtractDate: extract2024})
	if res.Profile != "native-milestones" {
		t.Errorf("profile %s", res.Profile)
	}
	var lines []int64
	for _, e := range res.Errors {
		lines = append(lines, e.Line)
	}
	if d := cmp.Diff([]int64{3, 4, 5}, lines); d != "" {
		t.Errorf("rejected lines (-want +got):\n%s\n%v", d, res.Errors)
	}
	var n int
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(*) FROM milestones WHERE milestone = 'problem_analysis' AND done_date = DATE '2024-03-10'`), &n)
	if n != 1 {
		t.Errorf("%d milestones stored", n)
	}
}

// A case with no employment on its first sick day says why: no employment
// file imported yet, the employee missing from the employment data that was
// imported, or the sick day outside the employee's employment (contract
// changes that follow on count as one employment).
func TestCaseOutsideEveryEmploymentSaysWhy(t *testing.T) {
	periods := writeFile(t, "periods.csv", nativePeriods+
		"A,A1,2019-06-03,2019-06-05,100\n"+
		"B,B1,2023-05-01,2023-05-03,100\n"+
		"C,C1,2023-09-04,2023-09-05,100\n"+
		"D,D1,2023-09-04,2023-09-05,100\n"+
		"A,A2,2023-09-04,2023-09-05,100\n"+
		"E,E1,2023-09-04,2023-09-05,100\n")
	reasons := func(s *testStore) map[string]string {
		res, err := s.ImportFile(context.Background(), periods, ImportOptions{ExtractDate: extract2024})
		if err != nil && !errors.Is(err, ErrNoValidRows) {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, e := range res.Errors {
			out[fmt.Sprint(e.Line)] = e.Reason
		}
		return out
	}

	s := openTestStore(t)
	want := map[string]string{}
	for line, day := range map[string]string{"2": "2019-06-03", "3": "2023-05-01", "4": "2023-09-04", "5": "2023-09-04", "6": "2023-09-04", "7": "2023-09-04"} {
		want[line] = "no employment for this employee on the first sick day " + day + "; import the employment file first"
	}
	if d := cmp.Diff(want, reasons(s)); d != "" {
		t.Errorf("before any employment import (-want +got):\n%s", d)
	}

	s = openTestStore(t)
	mustImport(t, s, writeFile(t, "dienstverbanden.csv", `employee_id,start_date,end_date,department,team,location,contract_hours,fulltime_hours,birth_year,gender
A,2020-01-01,2022-12-31,Zorg,,Utrecht,36,36,1980,F
A,2023-01-01,,Zorg,,Utrecht,32,36,1980,F
B,2020-01-01,2022-12-31,Zorg,,Utrecht,36,36,1980,F
B,2024-03-01,,Zorg,,Utrecht,36,36,1980,F
C,2021-01-01,2023-06-30,Zorg,,Utrecht,36,36,1980,F
E,2010-01-01,2011-12-31,Zorg,,Utrecht,36,36,1980,F
E,2023-10-01,,Zorg,,Utrecht,36,36,1980,F
`), ImportOptions{})
	want = map[string]string{
		"2": "the employment of this employee runs from 2020-01-01 with no end date; the first sick day 2019-06-03 lies outside it",
		"3": "the employment of this employee runs from 2020-01-01 to 2022-12-31; the first sick day 2023-05-01 lies outside it",
		"4": "the employment of this employee runs from 2021-01-01 to 2023-06-30; the first sick day 2023-09-04 lies outside it",
		"5": "this employee is not in the employment data imported so far (last employment import: dienstverbanden.csv on " + importDay(t, s, "employment") + ")",
		"7": "the employment of this employee runs from 2023-10-01 with no end date; the first sick day 2023-09-04 lies outside it",
	}
	if d := cmp.Diff(want, reasons(s)); d != "" {
		t.Errorf("after the employment import (-want +got):\n%s", d)
	}
}
