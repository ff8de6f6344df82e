package analytics

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestValuesAreTheBreakdownGroups: Values lists exactly the groups, in
// order, that a Breakdown of the same filter shows, for every one-column
// dimension and filters that restrict each family.
func TestValuesAreTheBreakdownGroups(t *testing.T) {
	ctx := context.Background()
	// A case that began in a department the employee has left counts there.
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	moved := openStore(t, "2025-06-30",
		write("employments.csv", "employee_id,start_date,end_date,department,team,location,contract_hours,fulltime_hours,birth_year,gender\n"+
			"A,2024-01-01,2024-12-31,Oud,T,Utrecht,40,40,1980,F\nA,2025-01-01,,Nieuw,T,Utrecht,40,40,1980,F\nB,2024-01-01,,Nieuw,T,Zwolle,40,40,1990,M\n"),
		write("absence.csv", "employee_id,case_ref,start_date,end_date,absence_pct,absence_type,end_reason\nA,1,2024-11-01,,100,sickness,\n"))
	f := Filter{From: date("2025-01-01"), To: date("2025-06-30")}
	for _, d := range []Dimension{ByDepartment, ByLocation} {
		b, err := Breakdown(ctx, moved.DB, f, d, Options{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := Values(ctx, moved.DB, f, d)
		if err != nil {
			t.Fatal(err)
		}
		if want := groupKeys(b); !slices.Equal(got, want) || d == ByDepartment && !slices.Contains(got, "Oud") {
			t.Errorf("a case begun in a department since left, by %s: values %q, breakdown groups %q", d, got, want)
		}
	}

	s := generatedStore(t, 300)
	all, err := Breakdown(ctx, s.DB, Filter{From: date("2025-07-01"), To: date("2026-06-30")}, ByDepartment, Options{})
	if err != nil {
		t.Fatal(err)
	}
	dept := all.Groups[0].Key
	for _, f := range []Filter{
		{From: date("2025-07-01"), To: date("2026-06-30")},
		{From: date("2024-01-01"), To: date("2024-06-30")},
		{From: date("2026-06-01"), To: date("2026-12-31")}, // cut at the extract date
		{From: date("2025-01-01"), To: date("2025-12-31"), Units: []Unit{{Department: dept}}},
		{From: date("2025-01-01"), To: date("2025-12-31"), AgeBands: []string{"35-44", "45-54"}, HoursBands: []string{"35+"}},
		{From: date("2025-01-01"), To: date("2025-12-31"), Genders: []string{"F"}, TenureBands: []string{"<1"}},
	} {
		for _, d := range []Dimension{ByDepartment, ByLocation, ByAgeBand, ByGender, ByHoursBand, ByTenureBand} {
			b, err := Breakdown(ctx, s.DB, f, d, Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := groupKeys(b)
			got, err := Values(ctx, s.DB, f, d)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s–%s %+v by %s: values %q, breakdown groups %q", day(f.From), day(f.To), f, d, got, want)
			}
		}
	}
	if _, err := Values(ctx, s.DB, Filter{From: date("2025-01-01"), To: date("2025-12-31")}, ByTeam); err == nil {
		t.Error("Values by team: no error, want one (a team is keyed by its department too)")
	}
}

func groupKeys(b BreakdownResult) []string {
	var out []string
	for _, g := range b.Groups {
		out = append(out, g.Key)
	}
	return out
}
