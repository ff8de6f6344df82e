package analytics

import (
	"context"
	"fmt"
)

// Relapse after a return to work: of the employees back at their own
// employer after a long case, how many report sick again, and does a
// return talk (werkbalansgesprek) around the return make a difference.

// RelapseDays are the days after the return at which relapse is given.
var RelapseDays = []int{28, 91, 365}

// ReturnTalkWindowDays: a return talk counts for a return (and links to its
// case) when it starts at most this many days before or after the recovery
// date.
const ReturnTalkWindowDays = 14

// The arms of the relapse figure.
const (
	ArmReturnTalk   = "return_talk"
	ArmNoReturnTalk = "no_return_talk"
	ArmAllReturns   = "all_returns"
)

// RelapseEstimate is the share of an arm's returns with a new sickness case
// at most T days after the recovery date, as a fraction with its 95%
// interval; null beyond the follow-up or when the arm is suppressed.
type RelapseEstimate struct {
	Arm        string   `json:"arm"`
	T          int      `json:"t"`
	Suppressed bool     `json:"suppressed"`
	Estimate   *float64 `json:"estimate"`
	Lower      *float64 `json:"lower"`
	Upper      *float64 `json:"upper"`
	N          *int64   `json:"n"`      // index returns in the arm
	NRisk      *int64   `json:"n_risk"` // returns followed for at least T days
}

// relapse estimates relapse for the index returns with their recovery
// date in the filter's period (resolved), per arm, and tests return_talk
// against no_return_talk when both are shown.
func relapse(ctx context.Context, q Querier, f Filter, opt Options) ([]RelapseEstimate, *LogRank, error) {
	with, p := relapseSQL(f, opt.RelapseIndexDays)
	strata, err := survivalTallies(ctx, q, with, p, []string{"arm"}, [][]string{nil, {"arm"}}, "count(*)", nil)
	if err != nil {
		return nil, nil, fmt.Errorf("analytics: relapse: %w", err)
	}
	total, arms := splitTotal(strata)
	byArm := map[string]*stratum{ArmAllReturns: total}
	for _, a := range arms {
		byArm[a.keys[0]] = a
	}
	for _, a := range []string{ArmReturnTalk, ArmNoReturnTalk} {
		if byArm[a] == nil {
			byArm[a] = &stratum{keys: []string{a}}
		}
	}
	split := []*stratum{byArm[ArmReturnTalk], byArm[ArmNoReturnTalk]}
	hidden, totalHidden, err := strataVisibility(ctx, q, f, opt, nil, total, split)
	if err != nil {
		return nil, nil, err
	}
	out := []RelapseEstimate{}
	for _, arm := range []string{ArmReturnTalk, ArmNoReturnTalk, ArmAllReturns} {
		s := byArm[arm]
		suppressed := totalHidden || (arm != ArmAllReturns && hidden[s.key()])
		pts := kaplanMeier(s.tallies)
		for _, t := range RelapseDays {
			e := RelapseEstimate{Arm: arm, T: t, Suppressed: suppressed}
			if !suppressed {
				e.N = ptr(s.cases)
				if sv, lo, hi, n, ok := survAt(pts, t); ok {
					e.Estimate, e.NRisk = ptr(1-sv), ptr(n)
					if hi != nil {
						e.Lower = ptr(1 - *hi)
					}
					if lo != nil {
						e.Upper = ptr(1 - *lo)
					}
				}
			}
			out = append(out, e)
		}
	}
	var test *LogRank
	if !totalHidden && !hidden[split[0].key()] && !hidden[split[1].key()] {
		test = logRankTest(split, []string{ArmReturnTalk, ArmNoReturnTalk})
	}
	return out, test, nil
}

// relapseSQL defines "obs" for relapse: the index returns (sickness cases
// of at least indexDays days, closed with their recovery date in P and
// back at the own employer), in arm return_talk when the employee had a
// return talk starting within ReturnTalkWindowDays of the recovery date,
// else no_return_talk, followed from the recovery date.
func relapseSQL(f Filter, indexDays int) (sqlText, params) {
	p := params{}.period(f).vocabulary()
	p.set("relapse_index_days", indexDays)
	p.set("return_talk_window_days", ReturnTalkWindowDays)
	return part("relapse", struct {
		Pieces            piecesData
		Filter, Src, Keys sqlText
	}{pieces(p, needsFor(f)), f.predicate(p, numFamilies), "rc", "arm"}, p), p
}

// relapseObsSQL defines "obs" over the CTE src (keys, emp, fsd, rec: closed
// cases back at work), as relapse does (the template relapse_obs of
// sql/relapse.sql).
func relapseObsSQL(f Filter, src, keys sqlText) (sqlText, params) {
	p := params{}.period(f)
	return part("relapse_obs", struct{ Src, Keys sqlText }{src, keys}, p), p
}
