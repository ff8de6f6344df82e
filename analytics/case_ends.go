package analytics

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// How sickness cases end. A case that closes is not necessarily a return
// to work: it can end in a placement with another employer, a WIA/IVA
// decision or the end of the employment. Outcomes estimates, for the cases
// that started in the period, the share still absent and the share ended
// in each way after t days (Aalen–Johansen, competing.go), and what became
// of the long cases.

// The ways a case ends, from the end reason of the import.
const (
	EndOwnEmployer     = "own_employer"     // full_return, adapted_own_work, other_work_own_employer (spoor 1)
	EndSecondTrack     = "second_track"     // placed with another employer (spoor 2)
	EndWIA             = "wia_iva"          // a WIA or IVA decision
	EndEmploymentEnded = "employment_ended" // the employment ended
	EndOther           = "other"
	StateStillAbsent   = "still_absent" // not ended (yet)
)

// CaseEnds lists the ways a case ends, in the order of every result.
var CaseEnds = []string{EndOwnEmployer, EndSecondTrack, EndWIA, EndEmploymentEnded, EndOther}

// OutcomeDays are the days at which the cumulative incidences are given.
var OutcomeDays = []int{7, 14, 42, 91, 182, 365, 730}

// LongCaseDays: the long-case table counts the cases still absent after
// this many days (a year).
const LongCaseDays = 365

// censored marks an observation without an end in the tallies.
const censored = "censored"

// OutcomesOptions tune Outcomes. The zero value means the defaults.
type OutcomesOptions struct {
	// AllTimes adds every time at which a case ended to OutcomeDays.
	AllTimes bool
}

// OutcomeGroup is the size of one group of Outcomes. A suppressed group has
// no figures; the long cases can be suppressed on their own.
type OutcomeGroup struct {
	Group          string `json:"group"`
	Parent         string `json:"parent,omitempty"` // the department of a team
	Suppressed     bool   `json:"suppressed"`
	Cases          *int64 `json:"cases"`
	Employees      *int64 `json:"employees"`
	LongCases      *int64 `json:"long_cases"` // still absent after LongCaseDays
	LongSuppressed bool   `json:"long_cases_suppressed"`
}

// OutcomeEstimate is the share of a group's cases in one state after T
// days, as a fraction, with its 95% interval; null when the group's cases
// were not followed that long (or the interval is undefined).
type OutcomeEstimate struct {
	Group    string   `json:"group"`
	Parent   string   `json:"parent,omitempty"`
	Outcome  string   `json:"outcome"` // StateStillAbsent or one of CaseEnds
	T        int      `json:"t"`
	Estimate *float64 `json:"estimate"`
	Lower    *float64 `json:"lower"`
	Upper    *float64 `json:"upper"`
	NRisk    int64    `json:"n_risk"` // cases followed for at least T days
}

// LongCaseCount is how many of a group's long cases ended in one way (or
// are still absent), and their share of the group's long cases.
type LongCaseCount struct {
	Group   string  `json:"group"`
	Parent  string  `json:"parent,omitempty"`
	Outcome string  `json:"outcome"`
	N       int64   `json:"n"`
	Share   float64 `json:"share"`
}

// OutcomesResult is how the sickness cases that started in the period
// ended: per group (the total first), the state shares over time and the
// outcomes of the long cases.
type OutcomesResult struct {
	Coverage
	By                  Dimension         `json:"by,omitempty"`
	Groups              []OutcomeGroup    `json:"groups"`
	CumulativeIncidence []OutcomeEstimate `json:"cumulative_incidence"`
	LongCases           []LongCaseCount   `json:"long_cases"`
	Definitions         DefinitionList    `json:"definitions"`
}

// Outcomes estimates how the sickness cases whose first sick day lies in
// the filter's period ended: for each state (still absent, and each of
// CaseEnds) the Aalen–Johansen estimate at OutcomeDays, with the open cases
// censored at the extract date; and, of the cases still absent after
// LongCaseDays, how many ended in each way. With a dimension (by != "") the
// same per value, with small groups suppressed.
func Outcomes(ctx context.Context, q Querier, f Filter, by Dimension, oopt OutcomesOptions, opt Options) (OutcomesResult, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return OutcomesResult{}, err
	}
	var dims []Dimension
	if by != "" {
		if _, err := ParseDimension(string(by)); err != nil {
			return OutcomesResult{}, err
		}
		dims = []Dimension{by}
	}
	f, cut, err := resolvePeriod(ctx, q, f)
	if err != nil {
		return OutcomesResult{}, err
	}
	total, groups, ways, err := outcomeStrata(ctx, q, f, dims)
	if err != nil {
		return OutcomesResult{}, err
	}
	hidden, totalHidden, err := strataVisibility(ctx, q, f, opt, dims, total, groups)
	if err != nil {
		return OutcomesResult{}, err
	}
	res := OutcomesResult{Coverage: coverageOf(f, cut), By: by, Groups: []OutcomeGroup{},
		CumulativeIncidence: []OutcomeEstimate{}, LongCases: []LongCaseCount{},
		Definitions: outcomeDefinitions(opt, "case_outcomes", "long_case_outcomes", "outcome_suppressed")}
	var all []*outcomeMember
	for i, s := range append([]*stratum{total}, groups...) {
		m := &outcomeMember{s: s, g: OutcomeGroup{Group: TotalKey, Suppressed: totalHidden}}
		if i > 0 {
			m.g.Group, m.g.Suppressed = s.keys[0], totalHidden || hidden[s.key()]
			if by == ByTeam {
				m.g.Parent, m.g.Group = s.keys[0], s.keys[1]
			}
		}
		m.ts = competingTallies(ways[outcomeWayKey(2*min(i, 1), s.keys)], CaseEnds)
		m.long = longCaseCounts(m.ts)
		for _, n := range m.long {
			m.nLong += n
		}
		if len(s.extra) > 0 {
			m.emp = int64(s.extra[0].Float64)
		}
		all = append(all, m)
	}
	th := thresholdsOf(opt)
	longHidden := hideLongCases(all[1:], by, th)
	for i, m := range all {
		if !m.g.Suppressed {
			m.g.LongSuppressed = m.nLong > 0 && (th.small(m.emp, m.nLong) || (i > 0 && longHidden[m.s.key()]))
		}
		m.addTo(&res, outcomeTimes(m.ts, oopt.AllTimes))
	}
	return res, nil
}

// outcomeStrata runs the outcomes query (sql/outcomes.sql): the total and
// the groups of dims, and, per total or group, its strata by how the cases
// ended (keyed by outcomeWayKey).
func outcomeStrata(ctx context.Context, q Querier, f Filter, dims []Dimension) (total *stratum, groups []*stratum, ways map[string][]*stratum, err error) {
	var gcols []string
	for i := range width(dims) {
		gcols = append(gcols, fmt.Sprintf("g%d", i+1))
	}
	cols := append(slices.Clone(gcols), "outcome")
	sets := [][]string{nil, {"outcome"}}
	if len(dims) > 0 {
		sets = append(sets, gcols, cols)
	}
	p := params{}.period(f).vocabulary()
	oc := recovery(p, f, dims, "oc")
	oc.Ends = true
	p.set("long_case_days", LongCaseDays)
	strata, err := survivalTallies(ctx, q, part("outcomes", oc, p), p, cols, sets, "count(*)", []sqlText{"count(DISTINCT emp) FILTER (WHERE long_case)"})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("analytics: outcomes: %w", err)
	}
	total = &stratum{}
	// Sets 1 and 3 split sets 0 and 2 by outcome.
	ways = map[string][]*stratum{}
	for _, s := range strata {
		switch s.set {
		case 0:
			total = s
		case 2:
			groups = append(groups, s)
		default:
			k := outcomeWayKey(s.set-1, s.keys[:len(s.keys)-1])
			ways[k] = append(ways[k], s)
		}
	}
	if len(dims) > 0 {
		sortStrata(groups, dims[0])
	}
	return total, groups, ways, nil
}

func outcomeWayKey(set int, keys []string) string {
	return fmt.Sprint(set, "|", strings.Join(keys, keySep))
}

// outcomeMember is the total or one group of Outcomes: its stratum, its
// tallies by way of ending and its long cases.
type outcomeMember struct {
	s          *stratum
	g          OutcomeGroup
	ts         []ctally
	long       map[string]int64
	nLong, emp int64
}

// hideLongCases: the long cases of the groups partition the total's, so
// complementary suppression among the groups that have any (a group
// without long cases shows 0, which says nothing about anyone).
func hideLongCases(groups []*outcomeMember, by Dimension, th thresholds) map[string]bool {
	hidden := map[string]bool{}
	families := map[string][]cell{}
	pre := map[string]bool{}
	for _, m := range groups {
		if m.nLong == 0 {
			continue
		}
		fam := ""
		if by == ByTeam {
			fam = m.g.Parent
		}
		families[fam] = append(families[fam], cell{m.s.key(), m.emp, m.nLong})
		pre[m.s.key()] = m.g.Suppressed
	}
	for _, cells := range families {
		for k := range hideCells(cells, pre, th) {
			hidden[k] = true
		}
	}
	return hidden
}

// outcomeTimes are the days at which the estimates are given: OutcomeDays,
// and with allTimes every day on which a case ended.
func outcomeTimes(ts []ctally, allTimes bool) []int {
	out := slices.Clone(OutcomeDays)
	if allTimes {
		for _, x := range ts {
			if slices.ContainsFunc(x.d, func(d int64) bool { return d > 0 }) {
				out = append(out, x.t)
			}
		}
		slices.Sort(out)
		out = slices.Compact(out)
	}
	return out
}

// addTo adds the member's group, its estimates at times and its long cases
// to res; a suppressed member adds only its group.
func (m *outcomeMember) addTo(res *OutcomesResult, times []int) {
	if m.g.Suppressed {
		res.Groups = append(res.Groups, m.g)
		return
	}
	m.g.Cases, m.g.Employees, m.g.LongCases = ptr(m.s.cases), ptr(m.s.emp), ptr(m.nLong)
	if m.g.LongSuppressed {
		m.g.LongCases = nil
	}
	res.Groups = append(res.Groups, m.g)
	pts := aalenJohansen(m.ts, len(CaseEnds))
	states := append([]string{StateStillAbsent}, CaseEnds...)
	for _, t := range times {
		p, se, n, ok := ajAt(pts, t, len(CaseEnds))
		for s, name := range states {
			e := OutcomeEstimate{Group: m.g.Group, Parent: m.g.Parent, Outcome: name, T: t, NRisk: n}
			if ok {
				e.Estimate = ptr(p[s])
				e.Lower, e.Upper = logInterval(p[s], se[s])
			}
			res.CumulativeIncidence = append(res.CumulativeIncidence, e)
		}
	}
	if m.nLong == 0 || m.g.LongSuppressed {
		return
	}
	for _, name := range append(slices.Clone(CaseEnds), StateStillAbsent) {
		res.LongCases = append(res.LongCases, LongCaseCount{Group: m.g.Group, Parent: m.g.Parent, Outcome: name,
			N: m.long[name], Share: float64(m.long[name]) / float64(m.nLong)})
	}
}

// competingTallies merges the strata of one group, one per outcome (the
// last key: one of ways, or censored), into tallies in time order.
func competingTallies(strata []*stratum, ways []string) []ctally {
	byT := map[int]*ctally{}
	for _, s := range strata {
		way := slices.Index(ways, s.keys[len(s.keys)-1])
		for _, x := range s.tallies {
			c := byT[x.t]
			if c == nil {
				c = &ctally{t: x.t, d: make([]int64, len(ways))}
				byT[x.t] = c
			}
			if way >= 0 {
				c.d[way] += x.d
			}
			c.c += x.c
		}
	}
	out := make([]ctally, 0, len(byT))
	for _, c := range byT {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b ctally) int { return a.t - b.t })
	return out
}

// longCaseCounts counts the cases known to last more than LongCaseDays:
// ended after more than that many days, per way; or still open, observed
// for at least that many days (StateStillAbsent).
func longCaseCounts(ts []ctally) map[string]int64 {
	out := map[string]int64{}
	for _, x := range ts {
		if x.t >= LongCaseDays {
			out[StateStillAbsent] += x.c
		}
		if x.t > LongCaseDays {
			for i, d := range x.d {
				out[CaseEnds[i]] += d
			}
		}
	}
	return out
}
