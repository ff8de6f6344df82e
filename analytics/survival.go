package analytics

import (
	"context"
	"fmt"
	"strings"
)

// Survival of absence: how long sickness cases last, estimated with the open
// cases included as right-censored observations (Kaplan–Meier), so that the
// figures are not biased short the way an average of closed cases is.
//
// DuckDB reduces the cases to one row per (group, time) with the number of
// recoveries and censorings; Go runs the product-limit estimate, the
// Greenwood variance and the log-rank test over those rows in one pass. The
// same machinery serves progression (progression.go), interventions
// (interventions.go) and the landmark comparisons (landmark.go).

// SurvivalResult is the Kaplan–Meier estimate of time to the end of the case for
// the filter's population, optionally per value of a dimension.
type SurvivalResult struct {
	Coverage
	By          Dimension      `json:"by,omitempty"`
	Total       Curve          `json:"total"`
	Strata      []Curve        `json:"strata,omitempty"`
	LogRank     *LogRank       `json:"log_rank"` // null without two visible strata
	Definitions DefinitionList `json:"definitions"`
}

// Survival estimates the time to the end of the sickness cases whose
// first sick day lies in the filter's period, by Kaplan–Meier with the cases
// still open on the extract date censored. With a dimension (by != "") it
// also gives one curve per value and the log-rank test between them. With
// Options.Robust the intervals and the test take employees as clusters
// (survival_robust.go).
func Survival(ctx context.Context, q Querier, f Filter, by Dimension, opt Options) (SurvivalResult, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return SurvivalResult{}, err
	}
	var dims []Dimension
	if by != "" {
		if _, err := ParseDimension(string(by)); err != nil {
			return SurvivalResult{}, err
		}
		dims = []Dimension{by}
	}
	f, cut, err := resolvePeriod(ctx, q, f)
	if err != nil {
		return SurvivalResult{}, err
	}
	var cols []string
	for i := range width(dims) {
		cols = append(cols, fmt.Sprintf("g%d", i+1))
	}
	sets := [][]string{nil}
	if len(dims) > 0 {
		sets = append(sets, cols)
	}
	with, p := recoveryObsSQL(f, dims)
	strata, err := survivalTallies(ctx, q, with, p, cols, sets, "count(*)", nil)
	if err != nil {
		return SurvivalResult{}, fmt.Errorf("analytics: survival: %w", err)
	}
	total, groups := splitTotal(strata)
	if len(dims) > 0 {
		sortStrata(groups, dims[0])
	}
	hidden, totalHidden, err := strataVisibility(ctx, q, f, opt, dims, total, groups)
	if err != nil {
		return SurvivalResult{}, err
	}
	res := SurvivalResult{Coverage: coverageOf(f, cut), By: by,
		Definitions: outcomeDefinitions(opt, "survival", "median", "log_rank", "outcome_suppressed")}
	res.Total = total.curve(TotalKey, "", totalHidden)
	var tested []*stratum
	var names []string
	for _, g := range groups {
		key, parent := g.keys[0], ""
		if by == ByTeam {
			parent, key = g.keys[0], g.keys[1]
		}
		c := g.curve(key, parent, hidden[g.key()])
		res.Strata = append(res.Strata, c)
		if !c.Suppressed {
			tested = append(tested, g)
			names = append(names, strings.Join(g.keys, " / "))
		}
	}
	if !totalHidden && len(tested) >= 2 {
		res.LogRank = logRankTest(tested, names)
	}
	if opt.Robust {
		if err := applyRobust(ctx, q, f, dims, &res, groups, tested, names); err != nil {
			return SurvivalResult{}, err
		}
	}
	return res, nil
}

// recoveryData is the data of sql/recovery.sql.
type recoveryData struct {
	Pieces                  piecesData
	Filter, Name, Groups    sqlText
	Cohort, Quarterly, Ends bool
}

// recovery is the data for the cases with their first sick day in P, in
// the CTE name, with the group columns of dims.
func recovery(p params, f Filter, dims []Dimension, name sqlText) recoveryData {
	d := recoveryData{Pieces: pieces(p, needsFor(f, dims...)), Filter: f.predicate(p, numFamilies), Name: name}
	if w := width(dims); w > 0 {
		d.Groups = groupCols("p.", dims, w) + ", "
	}
	return d
}

// recoveryObsSQL defines the CTE "obs" (sql/recovery.sql): one row per
// sickness case with its first sick day in P, with group columns g1…, the
// time t in days and ev = ended.
func recoveryObsSQL(f Filter, dims []Dimension) (sqlText, params) {
	p := params{}.period(f)
	return part("recovery", recovery(p, f, dims, "obs"), p), p
}
