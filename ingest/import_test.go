package ingest

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/verzuim/absence/ingest/internal/testkit"
	"github.com/verzuim/absence/ingest/storage"
)

// importDay is the day (YYYY-MM-DD) the last committed import of a kind ran.
func importDay(t *testing.T, s *testStore, kind string) string {
	t.Helper()
	var day string
	if err := s.DB.QueryRow(`SELECT strftime(max(finished_at), '%Y-%m-%d') FROM imports WHERE kind = ? AND status = 'committed'`, kind).Scan(&day); err != nil {
		t.Fatal(err)
	}
	return day
}

type storedCase struct {
	Employee, FirstSickDay, Recovery, Type, Reason string
	Segments                                       string
}

// storedCases lists the cases by personnel number, with their segments
// rendered as "from..to:pct" so a test reads like the data.
func storedCases(t *testing.T, s *testStore, employees ...string) []storedCase {
	t.Helper()
	var out []storedCase
	for _, e := range employees {
		rows, err := s.DB.Query(`SELECT strftime(c.first_sick_day, '%Y-%m-%d'), coalesce(strftime(c.recovery_date, '%Y-%m-%d'), 'open'),
				c.absence_type, coalesce(c.end_reason, ''),
				(SELECT string_agg(strftime(valid_from, '%Y-%m-%d') || '..' || coalesce(strftime(valid_to, '%Y-%m-%d'), 'open') || ':' || absence_pct, ' ' ORDER BY valid_from)
				 FROM case_segments g WHERE g.employee_key = c.employee_key AND g.first_sick_day = c.first_sick_day)
			FROM absence_cases c JOIN employees k USING (employee_key) WHERE k.pseudonym = ? ORDER BY first_sick_day`, s.Pseudonym(e))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			c := storedCase{Employee: e}
			if err := rows.Scan(&c.FirstSickDay, &c.Recovery, &c.Type, &c.Reason, &c.Segments); err != nil {
				t.Fatal(err)
			}
			out = append(out, c)
		}
		rows.Close()
	}
	return out
}

func TestMessyExportReportsEachBadLineAndKeepsTheGoodOnes(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	afas, err := LoadProfile("afas-verloop")
	if err != nil {
		t.Fatal(err)
	}
	var streamed []storage.RowError
	res := mustImport(t, s, fixtures+"messy_afas_verzuim.csv", ImportOptions{Profile: afas, ExtractDate: extract2024,
		OnRejects: func(b []storage.RowError) error { streamed = append(streamed, b...); return nil }})

	if got := [4]int64{res.Read, res.Accepted, res.Rejected, res.Duplicate}; got != [4]int64{14, 5, 8, 1} {
		t.Errorf("read/accepted/rejected/duplicate = %v, want [14 5 8 1]", got)
	}
	type lineReason struct {
		Line   int64
		Column string
		Reason string
	}
	var got []lineReason
	for _, e := range res.Errors {
		got = append(got, lineReason{e.Line, e.Column, e.Reason})
	}
	want := []lineReason{
		{6, "Datum", "not a valid date; expected dd-mm-yyyy"},
		{6, "Eerste ziektedag", "not a valid date; expected dd-mm-yyyy"},
		{8, "Aanwezigheid %", "percentage must be between 0 and 100"},
		{9, "Medewerker", "Medewerker is empty"},
		{13, "", "this employee is not in the employment data imported so far (last employment import: employments.csv on " + importDay(t, s, "employment") + ")"},
		{14, "", "has 9 fields where the header has 8"},
		{15, "Datum", "date is before the first sick day 2024-03-15"},
		{17, "", "not imported because line 18 of the same case was rejected"},
		{18, "Reden herstel", `unknown end_reason "Zomaar"; known values: "Ander werk bij eigen werkgever", "Hersteld in aangepast eigen werk", "Overig", "Plaatsing spoor 2", "Uit dienst", "Volledig hersteld eigen werk", "WIA/IVA". To import it, add "Zomaar" = "full_return" (or adapted_own_work, other_work_own_employer, second_track, wia_iva, employment_ended, other) under [values.end_reason] in a copy of profile afas-verloop`},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("errors (-want +got):\n%s", d)
	}
	if len(streamed) != len(res.Errors) || streamed[0].File != "messy_afas_verzuim.csv" || streamed[0].Value != "31-02-2024" {
		t.Errorf("streamed rejects = %+v", streamed)
	}

	cases := storedCases(t, s, "E001", "E002", "E003", "E004", "E009")
	wantCases := []storedCase{
		{"E001", "2024-01-08", "2024-01-22", "sickness", "full_return", "2024-01-08..2024-01-15:100.0 2024-01-15..2024-01-22:50.0"},
		{"E002", "2024-02-05", "open", "sickness", "", "2024-02-05..open:100.0"},
		{"E004", "2024-03-10", "open", "sickness", "", "2024-03-10..open:100.0"},
	}
	if d := cmp.Diff(wantCases, cases); d != "" {
		t.Errorf("cases (-want +got):\n%s", d)
	}

	var stored int
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(*) FROM import_errors WHERE import_id = ?`, res.ImportID), &stored)
	if stored != len(want) {
		t.Errorf("import_errors holds %d rows, want %d", stored, len(want))
	}
}
