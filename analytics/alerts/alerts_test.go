package alerts

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// alertsDB: Zorg (20 employees) with five short cases a year ago and ten
// long ones this year; ICT (40) with five short cases in both years and one
// case open for 47 days; Directie (3) with a case open for 47 days; Staf
// (12) with five short cases a year. Data up to 2026-06-30.
func alertsDB(t *testing.T) *storage.Store {
	t.Helper()
	dir := t.TempDir()
	emp := []string{"employee_id,start_date,end_date,department,team,location,contract_hours,fulltime_hours,birth_year,gender"}
	abs := []string{"employee_id,case_ref,start_date,end_date,absence_pct,absence_type,end_reason"}
	add := func(dept, prefix string, n int) {
		for i := 1; i <= n; i++ {
			emp = append(emp, fmt.Sprintf("%s%02d,2020-01-01,,%s,,Utrecht,36,36,1980,F", prefix, i, dept))
		}
	}
	add("Zorg", "Z", 20)
	add("ICT", "I", 40)
	add("Staf", "S", 12) // hidden beside Directie, so Directie cannot be worked out
	add("Directie", "D", 3)
	short := func(prefix string, year int) {
		for i := 1; i <= 5; i++ {
			abs = append(abs, fmt.Sprintf("%s%02d,%s%02d-%d,%d-10-%02d,%d-10-%02d,100,sickness,full_return", prefix, i, prefix, i, year, year, i, year, i+2))
		}
	}
	short("Z", 2024)
	short("I", 2024)
	short("I", 2025)
	short("S", 2024)
	short("S", 2025)
	for i := 6; i <= 15; i++ {
		abs = append(abs, fmt.Sprintf("Z%02d,Z%02d-long,2025-09-01,2025-10-30,100,sickness,full_return", i, i))
	}
	abs = append(abs, "I10,I10-open,2026-05-15,,100,sickness,", "D01,D01-open,2026-05-15,,100,sickness,")
	write := func(name string, lines []string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	files := []string{write("employments.csv", emp), write("absence.csv", abs)}
	ctx := context.Background()
	store, err := storage.Open(ctx, filepath.Join(dir, "alerts.duckdb"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	importer := ingest.NewImporter(store, ingest.Config{})
	plan, err := ingest.Plan(files, nil, importer.Limits())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range plan {
		if _, err := importer.Import(ctx, f, ingest.ImportOptions{ExtractDate: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
	}
	return store
}

// Zorg's rise is an alert and ICT's steady rate is not; ICT's case past six
// weeks is, Directie's is not (too small to show); no text names a person;
// the keys are the same on every run.
func TestEvaluate(t *testing.T) {
	store := alertsDB(t)
	ctx := context.Background()
	e := Employer{ID: storage.DefaultEmployerID, Name: storage.DefaultEmployer, Default: true}
	run := func() []Event {
		evs, err := Evaluate(ctx, store.Reader(), analytics.Options{}, e, Rules)
		if err != nil {
			t.Fatal(err)
		}
		return evs
	}
	first := run()
	var got []string
	for _, ev := range first {
		got = append(got, string(ev.Rule)+" "+ev.Department)
		for _, id := range []string{"Z", "I", "D", "S"} {
			for i := 1; i <= 40; i++ {
				if strings.Contains(ev.Text+ev.Title+ev.Link, fmt.Sprintf("%s%02d", id, i)) {
					t.Errorf("%s names a person", ev.Key)
				}
			}
		}
		if strings.Contains(ev.Text, "default") || !strings.HasPrefix(ev.Link, "/") {
			t.Errorf("%s: the default employer is not named, the link is a dashboard path: %q, %q", ev.Key, ev.Text, ev.Link)
		}
	}
	slices.Sort(got)
	if want := []string{"case_past_six_weeks ICT", "zvp_above_baseline Zorg"}; !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
	var again []string
	for _, ev := range run() {
		again = append(again, ev.Key)
	}
	for _, ev := range first {
		if !slices.Contains(again, ev.Key) {
			t.Errorf("the key %s changed between runs: %v", ev.Key, again)
		}
	}
}
