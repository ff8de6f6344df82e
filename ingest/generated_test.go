package ingest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/verzuim/absence/datasets"
)

// allCases dumps every case with its segments, keyed by pseudonym, so two
// databases filled with the same key can be compared whole.
func allCases(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.DB.Query(`SELECT employee_id || ' ' || strftime(c.first_sick_day, '%Y-%m-%d') || ' ' || coalesce(strftime(c.recovery_date, '%Y-%m-%d'), 'open')
			|| ' ' || absence_type || ' ' || coalesce(end_reason, '-') || ' ' ||
			(SELECT string_agg(strftime(valid_from, '%Y-%m-%d') || '..' || coalesce(strftime(valid_to, '%Y-%m-%d'), 'open') || ':' || absence_pct, ' ' ORDER BY valid_from)
			 FROM case_segments g WHERE g.employee_id = c.employee_id AND g.first_sick_day = c.first_sick_day)
		FROM absence_cases c ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// A generated organisation exported as AFAS-style Windows-1252 ';' event rows
// and as Visma-style UTF-8 period rows imports to identical cases, and to the
// cases the generator made.
func TestGeneratedOrganisationImportsIdenticallyFromEveryLayout(t *testing.T) {
	dir := t.TempDir()
	extract := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	cfg := datasets.Config{Employees: 400, Seed: 11, ExtractDate: extract}
	if _, err := datasets.WriteFiles(dir, cfg, "afas", "visma"); err != nil {
		t.Fatal(err)
	}
	var generated int
	datasets.Generate(cfg, func(e *datasets.Employee) error { generated += len(e.Cases); return nil })

	key := []byte("a test key of at least sixteen bytes")
	load := func(files ...string) []string {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "db.duckdb"), Options{PseudonymKey: key})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		plan, err := Plan(files, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range plan {
			res, err := s.ImportFile(context.Background(), f.Path, ImportOptions{Profile: f.Profile, ExtractDate: extract})
			if err != nil {
				t.Fatal(err)
			}
			if res.Rejected > 0 || res.Duplicate > 0 {
				t.Fatalf("%s: %d rejected, %d duplicate: %v", f.Path, res.Rejected, res.Duplicate, res.Errors[:min(3, len(res.Errors))])
			}
		}
		return allCases(t, s)
	}
	afas := load(filepath.Join(dir, "afas_dienstverband.csv"), filepath.Join(dir, "afas_verzuim.csv"))
	visma := load(filepath.Join(dir, "visma_verzuim.csv"), filepath.Join(dir, "visma_medewerkers.csv"))
	if len(afas) != generated || generated < 500 {
		t.Errorf("imported %d cases, the generator made %d", len(afas), generated)
	}
	if d := cmp.Diff(afas, visma); d != "" {
		t.Errorf("AFAS events and Visma periods differ (-afas +visma):\n%s", d)
	}
}
