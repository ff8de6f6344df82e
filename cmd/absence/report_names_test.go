package main

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// jsonColumnNames are the column names the JSON of a group allows: its
// figure fields, an interval's low and high end, and per duration class its
// cases and ZVP.
func jsonColumnNames(t *testing.T, group map[string]any) []string {
	t.Helper()
	var out []string
	for k, v := range group {
		switch {
		case k == "duration_classes":
			for label := range v.(map[string]any) {
				out = append(out, "cases_"+label, "zvp_pct_"+label)
			}
		case strings.HasSuffix(k, "_ci95"):
			out = append(out, k+"_low", k+"_high")
		default:
			out = append(out, k)
		}
	}
	return out
}

// TestReportColumnsAreTheJSONNames: the CSV and the table of `absence
// report` name every column as the JSON does (issue 11: the report wrote
// zvp_ci95_low where the JSON has zvp_pct_ci95), in the same order.
func TestReportColumnsAreTheJSONNames(t *testing.T) {
	db := filepath.Join(t.TempDir(), "law.duckdb")
	if err := runImport([]string{"--db", db, "--extract-date", "2025-01-31", fixtures + "law/law_employments.csv", fixtures + "law/law_absence.csv"}); err != nil {
		t.Fatal(err)
	}
	args := []string{"report", "--db", db, "--from", "2024-01-01", "--to", "2024-12-31", "--by", "department",
		"--classes", "vernet", "--cost-per-fte-day", "250", "--config", smallGroups(t), "--format"}
	code, out := absence(t, append(args, "json")...)
	var rep struct{ Total map[string]any }
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil {
		t.Fatalf("exit %d, %v: %s", code, err, out)
	}
	allowed := jsonColumnNames(t, rep.Total)

	code, out = absence(t, append(args, "csv")...)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(rows) < 2 {
		t.Fatalf("exit %d, %v: %s", code, err, out)
	}
	if !slices.Equal(rows[0][:5], []string{"from", "to", "group", "parent", "suppressed"}) {
		t.Errorf("csv starts %v", rows[0][:5])
	}
	csvNames := rows[0][5:]
	for _, name := range csvNames {
		if !slices.Contains(allowed, name) {
			t.Errorf("csv column %s is not a JSON name (JSON: %v)", name, allowed)
		}
	}
	for _, must := range []string{"zvp_pct_ci95_low", "zmf_ci95_high", "sick_days_per_fte", "cost", "cases_366-730"} {
		if !slices.Contains(csvNames, must) {
			t.Errorf("csv has no %s: %v", must, csvNames)
		}
	}

	code, out = absence(t, append(args, "table")...)
	var header []string
	for _, line := range strings.Split(out, "\n") {
		if cells := regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(line), -1); len(cells) > 1 && cells[0] == "DEPARTMENT" {
			header = cells[1:]
		}
	}
	if code != 0 || !slices.Equal(header, csvNames) {
		t.Errorf("exit %d; table columns %v\ncsv columns %v", code, header, csvNames)
	}
}
