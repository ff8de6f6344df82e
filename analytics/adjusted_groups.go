package analytics

import (
	"maps"
	"math"
	"slices"
)

// The groups the adjusted effect compares: per intervention type, pooled,
// per provider and per client employer, each at its landmark.

// adjGroup is what one estimate compares: interventions of a type, of one
// provider of it when hasPrv is set; the cases of one employer when hasEmp
// is set (both arms: the employer's own comparison).
type adjGroup struct {
	typ, prv, emp  string
	hasPrv, hasEmp bool
}

// matches says whether an intervention is one of the group's.
func (g adjGroup) matches(iv adjIntervention) bool {
	return iv.typ == g.typ && (!g.hasPrv || iv.prv == g.prv)
}

// includes says whether a case is one of the group's.
func (g adjGroup) includes(c *adjCase) bool { return !g.hasEmp || c.emp == g.emp }

// groupOf is the group an estimate is of.
func groupOf(e AdjustedEstimate) adjGroup {
	g := adjGroup{typ: e.InterventionType}
	if e.Provider != nil {
		g.prv, g.hasPrv = *e.Provider, true
	}
	if e.Employer != nil {
		g.emp, g.hasEmp = *e.Employer, true
	}
	return g
}

// adjustedGroups lists per type the pooled group followed by its providers
// and then, when the cases are of more than one employer, its employers
// (each by name). The filter is the scope of who asks, so a scope of
// several employers is of someone who may see each of them (provider
// staff, the installation); an employer's own users have a scope of one,
// and its figures are the pooled group.
func adjustedGroups(cases []adjCase, types []string) []adjGroup {
	provs := map[string]map[string]bool{}
	emps := map[string]bool{}
	for _, c := range cases {
		emps[c.emp] = true
		for _, iv := range c.ivs {
			if provs[iv.typ] == nil {
				provs[iv.typ] = map[string]bool{}
			}
			provs[iv.typ][iv.prv] = true
		}
	}
	var employers []string
	if len(emps) > 1 {
		employers = slices.Sorted(maps.Keys(emps))
	}
	var out []adjGroup
	for _, t := range types {
		out = append(out, adjGroup{typ: t})
		for _, p := range slices.Sorted(maps.Keys(provs[t])) {
			out = append(out, adjGroup{typ: t, prv: p, hasPrv: true})
		}
		for _, e := range employers {
			out = append(out, adjGroup{typ: t, emp: e, hasEmp: true})
		}
	}
	return out
}

// given says whether a case of the group had an intervention of its
// type (of its provider).
func (g adjGroup) given(cases []adjCase) bool {
	return slices.ContainsFunc(cases, func(c adjCase) bool {
		return g.includes(&c) && slices.ContainsFunc(c.ivs, g.matches)
	})
}

// notGiven are the group's estimates when it had no intervention of its
// type: suppressed, without a landmark day.
func (g adjGroup) notGiven() []AdjustedEstimate {
	var out []AdjustedEstimate
	for _, m := range []string{MethodIPWLandmark, MethodCoxLandmark, MethodCoxTimeVarying} {
		out = append(out, suppress(g.estimate(m), ReasonNoInterventions))
	}
	return out
}

// timingNotGiven is the group's timing estimate when it had none.
func (g adjGroup) timingNotGiven(earlyDays int) TimingEstimate {
	e := g.estimate("")
	return TimingEstimate{InterventionType: g.typ, Provider: e.Provider, Employer: e.Employer, EarlyDays: earlyDays, Suppressed: true, Reason: ReasonNoInterventions}
}

// defaultLandmark is the day by which DefaultLandmarkShare of the type's
// first interventions of a case have started, rounded up to a whole week
// (at least 7).
func defaultLandmark(cases []adjCase, typ string) int {
	var days []float64
	for _, c := range cases {
		for _, iv := range c.ivs {
			if iv.typ == typ {
				days = append(days, float64(iv.day))
				break
			}
		}
	}
	if len(days) == 0 {
		return 7
	}
	slices.Sort(days)
	q := days[int(math.Ceil(DefaultLandmarkShare*float64(len(days))))-1] // the smallest day with ≥ 75% started by it
	return max(7, int(math.Ceil((q+1)/7))*7)                             // started by day q means before day q + 1
}

// estimate starts an estimate of the group.
func (g adjGroup) estimate(method string) AdjustedEstimate {
	e := AdjustedEstimate{InterventionType: g.typ, Method: method}
	if g.hasPrv {
		e.Provider = ptr(g.prv)
	}
	if g.hasEmp {
		e.Employer = ptr(g.emp)
	}
	return e
}
