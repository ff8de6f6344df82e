package analytics

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// The adjusted effect of an intervention type on the return to the own
// employer, by three methods side by side (see the catalogue entries
// adjusted_effect, ipw_landmark, cox_landmark and cox_time_varying):
//
//   - ipw_landmark: at a landmark day L, the cases still absent at L, those
//     with the intervention started before L against those with no
//     intervention at all before L, weighted by the inverse of the
//     probability of their arm given what was known at L (stabilised,
//     truncated at the 1st and 99th percentile), the controls also by the
//     inverse probability of not yet being censored by help after L
//     (adjusted_ipcw.go), in a weighted Cox model: a marginal hazard ratio,
//     the effect averaged over the group;
//   - cox_landmark: the same cases, in a Cox model with the arm and those
//     covariates: a conditional hazard ratio, the effect for comparable
//     cases;
//   - cox_time_varying: every case from the first day any intervention
//     started (adjusted_tv.go), the intervention a time-varying exposure
//     from its start, with the covariates known at the first sick day;
//     nobody is left out.
//
// The event is the return to the own employer; other endings (another
// employer, WIA, the end of the employment, other) censor the case when they
// happen (cause-specific hazard). Standard errors are robust with the
// employee as cluster (an employee's cases are not independent).

// The methods.
const (
	MethodIPWLandmark    = "ipw_landmark"
	MethodCoxLandmark    = "cox_landmark"
	MethodCoxTimeVarying = "cox_time_varying"
	// methodUnadjusted is the landmark comparison without covariates, for
	// the tests that show what adjusting changes.
	methodUnadjusted = "unadjusted_landmark"
)

// Why an adjusted estimate is suppressed.
const (
	ReasonTooFewCases   = "too_few_cases" // an arm has fewer cases or employees than the thresholds
	ReasonNoEvents      = "no_events"     // an arm has no return to the own employer
	ReasonNotEstimable  = "not_estimable" // the model did not converge or a covariate does not vary
	ReasonComplementary = "complementary" // hidden so that a smaller provider's count cannot be worked out from the total
	// ReasonNoInterventions: no case of the group had an intervention of
	// the type (a provider that does not give it): nothing to compare, and
	// no landmark day.
	ReasonNoInterventions = "no_interventions"
)

// DefaultLandmarkShare: by default the landmark of a type is the day by
// which this share of its interventions (the first of a case) has started,
// rounded up to a whole week.
const DefaultLandmarkShare = 0.75

// DefaultBootstrap is the number of bootstrap resamples (of employees) for
// the interval of the difference in median duration.
const DefaultBootstrap = 200

// AdjustedOptions tune Adjusted. The zero value means the defaults.
type AdjustedOptions struct {
	Types     []string       // default every type but return_talk
	Landmarks map[string]int // landmark day per type; default by DefaultLandmarkShare
	EarlyDays int            // timing: early is a start before this day; default DefaultEarlyDays
	Bootstrap int            // default DefaultBootstrap
}

// HRInterval is a hazard ratio with its 95% interval.
type HRInterval struct {
	HazardRatio float64 `json:"hazard_ratio"`
	Lower       float64 `json:"lower"`
	Upper       float64 `json:"upper"`
}

// ArmShares is the share back at the own employer (in %) Days after the
// landmark in each arm (Aalen–Johansen, weighted for ipw_landmark; null
// when the arm was not followed that long).
type ArmShares struct {
	Days    int      `json:"days"`
	Treated *float64 `json:"treated_pct"`
	Control *float64 `json:"control_pct"`
}

// Balance is a covariate's standardised mean difference between the arms
// before and after weighting (ipw_landmark; After is null for
// cox_landmark).
type Balance struct {
	Covariate string   `json:"covariate"`
	Before    float64  `json:"smd_before"`
	After     *float64 `json:"smd_after"`
}

// AdjustedEstimate is one method's estimate for an intervention type, or
// one provider or client employer of it (adjustedGroups). A
// suppressed estimate has a reason and no figures.
type AdjustedEstimate struct {
	InterventionType string   `json:"intervention_type"`
	Provider         *string  `json:"provider"` // null: all providers
	Employer         *string  `json:"employer"` // null: all employers
	Method           string   `json:"method"`
	LandmarkDay      *int     `json:"landmark_day"` // null for cox_time_varying
	Suppressed       bool     `json:"suppressed"`
	Reason           string   `json:"reason,omitempty"`
	HazardRatio      *float64 `json:"hazard_ratio"` // above 1: back at the own employer sooner with the intervention
	Lower            *float64 `json:"lower"`
	Upper            *float64 `json:"upper"`
	NTreated         *int64   `json:"n_treated"` // cases
	NControl         *int64   `json:"n_control"`
	EventsTreated    *int64   `json:"events_treated"` // returns to the own employer
	EventsControl    *int64   `json:"events_control"`
	// Landmark methods: days from the landmark until half the arm is back
	// at the own employer, the difference control − treated (positive:
	// the treated back sooner) with its bootstrap interval, the shares back
	// at ReturnToWorkDays after the landmark, and the balance.
	MedianTreated      *float64    `json:"median_days_treated"`
	MedianControl      *float64    `json:"median_days_control"`
	MedianDifference   *float64    `json:"median_difference_days"`
	MedianDifferenceCI *Bounds     `json:"median_difference_ci95"`
	BackAtOwnEmployer  []ArmShares `json:"back_at_own_employer"`
	Balance            []Balance   `json:"balance"`
}

// TimingEstimate is the time-varying model with the intervention split by
// when it started: before EarlyDays (early) or later (late), each against
// no intervention of the type.
type TimingEstimate struct {
	InterventionType string      `json:"intervention_type"`
	Provider         *string     `json:"provider"`
	Employer         *string     `json:"employer"`
	EarlyDays        int         `json:"early_days"`
	Suppressed       bool        `json:"suppressed"`
	Reason           string      `json:"reason,omitempty"`
	Early            *HRInterval `json:"early"`
	Late             *HRInterval `json:"late"`
	NEarly           *int64      `json:"n_early"`
	NLate            *int64      `json:"n_late"`
	NNone            *int64      `json:"n_none"`
}

// AdjustedResult holds the adjusted estimates for the sickness cases with a
// first sick day in the filter's period.
type AdjustedResult struct {
	Coverage
	Suppressed  bool               `json:"suppressed"`
	Estimates   []AdjustedEstimate `json:"adjusted"`
	Timing      []TimingEstimate   `json:"timing"`
	Definitions DefinitionList     `json:"definitions"`
	cases       []adjCase          // what the estimates were computed from, for InterventionCosts
}

// withDefaults fills in the defaults and checks the landmarks.
func (a AdjustedOptions) withDefaults() (AdjustedOptions, error) {
	if len(a.Types) == 0 {
		a.Types = InterventionTypes[:len(InterventionTypes)-1]
	}
	for t, l := range a.Landmarks {
		if l <= 0 || l > 728 {
			return a, fmt.Errorf("analytics: landmark day %d for %s; choose 1 to 728", l, t)
		}
	}
	if a.EarlyDays == 0 {
		a.EarlyDays = DefaultEarlyDays
	}
	if a.Bootstrap == 0 {
		a.Bootstrap = DefaultBootstrap
	}
	return a, nil
}

// Adjusted computes the adjusted effect of every intervention type, and of
// every provider of it, by the three methods, and the timing model.
func Adjusted(ctx context.Context, q Querier, f Filter, aopt AdjustedOptions, opt Options) (AdjustedResult, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return AdjustedResult{}, err
	}
	if aopt, err = aopt.withDefaults(); err != nil {
		return AdjustedResult{}, err
	}
	f, cut, err := resolvePeriod(ctx, q, f)
	if err != nil {
		return AdjustedResult{}, err
	}
	res := AdjustedResult{Coverage: coverageOf(f, cut), Estimates: []AdjustedEstimate{}, Timing: []TimingEstimate{},
		Definitions: outcomeDefinitions(opt, "adjusted_effect", MethodIPWLandmark, MethodCoxLandmark, MethodCoxTimeVarying,
			"adjusted_timing", "outcome_suppressed")}
	cases, err := adjustedCases(ctx, q, f)
	if err != nil {
		return AdjustedResult{}, err
	}
	total := &stratum{}
	emps := map[int]bool{}
	for _, c := range cases {
		emps[c.cluster] = true
	}
	total.cases, total.emp = int64(len(cases)), int64(len(emps))
	_, hidden, err := strataVisibility(ctx, q, f, opt, nil, total, nil)
	if err != nil {
		return AdjustedResult{}, err
	}
	res.Suppressed = hidden
	th := thresholdsOf(opt)
	tv := newTVBase(cases)
	// An employer's estimates are those of its cases alone, its default
	// landmark among them: the figures its own scope gives as the pooled
	// ones.
	type employerCases struct {
		cases []adjCase
		tv    tvBase
	}
	ofEmployer := map[string]employerCases{}
	var pooled []float64
	for _, g := range adjustedGroups(cases, aopt.Types) {
		mine, base, init := cases, tv, pooled // a provider's model starts from the type's pooled fit
		if g.hasEmp {
			ec, ok := ofEmployer[g.emp]
			if !ok {
				ec.cases = slices.DeleteFunc(slices.Clone(cases), func(c adjCase) bool { return c.emp != g.emp })
				ec.tv = newTVBase(ec.cases)
				ofEmployer[g.emp] = ec
			}
			mine, base, init = ec.cases, ec.tv, nil // other columns: its own covariates
		}
		if !hidden && !g.given(mine) {
			res.Estimates, res.Timing = append(res.Estimates, g.notGiven()...), append(res.Timing, g.timingNotGiven(aopt.EarlyDays))
			if !g.hasPrv && !g.hasEmp {
				pooled = nil // no pooled fit of the type to start its providers from
			}
			continue
		}
		l, ok := aopt.Landmarks[g.typ]
		if !ok {
			l = defaultLandmark(mine, g.typ)
		}
		for _, m := range []string{MethodIPWLandmark, MethodCoxLandmark} {
			res.Estimates = append(res.Estimates, g.landmarkEstimate(mine, m, l, th, hidden, aopt.Bootstrap))
		}
		e, coef := g.timeVaryingEstimate(base, th, hidden, init)
		if !g.hasPrv && !g.hasEmp {
			pooled = coef
		}
		res.Estimates = append(res.Estimates, e)
		res.Timing = append(res.Timing, g.timingEstimate(base, aopt.EarlyDays, th, hidden, coef))
	}
	hideComplementary(res.Estimates)
	res.cases = cases
	return res, nil
}

// hideComplementary: the providers of a type share the control arm and
// together make up most of its treated arm, and the employers of a type
// split both arms, so when just one provider (employer) of a type and
// method is hidden as too small, the shown provider (employer) with the
// fewest treated cases is hidden too.
func hideComplementary(es []AdjustedEstimate) {
	type key struct {
		typ, method string
		byEmployer  bool
	}
	small, smallest := map[key]int{}, map[key]int{}
	for i, e := range es {
		if e.Provider == nil && e.Employer == nil {
			continue
		}
		k := key{e.InterventionType, e.Method, e.Employer != nil}
		switch {
		case e.Reason == ReasonTooFewCases || e.Reason == ReasonNoInterventions: // an employer's controls are hidden either way
			small[k]++
		case !e.Suppressed:
			if j, ok := smallest[k]; !ok || *e.NTreated < *es[j].NTreated {
				smallest[k] = i
			}
		}
	}
	for k, n := range small {
		if j, ok := smallest[k]; ok && n == 1 {
			es[j] = suppress(es[j], ReasonComplementary)
		}
	}
}

// suppress empties an estimate and gives the reason.
func suppress(e AdjustedEstimate, reason string) AdjustedEstimate {
	return AdjustedEstimate{InterventionType: e.InterventionType, Provider: e.Provider, Employer: e.Employer,
		Method: e.Method, LandmarkDay: e.LandmarkDay, Suppressed: true, Reason: reason}
}

// fitReason maps a failed fit to the reason shown.
func fitReason(err error) string {
	if errors.Is(err, ErrCoxNoEvents) {
		return ReasonNoEvents
	}
	return ReasonNotEstimable
}

// arm counts the cases, employees and events of one arm.
type armCount struct {
	cases, events int64
	emps          map[int]bool
}

func (a *armCount) add(c *adjCase, event bool) {
	if a.emps == nil {
		a.emps = map[int]bool{}
	}
	a.cases++
	a.emps[c.cluster] = true
	if event {
		a.events++
	}
}

// checkArms says why the arms cannot be shown, or "".
func checkArms(th thresholds, hidden bool, arms ...armCount) string {
	for _, a := range arms {
		if hidden || th.small(int64(len(a.emps)), a.cases) {
			return ReasonTooFewCases
		}
	}
	for _, a := range arms {
		if a.events == 0 {
			return ReasonNoEvents
		}
	}
	return ""
}

// setHR fills in the hazard ratio of coefficient j.
func (e *AdjustedEstimate) setHR(fit CoxFit, j int) {
	hr, lo, hi := fit.HazardRatio(j)
	e.HazardRatio, e.Lower, e.Upper = ptr(hr), ptr(lo), ptr(hi)
}

// covariateKey names the covariates in the balance table and the design.
func covariateKey(kind, level string) string {
	if level == "" {
		return kind
	}
	return kind + "=" + strings.ReplaceAll(level, "=", "_")
}
