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
	strata, err := survivalTallies(ctx, q, recoveryObsSQL(f, dims, ""), cols, sets, "count(*)", nil)
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

// recoveryObsSQL defines the CTE "obs": one row per sickness case with its
// first sick day in P, attributed to the employment piece valid on that day,
// with group columns g1…, the time t in days and ev = recovered, and any
// extra select expressions over c (the case). A recovery date after the
// extract date is not known yet: such a case is open.
func recoveryObsSQL(f Filter, dims []Dimension, extra string) string {
	return recoveryCTE("obs", f, dims, extra)
}

// recoveryCTE is recoveryObsSQL with another name for the case CTE.
func recoveryCTE(name string, f Filter, dims []Dimension, extra string) string {
	w := width(dims)
	groups := ""
	if w > 0 {
		groups = groupCols("p.", dims, w) + ", "
	}
	return fmt.Sprintf(`%[1]s,
fp AS (SELECT * FROM pieces WHERE %[2]s),
%[9]s AS (
	SELECT %[3]sc.employee_id AS emp, c.first_sick_day AS fsd,
		CASE WHEN c.recovery_date <= %[6]s THEN c.recovery_date - c.first_sick_day ELSE %[6]s - c.first_sick_day END AS t,
		coalesce(c.recovery_date <= %[6]s, false) AS ev%[8]s
	FROM absence_cases c JOIN fp p ON p.emp = c.employee_id AND p.s <= c.first_sick_day AND c.first_sick_day < p.e
	WHERE c.absence_type IN %[7]s AND c.first_sick_day BETWEEN %[4]s AND %[5]s
)`, piecesSQL(needsFor(f, dims...)), f.predicate(numFamilies), groups,
		dateLit(f.From), dateLit(f.To), dateLit(f.ExtractDate), sickTypes, extra, name)
}
