package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

const formula = `=HYPERLINK("https://example.invalid","klik")`

// cells reads a CSV and reports whether the formula appears as it is (a
// spreadsheet would run it) and neutralised.
func cells(t *testing.T, data []byte) (raw, neutralised bool) {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, data)
	}
	for _, r := range rows {
		raw = raw || slices.Contains(r, formula)
		neutralised = neutralised || slices.Contains(r, "'"+formula)
	}
	return raw, neutralised
}

// Every CSV the command writes (reject report, report, outcome reports)
// neutralises a name that a spreadsheet would run as a formula.
func TestCommandCSVsNeutraliseFormulas(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rejects.csv")
	rep, err := ingest.CreateRejectsFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Write([]storage.RowError{{File: "x.csv", Line: 2, Column: "department", Value: formula, Reason: "test"}}); err != nil {
		t.Fatal(err)
	}
	if err := rep.Close(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	var outputs = map[string][]byte{"--rejects": data}

	var report bytes.Buffer
	if err := writeReportCSV(&report, analytics.Report{From: "2025-01-01", To: "2025-12-31", Groups: []analytics.Group{{Key: formula, Suppressed: true}}}); err != nil {
		t.Fatal(err)
	}
	outputs["report --format csv"] = report.Bytes()

	var survival bytes.Buffer
	if err := writeOutcomeCSV(&survival, analytics.SurvivalResult{Strata: []analytics.Curve{{Key: formula, Suppressed: true}}}); err != nil {
		t.Fatal(err)
	}
	outputs["report survival --format csv"] = survival.Bytes()

	for name, out := range outputs {
		if raw, safe := cells(t, out); raw || !safe {
			t.Errorf("%s: the formula is written as it is (%v) / neutralised (%v):\n%s", name, raw, safe, out)
		}
	}
}
