package ingest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/ingest/internal/testkit"
	"github.com/verzuim/absence/ingest/storage"
)

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
		s := openStore(t, filepath.Join(t.TempDir(), "db.duckdb"), storage.Options{PseudonymKey: key}, Config{})
		plan, err := Plan(files, nil, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range plan {
			res, err := s.Import(context.Background(), f, ImportOptions{ExtractDate: extract})
			if err != nil {
				t.Fatal(err)
			}
			if res.Rejected > 0 || res.Duplicate > 0 {
				t.Fatalf("%s: %d rejected, %d duplicate: %v", f.Path, res.Rejected, res.Duplicate, res.Errors[:min(3, len(res.Errors))])
			}
		}
		return testkit.AllCases(t, s.Store)
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
