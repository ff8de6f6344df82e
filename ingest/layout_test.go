package ingest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The same organisation exported three ways — AFAS-style events in
// Windows-1252 with ';', Visma-style periods in UTF-8 with a case number,
// and native periods without a case number (linked by dates), ';', d-m-yyyy,
// decimal comma — must become the same cases.
func TestLayoutsAndEncodingsImportToIdenticalCases(t *testing.T) {
	want := []storedCase{
		{"E001", "2024-01-08", "2024-02-05", "sickness", "full_return", "2024-01-08..2024-01-15:100.0 2024-01-15..2024-01-29:50.0 2024-01-29..2024-02-05:25.0"},
		{"E001", "2024-03-01", "2024-03-04", "sickness", "full_return", "2024-03-01..2024-03-04:100.0"},
		{"E002", "2024-02-05", "open", "sickness", "", "2024-02-05..2024-04-01:100.0 2024-04-01..open:62.5"},
		{"E003", "2024-03-01", "2024-06-21", "pregnancy_leave", "other", "2024-03-01..2024-06-21:100.0"},
		{"E004", "2024-05-10", "2024-05-12", "sickness", "full_return", "2024-05-10..2024-05-12:100.0"},
	}
	tests := []struct {
		file, profile string // profile "" = chosen by header
		detected      string
	}{
		{"org_afas_events.csv", "afas-verloop", "Windows text, fields separated by ';', dates dd-mm-yyyy"},
		{"org_visma_periods.csv", "visma-perioden", "UTF-8 text, fields separated by ',', dates yyyy-mm-dd"},
		{"org_native_periods.csv", "", "UTF-8 text, fields separated by ';', dates dd-mm-yyyy"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			s := openTestStore(t)
			mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
			opt := ImportOptions{ExtractDate: extract2024}
			if tt.profile != "" {
				p, err := LoadProfile(tt.profile)
				if err != nil {
					t.Fatal(err)
				}
				opt.Profile = p
			}
			res := mustImport(t, s, fixtures+tt.file, opt)
			if res.Rejected != 0 || res.Duplicate != 0 {
				t.Fatalf("rejected %d, duplicate %d: %v", res.Rejected, res.Duplicate, res.Errors)
			}
			if res.Detected != tt.detected {
				t.Errorf("detected %q, want %q", res.Detected, tt.detected)
			}
			if d := cmp.Diff(want, storedCases(t, s, "E001", "E002", "E003", "E004")); d != "" {
				t.Errorf("cases (-want +got):\n%s", d)
			}
		})
	}
}

func TestProfileIsChosenByHeader(t *testing.T) {
	tests := map[string]string{
		"employments.csv":        "native-employments",
		"org_native_periods.csv": "native-periods",
		"org_visma_periods.csv":  "visma-perioden",
		"org_afas_events.csv":    "afas-verloop",
	}
	for file, want := range tests {
		plan, err := Plan([]string{fixtures + file}, nil, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if got := plan[0].Profile.Name; got != want {
			t.Errorf("%s: profile %s, want %s", file, got, want)
		}
	}
	plan, err := Plan([]string{fixtures + "org_afas_events.csv", fixtures + "employments.csv"}, nil, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if plan[0].Profile.Kind != KindEmployment {
		t.Errorf("employments must be imported first, got %s first", plan[0].Path)
	}
}

// Periods without a case number are linked when one starts the day after the
// previous ends; a period starting inside another is rejected.
func TestPeriodsLinkByDatesAndRejectOverlaps(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	file := writeFile(t, "periods.csv", strings.Join([]string{
		"employee_id,start_date,end_date,absence_pct",
		"E001,2024-01-01,2024-01-10,100", // 2
		"E001,2024-01-11,2024-01-20,50",  // 3: follows on → same case
		"E001,2024-01-15,2024-01-25,100", // 4: starts inside line 3
		"E001,2024-02-01,2024-02-02,100", // 5: after a gap → new case
		"E003,2024-03-05,2024-03-01,100", // 6: ends before it starts
		"E004,2024-03-05,2024-03-06,0",   // 7: 0% is no absence
	}, "\n")+"\n")
	res := mustImport(t, s, file, ImportOptions{ExtractDate: extract2024})
	var lines []int64
	for _, e := range res.Errors {
		lines = append(lines, e.Line)
	}
	if d := cmp.Diff([]int64{4, 6, 7}, lines); d != "" {
		t.Errorf("rejected lines (-want +got):\n%s\n%v", d, res.Errors)
	}
	if !strings.Contains(res.Errors[0].Reason, "overlaps the absence period on line 3") {
		t.Errorf("reason %q", res.Errors[0].Reason)
	}
	want := []storedCase{
		{"E001", "2024-01-01", "2024-01-21", "sickness", "", "2024-01-01..2024-01-11:100.0 2024-01-11..2024-01-21:50.0"},
		{"E001", "2024-02-01", "2024-02-03", "sickness", "", "2024-02-01..2024-02-03:100.0"},
	}
	if d := cmp.Diff(want, storedCases(t, s, "E001", "E003", "E004")); d != "" {
		t.Errorf("cases (-want +got):\n%s", d)
	}
}

// Spreadsheet-style exports: fractions for percentages, a thousands dot with a
// decimal comma, and values that must not be read as something else.
func TestNumbersAndPercentages(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	file := writeFile(t, "fractions.csv", "employee_id;start_date;end_date;absence_pct\nE001;2024-01-01;2024-01-10;1\nE002;2024-01-01;;0,5\nE004;2024-01-01;;abc\n")
	res := mustImport(t, s, file, ImportOptions{ExtractDate: extract2024})
	if !strings.Contains(res.Detected, "percentages as fractions") {
		t.Errorf("detected %q", res.Detected)
	}
	if len(res.Errors) != 1 || res.Errors[0].Line != 4 || res.Errors[0].Reason != "not a percentage" {
		t.Errorf("errors %v", res.Errors)
	}
	got := storedCases(t, s, "E001", "E002")
	if got[0].Segments != "2024-01-01..2024-01-11:100.0" || got[1].Segments != "2024-01-01..open:50.0" {
		t.Errorf("segments %+v", got)
	}
}

func TestNumberExpression(t *testing.T) {
	s := openTestStore(t)
	tests := []struct {
		in, decimal string
		want        any // nil = rejected
	}{
		{"37,5", ",", 37.5},
		{"1.234,5", ",", 1234.5},
		{"37.5", ",", 37.5},
		{"37,5", ".", nil}, // never silently 375
		{"37.5", ".", 37.5},
		{" 40 ", ".", 40.0},
		{"nan", ".", nil},
		{"inf", ",", nil},
		{"", ",", nil},
	}
	for _, tt := range tests {
		var got any
		q := "SELECT " + numberExpr("NULLIF(trim(x), '')", tt.decimal) + " FROM (SELECT ?::VARCHAR AS x)"
		if err := s.DB.QueryRow(q, tt.in).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("%q with decimal %q = %v, want %v", tt.in, tt.decimal, got, tt.want)
		}
	}
}
