package analytics

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Progression to long-term absence: the share of new sickness cases still
// absent after 1 week, 6 weeks, 13 weeks, 1 year and 104 weeks, read off the
// Kaplan–Meier curve so that open cases count for as long as they have been
// observed; overall and per start cohort, with a cohort grid by week.

// ProgressionDays are the default durations (days) at which progression is
// reported: 1 week, 6 weeks, 13 weeks, 1 year, 104 weeks.
var ProgressionDays = []int{7, 42, 91, 365, 728}

// DefaultGridWeeks is the default width of the cohort grid.
const DefaultGridWeeks = 52

// ProgressionOptions tune Progression. The zero value means the defaults.
type ProgressionOptions struct {
	Cohort    Granularity // Monthly (default) or Quarterly cohorts of first sick day
	Days      []int       // default ProgressionDays
	GridWeeks int         // weeks in the cohort grid; default DefaultGridWeeks, at most 208
}

// StillAbsent is the estimated share of cases still absent after Days days.
// Pct and CI are null when the group's cases were not observed that long, or
// when the group is suppressed.
type StillAbsent struct {
	Days  int      `json:"days"`
	Pct   *float64 `json:"pct"`
	CI    *Bounds  `json:"ci95"`
	NRisk *int64   `json:"n_risk"` // cases observed for at least Days days
}

// ProgressionRow is the progression of one cohort, or of all cases.
type ProgressionRow struct {
	Cohort      string        `json:"cohort"` // "total", "2024-03" or "2024-Q1"
	Suppressed  bool          `json:"suppressed"`
	Cases       *int64        `json:"cases"`
	Employees   *int64        `json:"employees"`
	StillAbsent []StillAbsent `json:"still_absent"`
	// Grid[w-1] is the % still absent after w weeks (7·w days); null beyond
	// the cohort's follow-up.
	Grid []*float64 `json:"grid_pct"`
}

// ProgressionResult is the progression of the filter's new sickness cases.
type ProgressionResult struct {
	Coverage
	CohortBy    Granularity      `json:"cohort_by"`
	Days        []int            `json:"days"`
	GridWeeks   int              `json:"grid_weeks"`
	Total       ProgressionRow   `json:"total"`
	Cohorts     []ProgressionRow `json:"cohorts"`
	Definitions DefinitionList   `json:"definitions"`
}

// Progression estimates, for the sickness cases with a first sick day in the
// filter's period, the share still absent at each of popt.Days, overall and
// per cohort of first sick day, and the cohort grid.
func Progression(ctx context.Context, q Querier, f Filter, popt ProgressionOptions, opt Options) (ProgressionResult, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return ProgressionResult{}, err
	}
	if popt.Cohort == "" {
		popt.Cohort = Monthly
	}
	if popt.Cohort != Monthly && popt.Cohort != Quarterly {
		return ProgressionResult{}, fmt.Errorf("analytics: cohorts are by month or quarter, not %q", popt.Cohort)
	}
	if len(popt.Days) == 0 {
		popt.Days = ProgressionDays
	}
	for _, d := range popt.Days {
		if d < 0 {
			return ProgressionResult{}, fmt.Errorf("analytics: progression at %d days: days cannot be negative", d)
		}
	}
	if popt.GridWeeks == 0 {
		popt.GridWeeks = DefaultGridWeeks
	}
	if popt.GridWeeks < 0 || popt.GridWeeks > 208 {
		return ProgressionResult{}, fmt.Errorf("analytics: a cohort grid of %d weeks; choose 1 to 208", popt.GridWeeks)
	}
	f, cut, err := resolvePeriod(ctx, q, f)
	if err != nil {
		return ProgressionResult{}, err
	}
	p := params{}.period(f)
	obs := recovery(p, f, nil, "obs")
	obs.Cohort, obs.Quarterly = true, popt.Cohort == Quarterly
	strata, err := survivalTallies(ctx, q, part("recovery", obs, p), p, []string{"cohort"}, [][]string{nil, {"cohort"}}, "count(*)", nil)
	if err != nil {
		return ProgressionResult{}, fmt.Errorf("analytics: progression: %w", err)
	}
	total, cohorts := splitTotal(strata)
	slices.SortFunc(cohorts, func(a, b *stratum) int { return strings.Compare(a.keys[0], b.keys[0]) })
	hidden, totalHidden, err := strataVisibility(ctx, q, f, opt, nil, total, cohorts)
	if err != nil {
		return ProgressionResult{}, err
	}
	res := ProgressionResult{Coverage: coverageOf(f, cut), CohortBy: popt.Cohort, Days: popt.Days, GridWeeks: popt.GridWeeks,
		Definitions: outcomeDefinitions(opt, "still_absent_pct", "cohort_grid", "survival", "outcome_suppressed")}
	res.Total = progressionRow(TotalKey, total, totalHidden, popt)
	for _, c := range cohorts {
		res.Cohorts = append(res.Cohorts, progressionRow(c.keys[0], c, totalHidden || hidden[c.key()], popt))
	}
	return res, nil
}

func progressionRow(key string, s *stratum, suppressed bool, popt ProgressionOptions) ProgressionRow {
	row := ProgressionRow{Cohort: key, Suppressed: suppressed}
	for _, d := range popt.Days {
		row.StillAbsent = append(row.StillAbsent, StillAbsent{Days: d})
	}
	row.Grid = make([]*float64, popt.GridWeeks)
	if suppressed {
		return row
	}
	row.Cases, row.Employees = ptr(s.cases), ptr(s.emp)
	pts := kaplanMeier(s.tallies)
	for i, d := range popt.Days {
		if v, lo, hi, n, ok := survAt(pts, d); ok {
			row.StillAbsent[i].Pct = ptr(100 * v)
			row.StillAbsent[i].NRisk = ptr(n)
			row.StillAbsent[i].CI = &Bounds{Low: pct(lo), High: pct(hi)}
		}
	}
	for w := 1; w <= popt.GridWeeks; w++ {
		if v, _, _, _, ok := survAt(pts, 7*w); ok {
			row.Grid[w-1] = ptr(100 * v)
		}
	}
	return row
}

func pct(p *float64) *float64 {
	if p == nil {
		return nil
	}
	return ptr(100 * *p)
}
