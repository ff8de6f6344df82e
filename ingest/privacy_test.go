package ingest

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/verzuim/absence/ingest/internal/testkit"
	"github.com/verzuim/absence/ingest/storage"
)

// Names, BSN and personnel numbers never reach the database: only the
// pseudonym, and the birth date only as a year.
func TestNamesBSNAndPersonnelNumbersAreNeverStored(t *testing.T) {
	s := openTestStore(t)
	res := mustImport(t, s, fixtures+"afas_dienstverband.csv", ImportOptions{})
	if res.Accepted != 5 || res.Rejected != 0 {
		t.Fatalf("accepted %d rejected %d: %v", res.Accepted, res.Rejected, res.Errors)
	}
	mustImport(t, s, fixtures+"org_afas_events.csv", ImportOptions{ExtractDate: extract2024})

	forbidden := []string{"Jansen", "Anna", "123456782", "E001", "E002", "1980-03-12", "12-03-1980"}
	// Every text column, the ENUMs (absence type, end reason) included.
	rows, err := s.DB.Query(`SELECT table_name, column_name FROM duckdb_columns()
		WHERE (data_type = 'VARCHAR' OR data_type LIKE 'ENUM(%') AND NOT internal AND table_name NOT IN ('imports', 'import_errors', 'settings', 'schema_migrations')`)
	if err != nil {
		t.Fatal(err)
	}
	var cols [][2]string
	for rows.Next() {
		var tbl, col string
		if err := rows.Scan(&tbl, &col); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, [2]string{tbl, col})
	}
	rows.Close()
	if len(cols) < 10 || !slices.Contains(cols, [2]string{"absence_cases", "absence_type"}) {
		t.Fatalf("found only %d text columns to search, or not the ENUMs: %v", len(cols), cols)
	}
	for _, c := range cols {
		for _, bad := range forbidden {
			var n int
			testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(*) FROM `+c[0]+` WHERE contains(`+c[1]+`::VARCHAR, ?)`, bad), &n)
			if n > 0 {
				t.Errorf("%s.%s contains %q", c[0], c[1], bad)
			}
		}
	}
	var year int
	var dept, team, gender string
	var hours float64
	err = s.DB.QueryRow(`SELECT birth_year, department, coalesce(team, ''), gender, contract_hours FROM employments JOIN employees USING (employee_key) WHERE pseudonym = ?`, s.Pseudonym("E004")).Scan(&year, &dept, &team, &gender, &hours)
	if err != nil {
		t.Fatal(err)
	}
	if year != 1999 || dept != "Kantoor" || team != "" || gender != "X" || hours != 24.5 {
		t.Errorf("E004: %d %s %s %s %v", year, dept, team, gender, hours)
	}
	// Windows-1252-only characters (en dash, curly quote) arrive intact.
	var team1, loc string
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT team, location FROM employments JOIN employees USING (employee_key) WHERE pseudonym = ?`, s.Pseudonym("E001")), &team1, &loc)
	if team1 != "Zorg – Noord" || loc != "’s-Hertogenbosch" {
		t.Errorf("transcoding: team %q location %q", team1, loc)
	}
	if !strings.Contains(strings.Join(res.Notes, " "), `"Naam", "BSN" not used; never stored`) {
		t.Errorf("notes %v should say Naam and BSN are not stored", res.Notes)
	}
}

func TestDiagnosisColumnsAreRefusedForEmployers(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	content := "employee_id,start_date,end_date,absence_pct,Diagnose\nE001,2024-01-01,2024-01-05,100,griep\n"
	path := writeFile(t, "diag.csv", content)
	_, err := s.ImportFile(context.Background(), path, ImportOptions{ExtractDate: extract2024})
	if err == nil || !strings.Contains(err.Error(), `column "Diagnose" looks like a diagnosis`) {
		t.Fatalf("err = %v", err)
	}
	var n int
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(*) FROM absence_cases`), &n)
	if n != 0 {
		t.Errorf("%d cases stored from a refused file", n)
	}

	provider := writeFile(t, "provider.toml", "kind = \"absence\"\nlayout = \"periods\"\nrole = \"provider\"\n[columns]\nemployee_id = \"employee_id\"\nstart_date = \"start_date\"\nend_date = \"end_date\"\nabsence_pct = \"absence_pct\"\n")
	p, err := LoadProfile(provider)
	if err != nil {
		t.Fatal(err)
	}
	res := mustImport(t, s, path, ImportOptions{Profile: p, ExtractDate: extract2024})
	if res.Accepted != 1 || !strings.Contains(strings.Join(res.Notes, " "), `"Diagnose" (medical) dropped`) {
		t.Errorf("provider import: accepted %d notes %v", res.Accepted, res.Notes)
	}
	var found int
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(*) FROM import_errors WHERE contains(raw_value, 'griep')`), &found)
	if found != 0 {
		t.Error("a diagnosis value reached the database")
	}
}

// A row that cannot be split may hold anything (here a name and a BSN in an
// extra field); it is reported by line, and never stored.
func TestUnreadableRowsAreNotStored(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	file := writeFile(t, "extra.csv", "employee_id,start_date,end_date,absence_pct\nE001,2024-01-01,2024-01-05,100\nE002,2024-01-01,2024-01-05,100,Jan Jansen 123456782\n")
	res := mustImport(t, s, file, ImportOptions{ExtractDate: extract2024})
	if res.Rejected != 1 || res.Errors[0].Line != 3 || res.Errors[0].Value != "" {
		t.Fatalf("errors %+v", res.Errors)
	}
	var n int
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(*) FROM import_errors WHERE contains(coalesce(raw_value, '') || reason, 'Jansen') OR contains(coalesce(raw_value, '') || reason, '123456782')`), &n)
	if n != 0 {
		t.Error("the unreadable row's content was stored")
	}
}

// However an import ends — imported, refused, failed, cancelled or
// panicking — no copy of its input is left beside the database.
func TestNoCopyOfTheInputOutlivesItsImport(t *testing.T) {
	bad := writeFile(t, "bad.csv", nativePeriods+"E001,A1,2024-13-01,2024-13-02,100\n")
	tests := []struct {
		name string
		file string
		opt  func(cancel context.CancelFunc) ImportOptions
	}{
		{"imported", fixtures + "employments.csv", func(context.CancelFunc) ImportOptions { return ImportOptions{} }},
		{"no valid row", bad, func(context.CancelFunc) ImportOptions { return ImportOptions{ExtractDate: extract2024} }},
		{"cancelled", fixtures + "employments.csv", func(cancel context.CancelFunc) ImportOptions {
			return ImportOptions{Progress: func(phase string) {
				if phase == "validating" {
					cancel()
				}
			}}
		}},
		{"panic", bad, func(context.CancelFunc) ImportOptions {
			return ImportOptions{ExtractDate: extract2024, OnRejects: func([]storage.RowError) error { panic("a bug") }}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTestStore(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var copied bool
			opt := tt.opt(cancel)
			progress := opt.Progress
			opt.Progress = func(phase string) {
				if entries, _ := os.ReadDir(s.TempDir()); len(entries) > 0 {
					copied = true
				}
				if progress != nil {
					progress(phase)
				}
			}
			var err error
			func() {
				defer func() { recover() }()
				_, err = s.ImportFile(ctx, tt.file, opt)
			}()
			if tt.name == "cancelled" && !errors.Is(err, context.Canceled) {
				t.Errorf("cancelled import: err = %v", err)
			}
			if !copied {
				t.Fatal("the import made no copy of its input; the test proves nothing")
			}
			if entries, err := os.ReadDir(s.TempDir()); err == nil {
				t.Errorf("%d files left in %s", len(entries), s.TempDir())
			}
		})
	}
}
