package analytics

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The outcomes fixture (datasets/fixtures/survival/outcomes_*.csv, extract
// 31-12-2024). Department Kort, days (way): O01 10 (full_return), O02 10
// (no reason; employment ended the day before the recovery date: employment
// ended), O03 20 (open), O04 30 (adapted_own_work), O05 30 (second_track),
// O06 30 (open), O07 50 (no reason, a new contract from the recovery date:
// own employer), O08 60 (other) — worked out by hand in
// TestAalenJohansenByHand. Department Lang, one case each, none tied: L07
// 365 (full_return), L01 400 (full_return), L05 420 (employment_ended), L02
// 450 (other_work_own_employer), L03 500 (second_track), L04 600 (wia_iva),
// L06 open after 694 days; each ending is 1/7 of the department.
func outcomesStore(t testing.TB) Querier {
	t.Helper()
	return survivalStore(t, "2024-12-31", "outcomes_employments.csv", "outcomes_absence.csv", "outcomes_interventions.csv")
}

var outcomesKort = []obsK{{10, 1}, {10, 4}, {20, 0}, {30, 1}, {30, 2}, {30, 0}, {50, 1}, {60, 5}}
var outcomesLang = []obsK{{365, 1}, {400, 1}, {420, 4}, {450, 1}, {500, 2}, {600, 3}, {694, 0}}

// estimates indexes the cumulative incidences by group, outcome and day.
func estimates(res OutcomesResult) map[string]OutcomeEstimate {
	out := map[string]OutcomeEstimate{}
	for _, e := range res.CumulativeIncidence {
		out[e.Group+" "+e.Outcome+" "+itoa(e.T)] = e
	}
	return out
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestOutcomes(t *testing.T) {
	q := outcomesStore(t)
	t.Run("by department", func(t *testing.T) { outcomesByDepartment(t, q) })
	t.Run("suppressed", func(t *testing.T) { outcomesSuppressed(t, q) })
}

func outcomesByDepartment(t *testing.T, q Querier) {
	f := Filter{From: date("2023-01-01"), To: date("2024-12-31")}
	res, err := Outcomes(context.Background(), q, f, ByDepartment, OutcomesOptions{}, Options{MinEmployees: 5, MinCases: 5})
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]OutcomeGroup{}
	for _, g := range res.Groups {
		groups[g.Group] = g
	}
	if len(res.Groups) != 3 || res.Groups[0].Group != TotalKey || groups["Kort"].Suppressed || groups["Lang"].Suppressed {
		t.Fatalf("groups %+v", res.Groups)
	}
	got := estimates(res)
	states := append([]string{StateStillAbsent}, CaseEnds...)
	// Each group's estimate equals the matrix product (R's survfit) on the
	// same cases at every reported day, with n_risk the cases followed
	// that long; null where the group was not followed that long.
	for name, obs := range map[string][]obsK{"Kort": outcomesKort, "Lang": outcomesLang, TotalKey: append(slices.Clone(outcomesKort), outcomesLang...)} {
		times, p := plainAJ(obs, ones(len(obs)), len(CaseEnds))
		last := times[len(times)-1]
		for _, d := range OutcomeDays {
			var nRisk int64
			for _, o := range obs {
				if o.t >= d {
					nRisk++
				}
			}
			for s, state := range states {
				e, ok := got[name+" "+state+" "+itoa(d)]
				if !ok {
					t.Fatalf("%s %s at %d days: no row", name, state, d)
				}
				want := 0.0
				if s == 0 {
					want = 1
				}
				for i, tt := range times {
					if tt <= d {
						want = p[i][s]
					}
				}
				if d > last && p[len(p)-1][0] > 0 {
					if e.Estimate != nil {
						t.Errorf("%s %s at %d days: %v beyond the follow-up", name, state, d, *e.Estimate)
					}
					continue
				}
				if e.Estimate == nil || math.Abs(*e.Estimate-want) > 1e-12 || e.NRisk != nRisk {
					t.Errorf("%s %s at %d days: %v (n_risk %d), want %v (%d)", name, state, d, fmtp(e.Estimate), e.NRisk, want, nRisk)
				}
				if want > 0 && (e.Lower == nil || e.Upper == nil || *e.Lower > want || *e.Upper < want) {
					t.Errorf("%s %s at %d days: interval %v–%v", name, state, d, fmtp(e.Lower), fmtp(e.Upper))
				}
			}
		}
	}
	// By hand: half of Kort came back to the own employer; Lang's ways are
	// sevenths.
	for key, want := range map[string]float64{
		"Kort own_employer 91": 0.5, "Kort employment_ended 91": 0.125, "Kort second_track 91": 0.15, "Kort other 91": 0.225, "Kort still_absent 91": 0,
		"Lang own_employer 365": 1.0 / 7, "Lang still_absent 365": 6.0 / 7, "Lang own_employer 730": math.NaN(),
	} {
		e := got[key]
		if math.IsNaN(want) {
			if e.Estimate != nil {
				t.Errorf("%s: %v, want null (L06 open after 694 days)", key, *e.Estimate)
			}
		} else if e.Estimate == nil || math.Abs(*e.Estimate-want) > 1e-12 {
			t.Errorf("%s: %v, want %v", key, fmtp(e.Estimate), want)
		}
	}
	// The long cases: Lang's six cases still absent after a year (L07
	// ended on day 365 itself); Kort has none.
	wantLong := []LongCaseCount{
		{TotalKey, "", EndOwnEmployer, 2, 2.0 / 6}, {TotalKey, "", EndSecondTrack, 1, 1.0 / 6}, {TotalKey, "", EndWIA, 1, 1.0 / 6},
		{TotalKey, "", EndEmploymentEnded, 1, 1.0 / 6}, {TotalKey, "", EndOther, 0, 0}, {TotalKey, "", StateStillAbsent, 1, 1.0 / 6},
		{"Lang", "", EndOwnEmployer, 2, 2.0 / 6}, {"Lang", "", EndSecondTrack, 1, 1.0 / 6}, {"Lang", "", EndWIA, 1, 1.0 / 6},
		{"Lang", "", EndEmploymentEnded, 1, 1.0 / 6}, {"Lang", "", EndOther, 0, 0}, {"Lang", "", StateStillAbsent, 1, 1.0 / 6},
	}
	if d := cmp.Diff(wantLong, res.LongCases); d != "" {
		t.Errorf("long cases (-want +got):\n%s", d)
	}
	if g := groups["Kort"]; g.LongCases == nil || *g.LongCases != 0 || g.LongSuppressed {
		t.Errorf("Kort's long cases: %+v", g)
	}
}

// With the default thresholds (10 employees) both departments are hidden,
// and so are the total's six long cases; the JSON has lists, never null.
func outcomesSuppressed(t *testing.T, q Querier) {
	f := Filter{From: date("2023-01-01"), To: date("2024-12-31")}
	res, err := Outcomes(context.Background(), q, f, ByDepartment, OutcomesOptions{AllTimes: true}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range res.Groups[1:] {
		if !g.Suppressed || g.Cases != nil || g.LongCases != nil {
			t.Errorf("group shown: %+v", g)
		}
	}
	if total := res.Groups[0]; total.Suppressed || *total.Cases != 15 || !total.LongSuppressed || total.LongCases != nil {
		t.Errorf("total %+v", total)
	}
	for _, e := range res.CumulativeIncidence {
		if e.Group != TotalKey {
			t.Fatalf("a row of a hidden group: %+v", e)
		}
	}
	if len(res.LongCases) != 0 {
		t.Errorf("long cases of too few employees shown: %+v", res.LongCases)
	}
	// All times: the 7 reported days and the 10 days on which a case ended
	// (10, 30, 50, 60, 365, 400, 420, 450, 500, 600), 365 in both.
	if n := len(res.CumulativeIncidence) / (1 + len(CaseEnds)); n != 16 {
		t.Errorf("%d times with all_times", n)
	}
	data, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"long_cases":[]`) || strings.Contains(string(data), "null,\"definitions\"") {
		t.Errorf("JSON: %.400s", data)
	}
	// A filter on one hidden department hides everything.
	res, err = Outcomes(context.Background(), q, Filter{From: f.From, To: f.To, Units: []Unit{{Department: "Kort"}}}, "", OutcomesOptions{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Groups[0].Suppressed || len(res.CumulativeIncidence) != 0 {
		t.Errorf("a hidden department shown through the filter: %+v", res.Groups)
	}
}
