package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const survivalFixtures = fixtures + "survival/"

// smallGroups is a configuration that lets the fixtures' groups of 5 to 9
// employees show: a report cannot go below the configured threshold.
func smallGroups(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "small-groups.toml")
	if err := os.WriteFile(path, []byte("[suppression]\nmin_employees = 5\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

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
	outcomes := outcomeDB(t, "2024-12-31", "outcomes_employments.csv", "outcomes_absence.csv", "outcomes_interventions.csv")
	frequent := outcomeDB(t, "2025-06-30", "frequent_employments.csv", "frequent_absence.csv")
	for _, c := range []struct {
		kind, db string
		args     []string
		want     string // in the table
	}{
		{"survival", landmark, nil, "total"},
		{"progression", landmark, []string{"--cohort", "quarter", "--weeks", "8"}, "2024-Q1"},
		{"tracks", tracks, []string{"--weeks", "6", "--config", smallGroups(t), "--min-employees", "5"}, "problem_analysis"},
		{"interventions", landmark, []string{"--landmark", "42"}, "intervention_vs_none"},
		{"interventions", outcomes, []string{"--config", smallGroups(t), "--min-employees", "5"}, "OWN EMPLOYER 91d %"},
		{"outcomes", outcomes, []string{"--from", "2023-01-01", "--by", "department", "--config", smallGroups(t), "--min-employees", "5"}, "Lang"},
		{"frequent-to-long", frequent, []string{"--at", "2024-01-01", "--config", smallGroups(t), "--min-employees", "5"}, "frequent"},
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

// relapseRow is one row of the relapse figure in the interventions JSON.
type relapseRow struct {
	Arm      string   `json:"arm"`
	T        int      `json:"t"`
	Estimate *float64 `json:"estimate"`
	Lower    *float64 `json:"lower"`
	Upper    *float64 `json:"upper"`
	N        *int64   `json:"n"`
}

// Finding 2 (issue 10): "relapse within 12 months" was any new sickness
// case after any closed case, per intervention type, so it read the base
// rate everywhere. Relapse now starts at a return to the own employer after
// a case of at least 42 days and compares returns with and without a
// return talk (held 14 days before to 14 days after the recovery date).
// The relapse fixture (datasets/fixtures/survival/relapse_*.csv, extract
// 30-6-2025): eleven index returns on 1-3-2024, days to the next sick
// report (c = censored):
//
//	return talk     R01 10 (talk on the first day back), R02 100 (talk 10
//	                days after), R03 486c (14 days before), R04 50c
//	                (employment ended), R05 28 (the day before; no reason
//	                recorded, still employed: back at the own employer)
//	no return talk  R06 7 (talk 20 days before), R07 20 (15 days after),
//	                R08 90, R09 200 (a new contract in between), R10 183c (a
//	                42-day case; employment ended, rehired later: the
//	                relapse after rehiring does not count), R16 486c
//
// Not index: R11 (41 days), R12 (WIA), R13 (other), R14 (no reason, the
// employment ended the day before the recovery date). By hand, 1 − S(t):
// return talk 0.4, 0.4, 0.7 at 28, 91, 365 days; no return talk 1/3, 1/2,
// 3/4; all returns 4/11, 31/66, 71/99.
func TestRelapseReportJSON(t *testing.T) {
	db := outcomeDB(t, "2025-06-30", "relapse_employments.csv", "relapse_absence.csv", "relapse_interventions.csv")
	var out bytes.Buffer
	if err := outcomeReport(&out, "interventions", []string{"--db", db, "--from", "2024-01-01", "--to", "2024-12-31",
		"--config", smallGroups(t), "--min-employees", "5", "--format", "json"}); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Interventions struct {
			Relapse []relapseRow `json:"relapse"`
		} `json:"interventions"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	want := map[string][]float64{"return_talk": {0.4, 0.4, 0.7}, "no_return_talk": {1.0 / 3, 0.5, 0.75}, "all_returns": {4.0 / 11, 31.0 / 66, 71.0 / 99}}
	n := map[string]int64{"return_talk": 5, "no_return_talk": 6, "all_returns": 11}
	if len(rep.Interventions.Relapse) != 9 {
		t.Fatalf("relapse rows %+v; want arms return_talk, no_return_talk and all_returns at 28, 91 and 365 days", rep.Interventions.Relapse)
	}
	for _, r := range rep.Interventions.Relapse {
		i := map[int]int{28: 0, 91: 1, 365: 2}[r.T]
		w, ok := want[r.Arm]
		if !ok || r.Estimate == nil || math.Abs(*r.Estimate-w[i]) > 1e-9 || r.N == nil || *r.N != n[r.Arm] {
			t.Errorf("%s at %d days: %v (n %v), want %v (n %d)", r.Arm, r.T, r.Estimate, r.N, w[i], n[r.Arm])
			continue
		}
		if r.Lower == nil || r.Upper == nil || *r.Lower > *r.Estimate || *r.Upper < *r.Estimate || *r.Upper > 1 {
			t.Errorf("%s at %d days: interval %v–%v around %v", r.Arm, r.T, r.Lower, r.Upper, *r.Estimate)
		}
	}
}

// Finding 9 (issue 10): nothing answered whether frequent absentees become
// long-term absent. The frequent fixture (datasets/fixtures/survival/
// frequent_*.csv, extract 30-6-2025, reference date 1-1-2024): F01–F05 had
// three or more sick reports in the 12 months up to it; their first case of
// more than 42 days starts 60 (F01), 182 (F02) and 380 days (F05) later;
// F03's employment ends after 151 days and F04 has none (censored at the
// last day a case can be known to last over 42 days: extract − 42 = 504
// days). Of the others (N01–N06), only N01 starts one (after 274 days); N04's
// lasts exactly 42 days, N05's started before the reference date, N03's
// after the last knowable day, and N07 was not employed on it. By hand,
// within 12 months (366 days): frequent 1 − (4/5)(2/3) = 7/15, others 1/6;
// 24 and 48 months lie beyond the follow-up.
func TestFrequentToLongReportJSON(t *testing.T) {
	db := outcomeDB(t, "2025-06-30", "frequent_employments.csv", "frequent_absence.csv")
	var out bytes.Buffer
	if err := outcomeReport(&out, "frequent-to-long", []string{"--db", db, "--at", "2024-01-01", "--config", smallGroups(t), "--min-employees", "5", "--format", "json"}); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		At                  string `json:"at"`
		CumulativeIncidence []struct {
			Group    string   `json:"group"`
			Months   int      `json:"months"`
			T        int      `json:"t"`
			Estimate *float64 `json:"estimate"`
			NRisk    *int64   `json:"n_risk"`
		} `json:"cumulative_incidence"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.At != "2024-01-01" || len(rep.CumulativeIncidence) != 6 {
		t.Fatalf("report: %s", out.String()[:min(out.Len(), 2000)])
	}
	for _, r := range rep.CumulativeIncidence {
		want := map[string]float64{"frequent": 7.0 / 15, "other": 1.0 / 6}[r.Group]
		switch {
		case r.Months == 12 && (r.T != 366 || r.Estimate == nil || math.Abs(*r.Estimate-want) > 1e-9):
			t.Errorf("%s within 12 months (t=%d): %v, want %v", r.Group, r.T, r.Estimate, want)
		case r.Months != 12 && r.Estimate != nil:
			t.Errorf("%s within %d months: %v beyond the follow-up", r.Group, r.Months, *r.Estimate)
		}
	}
}
