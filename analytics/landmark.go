package analytics

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// Effectiveness of interventions without immortal-time bias.
//
// Comparing "cases with an intervention" with "cases without" credits the
// intervention with the time a case had to last to receive it: a case that
// recovered in a week never gets a labour-expert assessment. The landmark
// method fixes the comparison at a day L of absence: only cases still absent
// at L are compared, they are classified by what happened before L, and
// their recovery is followed from L on. What happens after L does not change
// the arm.

// DefaultLandmarks are the default landmark days: 6 and 13 weeks.
var DefaultLandmarks = []int{42, 91}

// DefaultEarlyDays separates early from late interventions: started within
// the first 6 weeks of absence.
const DefaultEarlyDays = 42

// DefaultFollowUpDays are the days after the landmark at which the share
// still absent is given.
var DefaultFollowUpDays = []int{28, 91, 182, 365}

// LandmarkOptions tune Landmark. The zero value means the defaults.
type LandmarkOptions struct {
	Landmarks []int    // landmark days; default DefaultLandmarks
	Types     []string // intervention types compared; default every type but return_talk
	EarlyDays int      // default DefaultEarlyDays
	FollowUp  []int    // default DefaultFollowUpDays
}

// Arm is one arm of a comparison. A suppressed arm keeps its label and has
// no figures.
type Arm struct {
	Arm         string    `json:"arm"`
	Description string    `json:"description"`
	Suppressed  bool      `json:"suppressed"`
	Cases       *int64    `json:"cases"`
	Employees   *int64    `json:"employees"`
	Events      *int64    `json:"events"`
	Median      *float64  `json:"median_days"` // days after the landmark
	MedianCI    *Bounds   `json:"median_ci95"`
	Rates       []Rate    `json:"rates"`
	Curve       []KMPoint `json:"curve"`
}

// Comparison kinds.
const (
	CompareInterventionVsNone = "intervention_vs_none"
	CompareEarlyVsLate        = "early_vs_late"
)

// Comparison compares two arms by Kaplan–Meier and the log-rank test. The
// statistics are null when either arm is suppressed.
type Comparison struct {
	Kind     string `json:"comparison"`
	Type     string `json:"type"`
	Landmark int    `json:"landmark"`
	// Rates says what the arms' rates are: "still_absent_pct" (% still
	// absent that many days after the landmark).
	Rates   string   `json:"rates"`
	Arms    []Arm    `json:"arms"`
	LogRank *LogRank `json:"log_rank"`
	// HazardRatio of the first arm to the second (event: the end of the
	// case); above 1 the first arm's cases end sooner.
	HazardRatio *HazardRatio `json:"hazard_ratio"`
	// MedianDifference is the second arm's median minus the first's, in
	// days: positive when the first arm's absence is shorter.
	MedianDifference *float64 `json:"median_difference_days"`
}

// LandmarkResult holds the landmark comparisons for the sickness cases with
// a first sick day in the filter's period.
type LandmarkResult struct {
	Coverage
	Landmarks   []int          `json:"landmarks"`
	EarlyDays   int            `json:"early_days"`
	Suppressed  bool           `json:"suppressed"`
	Comparisons []Comparison   `json:"comparisons"`
	Definitions DefinitionList `json:"definitions"`
}

// withDefaults fills in the default landmarks, types, early limit and
// follow-up days, and checks them.
func (lopt LandmarkOptions) withDefaults() (LandmarkOptions, error) {
	if len(lopt.Landmarks) == 0 {
		lopt.Landmarks = DefaultLandmarks
	}
	for _, l := range lopt.Landmarks {
		if l <= 0 || l > 728 {
			return lopt, fmt.Errorf("analytics: landmark day %d; choose 1 to 728", l)
		}
	}
	if len(lopt.Types) == 0 {
		lopt.Types = InterventionTypes[:len(InterventionTypes)-1]
	}
	if lopt.EarlyDays == 0 {
		lopt.EarlyDays = DefaultEarlyDays
	}
	if lopt.EarlyDays < 0 {
		return lopt, fmt.Errorf("analytics: early days %d is negative", lopt.EarlyDays)
	}
	if len(lopt.FollowUp) == 0 {
		lopt.FollowUp = DefaultFollowUpDays
	}
	return lopt, nil
}

// Landmark compares, at each landmark day L, the cases still absent at L
// that received intervention type X before L with those that received no
// intervention of any type before L (per type X); and early against late
// starts of X at landmarks after EarlyDays. (Relapse with and without a
// return talk is part of Interventions.)
func Landmark(ctx context.Context, q Querier, f Filter, lopt LandmarkOptions, opt Options) (LandmarkResult, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return LandmarkResult{}, err
	}
	if lopt, err = lopt.withDefaults(); err != nil {
		return LandmarkResult{}, err
	}
	f, cut, err := resolvePeriod(ctx, q, f)
	if err != nil {
		return LandmarkResult{}, err
	}
	res := LandmarkResult{Coverage: coverageOf(f, cut), Landmarks: lopt.Landmarks, EarlyDays: lopt.EarlyDays,
		Definitions: outcomeDefinitions(opt, "landmark", "landmark_arms", "early_vs_late",
			"hazard_ratio", "log_rank", "median", "survival", "outcome_suppressed")}
	with, p := landmarkSQL(f, lopt)
	strata, err := survivalTallies(ctx, q, with, p, []string{"lm", "typ", "arm"},
		[][]string{nil, {"lm", "typ", "arm"}}, "count(DISTINCT (emp, fsd))", nil)
	if err != nil {
		return LandmarkResult{}, fmt.Errorf("analytics: landmark: %w", err)
	}
	total, arms := splitTotal(strata)
	_, hidden, err := strataVisibility(ctx, q, f, opt, nil, total, nil)
	if err != nil {
		return LandmarkResult{}, err
	}
	res.Suppressed = hidden
	th := thresholdsOf(opt)
	byKey := map[string]*stratum{}
	for _, a := range arms {
		byKey[a.key()] = a
	}
	get := func(l int, typ, arm string) *stratum {
		if s := byKey[strings.Join([]string{strconv.Itoa(l), typ, arm}, keySep)]; s != nil {
			return s
		}
		return &stratum{}
	}
	rates := func(pts []KMPoint) []Rate {
		var out []Rate
		for _, d := range lopt.FollowUp {
			r := Rate{Days: d}
			if s, lo, hi, n, ok := survAt(pts, d); ok {
				r.Pct, r.NRisk, r.CI = ptr(100*s), ptr(n), &Bounds{Low: pct(lo), High: pct(hi)}
			}
			out = append(out, r)
		}
		return out
	}
	for _, l := range lopt.Landmarks {
		for _, typ := range lopt.Types {
			c := compare(CompareInterventionVsNone, typ, l, "still_absent_pct",
				armSpec{"intervention", fmt.Sprintf("%s started before day %d", typ, l), get(l, typ, "intervention")},
				armSpec{"none", fmt.Sprintf("no intervention of any type before day %d", l), get(l, "", "none")},
				hidden, th, rates)
			res.Comparisons = append(res.Comparisons, c)
		}
	}
	for _, l := range lopt.Landmarks {
		if l <= lopt.EarlyDays {
			continue
		}
		for _, typ := range lopt.Types {
			c := compare(CompareEarlyVsLate, typ, l, "still_absent_pct",
				armSpec{"early", fmt.Sprintf("%s first started before day %d", typ, lopt.EarlyDays), get(l, typ, "early")},
				armSpec{"late", fmt.Sprintf("%s first started on days %d–%d", typ, lopt.EarlyDays, l-1), get(l, typ, "late")},
				hidden, th, rates)
			res.Comparisons = append(res.Comparisons, c)
		}
	}

	return res, nil
}

type armSpec struct {
	arm, description string
	s                *stratum
}

// compare builds a two-arm comparison; small arms are suppressed, and then
// the test, hazard ratio and median difference too.
func compare(kind, typ string, l int, rateKind string, a, b armSpec, allHidden bool, th thresholds, rates func([]KMPoint) []Rate) Comparison {
	c := Comparison{Kind: kind, Type: typ, Landmark: l, Rates: rateKind}
	visible := true
	for _, spec := range []armSpec{a, b} {
		arm := Arm{Arm: spec.arm, Description: spec.description}
		arm.Suppressed = allHidden || th.small(spec.s.emp, spec.s.cases)
		if !arm.Suppressed {
			cv := spec.s.curve(spec.arm, "", false)
			arm.Cases, arm.Employees, arm.Events = cv.Cases, cv.Employees, cv.Events
			arm.Median, arm.MedianCI, arm.Curve = cv.Median, cv.MedianCI, cv.Points
			arm.Rates = rates(cv.Points)
		} else {
			visible = false
			arm.Rates = rates(nil)
		}
		c.Arms = append(c.Arms, arm)
	}
	if !visible {
		return c
	}
	c.LogRank = logRankTest([]*stratum{a.s, b.s}, []string{a.arm, b.arm})
	c.HazardRatio = petoHazardRatio(a.s, b.s)
	if c.Arms[0].Median != nil && c.Arms[1].Median != nil {
		c.MedianDifference = ptr(*c.Arms[1].Median - *c.Arms[0].Median)
	}
	return c
}

// landmarkSQL defines "obs" for the landmark arms. A case is at risk at
// landmark L when it is known to last more than L days: ended after more
// than L days, or still open with at least L days observed (extract date −
// first sick day ≥ L). Its time is counted from L. An intervention counts
// for the arms when it started on or after the first sick day and before
// day L (start − first sick day < L); later ones count as none. Rows: the
// "none" arm (no intervention of any type before L; typ ”), and per type X
// the "intervention" arm (X before L) and, for L > EarlyDays, the "early"
// (first X before EarlyDays) and "late" (first X on EarlyDays … L − 1) arms.
func landmarkSQL(f Filter, lopt LandmarkOptions) (sqlText, params) {
	p := params{}.period(f)
	p.set("early_days", lopt.EarlyDays)
	var lms, types []string
	for i, l := range lopt.Landmarks {
		lms = append(lms, fmt.Sprintf("(%s::INTEGER)", p.set(fmt.Sprintf("landmark_%d", i+1), l)))
	}
	for i, t := range lopt.Types {
		types = append(types, string(p.set(fmt.Sprintf("landmark_type_%d", i+1), t)))
	}
	return part("landmark", struct {
		Recovery         recoveryData
		Landmarks, Types sqlText
	}{recovery(p, f, nil, "cases"), sqlText(strings.Join(lms, ", ")), sqlText(strings.Join(types, ", "))}, p), p
}
