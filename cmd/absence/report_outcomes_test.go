package main

import (
	"bytes"
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

const survivalFixtures = fixtures + "survival/"

func outcomeDB(t *testing.T, extract string, files ...string) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "cli.duckdb")
	args := []string{"--db", db, "--extract-date", extract}
	for _, f := range files {
		args = append(args, survivalFixtures+f)
	}
	if err := runImport(args); err != nil {
		t.Fatal(err)
	}
	return db
}

// The survival JSON has one object per time point with the documented
// names; the 6-MP arm of the Freireich data gives S(6) = 18/21 and a median
// of 23 days.
func TestSurvivalReportJSON(t *testing.T) {
	db := outcomeDB(t, "2024-12-31", "sixmp_employments.csv", "sixmp_absence.csv")
	var out bytes.Buffer
	if err := outcomeReport(&out, "survival", []string{"--db", db, "--from", "2024-01-01", "--to", "2024-12-31", "--by", "department", "--format", "json"}); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		From    string `json:"from"`
		By      string `json:"by"`
		Strata  []map[string]json.RawMessage
		LogRank struct {
			ChiSquare float64 `json:"chi_square"`
			DF        int     `json:"df"`
		} `json:"log_rank"`
		Definitions []struct {
			Key     string `json:"key"`
			Formula string `json:"formula"`
		} `json:"definitions"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.From != "2024-01-01" || rep.By != "department" || len(rep.Strata) != 2 || rep.LogRank.DF != 1 || math.Round(rep.LogRank.ChiSquare*10) != 168 {
		t.Fatalf("report: %s", out.String()[:min(out.Len(), 2000)])
	}
	var curve []map[string]any
	if err := json.Unmarshal(rep.Strata[0]["curve"], &curve); err != nil {
		t.Fatal(err)
	}
	first := curve[0]
	for _, k := range []string{"t", "surv", "lower", "upper", "n_risk", "n_event", "n_censor", "std_err"} {
		if _, ok := first[k]; !ok {
			t.Errorf("point has no %q: %v", k, first)
		}
	}
	if first["t"] != 6.0 || math.Abs(first["surv"].(float64)-18.0/21) > 1e-12 || first["n_risk"] != 21.0 {
		t.Errorf("first point %v", first)
	}
	var median float64
	json.Unmarshal(rep.Strata[0]["median"], &median)
	if median != 23 {
		t.Errorf("median %v, want 23", median)
	}
	if len(rep.Definitions) == 0 || rep.Definitions[0].Key != "survival" || rep.Definitions[0].Formula == "" {
		t.Errorf("definitions: %+v", rep.Definitions)
	}
}

// Every kind writes every format; the period defaults to the 12 months up
// to the extract date.
func TestOutcomeReportsAllFormats(t *testing.T) {
	tracks := outcomeDB(t, "2023-06-30", "tracks_employments.csv", "tracks_absence.csv", "tracks_milestones.csv")
	landmark := outcomeDB(t, "2024-12-31", "landmark_employments.csv", "landmark_absence.csv", "landmark_interventions.csv")
	for _, c := range []struct {
		kind, db string
		args     []string
		want     string // in the table
	}{
		{"survival", landmark, nil, "total"},
		{"progression", landmark, []string{"--cohort", "quarter", "--weeks", "8"}, "2024-Q1"},
		{"tracks", tracks, []string{"--weeks", "6", "--min-employees", "5"}, "problem_analysis"},
		{"interventions", landmark, []string{"--landmark", "42"}, "intervention_vs_none"},
	} {
		for _, format := range []string{"table", "csv", "json"} {
			var out bytes.Buffer
			args := append([]string{"--db", c.db, "--format", format}, c.args...)
			if err := outcomeReport(&out, c.kind, args); err != nil {
				t.Errorf("%s %s: %v", c.kind, format, err)
				continue
			}
			if format == "table" && !strings.Contains(out.String(), c.want) {
				t.Errorf("%s table lacks %q:\n%s", c.kind, c.want, out.String())
			}
			if format == "json" && !json.Valid(out.Bytes()) {
				t.Errorf("%s: invalid JSON", c.kind)
			}
		}
	}
	if err := outcomeReport(&bytes.Buffer{}, "survival", []string{"--db", landmark, "--by", "shoe-size"}); err == nil {
		t.Error("an unknown dimension was accepted")
	}
	if err := outcomeReport(&bytes.Buffer{}, "churn", nil); err == nil {
		t.Error("an unknown report was accepted")
	}
}
