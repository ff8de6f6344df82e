package ingest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCaseSummaryDoesNotDependOnCaseNumbers: a case of one period and a case
// of several are summed up alike — first sick day, recovery (open when the
// last period has no end), the first period's type, the end reason of the
// last period that names one, the vangnet flag of any period, and the
// segments — whatever the case numbers look like: rising, falling, past 9,
// one of them empty, or none at all.
func TestCaseSummaryDoesNotDependOnCaseNumbers(t *testing.T) {
	periods := []string{ // start, end, pct, type, end reason, vangnet
		"2024-01-01,2024-01-03,100,sickness,full_return,true",
		"2024-01-10,2024-01-12,100,pregnancy_leave,,false",
		"2024-01-13,2024-01-20,50,pregnancy_leave,second_track,true",
		"2024-01-21,2024-01-25,50,pregnancy_leave,,",
		"2024-02-01,2024-02-01,100,other,wia_iva,",
		"2024-03-01,,100,sickness_pregnancy,,true",
	}
	want := []summedCase{
		{"2024-01-01", "2024-01-04", "sickness", "full_return", "true", "2024-01-01..2024-01-04:100.0"},
		{"2024-01-10", "2024-01-26", "pregnancy_leave", "second_track", "true", "2024-01-10..2024-01-13:100.0 2024-01-13..2024-01-21:50.0 2024-01-21..2024-01-26:50.0"},
		{"2024-02-01", "2024-02-02", "other", "wia_iva", "", "2024-02-01..2024-02-02:100.0"},
		{"2024-03-01", "open", "sickness_pregnancy", "", "true", "2024-03-01..open:100.0"},
	}
	for _, tc := range []struct {
		name    string
		numbers []string // a case number per period; nil: the file has none
	}{
		{"rising", []string{"1", "2", "2", "2", "3", "4"}},
		{"falling", []string{"9", "8", "8", "8", "7", "6"}},
		{"past 9", []string{"9", "10", "10", "10", "11", "12"}},
		{"one empty", []string{"1", "", "", "", "3", "4"}},
		{"none", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			header := "employee_id,case_ref,start_date,end_date,absence_pct,absence_type,end_reason,vangnet"
			if tc.numbers == nil {
				header = strings.Replace(header, "case_ref,", "", 1)
			}
			lines := []string{header}
			for i, p := range periods {
				if tc.numbers != nil {
					p = tc.numbers[i] + "," + p
				}
				lines = append(lines, "E001,"+p)
			}
			s := openTestStore(t)
			mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
			res := mustImport(t, s, writeFile(t, "periods.csv", strings.Join(lines, "\n")+"\n"), ImportOptions{ExtractDate: extract2024})
			if res.Rejected != 0 {
				t.Fatalf("rejected: %v", res.Errors)
			}
			if d := cmp.Diff(want, summedCases(t, s, "E001")); d != "" {
				t.Errorf("cases (-want +got):\n%s", d)
			}
		})
	}
}

// TestOverlapBehindAPeriodThatEndsBeforeItStarts: a period that ends before
// it starts reaches less far than the one before it, so the period after it
// is still measured against the one before: it overlaps that one, and says
// so, rather than being rejected only for sharing its case.
func TestOverlapBehindAPeriodThatEndsBeforeItStarts(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	file := writeFile(t, "periods.csv", nativePeriods+
		"E001,A,2024-01-01,2024-01-31,100\n"+ // 2
		"E001,A,2024-01-05,2024-01-03,100\n"+ // 3: ends before it starts
		"E001,A,2024-01-10,2024-01-12,100\n"+ // 4: inside line 2
		"E003,C,2024-02-01,2024-02-03,100\n") // 5: fine
	res := mustImport(t, s, file, ImportOptions{ExtractDate: extract2024})
	want := []lineReason{
		{2, "not imported because line 3 of the same case was rejected"},
		{3, "the end date is before the start date 2024-01-05"},
		{3, "overlaps the absence period on line 2 of the same employee"},
		{4, "overlaps the absence period on line 2 of the same employee"},
	}
	if d := cmp.Diff(want, lineReasons(res)); d != "" {
		t.Errorf("rejects (-want +got):\n%s", d)
	}
}

// TestCaseWithoutCaseNumberIsCheckedLikeAnyOther: periods without a case
// number in a file with case numbers are a case too, rejected with the
// reason when it lies outside the employment, and the rest of it with it.
func TestCaseWithoutCaseNumberIsCheckedLikeAnyOther(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	file := writeFile(t, "periods.csv", nativePeriods+
		"E003,,2022-01-01,2022-01-05,100\n"+ // 2: before the employment (from 2022-06-01)
		"E003,,2022-01-06,2022-01-09,50\n"+ // 3
		"E001,,2024-01-01,2024-01-31,100\n"+ // 4
		"E001,,2024-01-05,2024-01-06,100\n"+ // 5: inside line 4
		"E004,D,2024-02-01,2024-02-03,100\n") // 6: fine
	res := mustImport(t, s, file, ImportOptions{ExtractDate: extract2024})
	const outside = "the employment of this employee runs from 2022-06-01 with no end date; the first sick day 2022-01-01 lies outside it"
	want := []lineReason{
		{2, outside}, {3, outside},
		{4, "not imported because line 5 of the same case was rejected"},
		{5, "overlaps the absence period on line 4 of the same employee"},
	}
	if d := cmp.Diff(want, lineReasons(res)); d != "" {
		t.Errorf("rejects (-want +got):\n%s", d)
	}
	if got := summedCases(t, s, "E001"); len(got) != 0 {
		t.Errorf("stored cases of E001: %v; want none", got)
	}
}

// summedCase is a stored case with its vangnet flag ("" when no period said)
// and its segments ("" when it has none).
type summedCase struct {
	FirstSickDay, Recovery, Type, Reason, Vangnet string
	Segments                                      string
}

func summedCases(t *testing.T, s *testStore, employee string) []summedCase {
	t.Helper()
	rows, err := s.DB.Query(`SELECT strftime(c.first_sick_day, '%Y-%m-%d'), coalesce(strftime(c.recovery_date, '%Y-%m-%d'), 'open'),
			c.absence_type, coalesce(c.end_reason, ''), coalesce(c.vangnet::VARCHAR, ''),
			coalesce((SELECT string_agg(strftime(valid_from, '%Y-%m-%d') || '..' || coalesce(strftime(valid_to, '%Y-%m-%d'), 'open') || ':' || absence_pct, ' ' ORDER BY valid_from)
			 FROM case_segments g WHERE g.employee_key = c.employee_key AND g.first_sick_day = c.first_sick_day), '')
		FROM absence_cases c JOIN employees k USING (employee_key) WHERE k.pseudonym = ? ORDER BY first_sick_day`, s.Pseudonym(employee))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []summedCase
	for rows.Next() {
		var c summedCase
		if err := rows.Scan(&c.FirstSickDay, &c.Recovery, &c.Type, &c.Reason, &c.Vangnet, &c.Segments); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
