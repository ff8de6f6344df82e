package main

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// Finding 10: a list with nothing in it is [] in the JSON, never null, so a
// script can loop over it without a check. Without milestone dates there is
// nothing overdue and no compliance; with a one-week horizon no deadline.
func TestTracksJSONListsAreNeverNull(t *testing.T) {
	db := outcomeDB(t, "2023-06-30", "tracks_employments.csv", "tracks_absence.csv")
	var out bytes.Buffer
	if err := outcomeReport(&out, "tracks", []string{"--db", db, "--weeks", "1", "--format", "json"}); err != nil {
		t.Fatal(err)
	}
	var rep map[string]any
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"open_tracks", "deadlines", "overdue", "compliance", "definitions"} {
		if _, ok := rep[key].([]any); !ok {
			t.Errorf("%q is %v, want a list", key, rep[key])
		}
	}
}

// --robust switches the survival report to the cluster-robust variance and
// says so in the definitions; without it the intervals are Greenwood's.
func TestSurvivalReportRobust(t *testing.T) {
	db := outcomeDB(t, "2024-12-31", "landmark_employments.csv", "landmark_absence.csv")
	report := func(extra ...string) (string, []float64) {
		var out bytes.Buffer
		args := append([]string{"--db", db, "--from", "2024-01-01", "--to", "2024-12-31", "--format", "json"}, extra...)
		if err := outcomeReport(&out, "survival", args); err != nil {
			t.Fatal(err)
		}
		var rep struct {
			Total struct {
				Curve []struct {
					StdErr *float64 `json:"std_err"`
				} `json:"curve"`
			} `json:"total"`
			Definitions []struct {
				Key, Interval string
			} `json:"definitions"`
		}
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		var se []float64
		for _, p := range rep.Total.Curve {
			if p.StdErr != nil {
				se = append(se, *p.StdErr)
			}
		}
		return rep.Definitions[0].Interval, se
	}
	plain, se := report()
	robust, rse := report("--robust")
	if !strings.Contains(robust, "Robust") || strings.Contains(plain, "Robust") || !strings.Contains(plain, "Greenwood") {
		t.Errorf("definitions: plain %q, robust %q", plain, robust)
	}
	if slices.Equal(se, rse) {
		t.Errorf("the same standard errors %v with and without --robust", se)
	}
}
