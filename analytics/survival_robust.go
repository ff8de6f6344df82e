package analytics

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
)

// The robust variance of the survival curve and the log-rank test, an
// option (Options.Robust): an employee's cases are not independent (the
// same person falls ill again), so employees are taken as clusters and the
// variance is the sandwich (infinitesimal jackknife) one: the squared sum,
// per employee, of the influence of that employee's cases. For the curve
// this is R's survfit(Surv(t, ev) ~ 1, id = employee, robust = TRUE); for
// the test the robust score test of coxph(Surv(t, ev) ~ group, cluster =
// employee, ties = "breslow") (Lin & Wei 1989).

// robustObs is one case: its employee (cluster), group (index into the
// tested strata; 0 for a single curve), time and whether it recovered.
type robustObs struct {
	cluster, group, t int
	ev                bool
}

// applyRobust replaces the Greenwood intervals of the shown curves by robust
// ones and the log-rank test by the robust score test. It reads the cases
// once more, one row each.
func applyRobust(ctx context.Context, q Querier, f Filter, dims []Dimension, res *SurvivalResult, groups, tested []*stratum, names []string) error {
	keyCols := ""
	for i := range width(dims) {
		keyCols += fmt.Sprintf("g%d, ", i+1)
	}
	with, p := recoveryObsSQL(f, dims)
	rows, err := render("robust", struct{ With, Keys sqlText }{with, sqlText(keyCols)}, p).run(ctx, q)
	if err != nil {
		return fmt.Errorf("analytics: robust survival: %w", err)
	}
	defer rows.Close()
	cluster := map[string]int{}
	byKey := map[string][]robustObs{}
	var all []robustObs
	for rows.Next() {
		keys := make([]string, width(dims))
		var emp string
		var o robustObs
		dest := []any{}
		for i := range keys {
			dest = append(dest, &keys[i])
		}
		if err := rows.Scan(append(dest, &emp, &o.t, &o.ev)...); err != nil {
			return fmt.Errorf("analytics: robust survival: %w", err)
		}
		c, ok := cluster[emp]
		if !ok {
			c = len(cluster)
			cluster[emp] = c
		}
		o.cluster = c
		all = append(all, o)
		k := strings.Join(keys, keySep)
		byKey[k] = append(byKey[k], o)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("analytics: robust survival: %w", err)
	}
	if !res.Total.Suppressed {
		robustCurve(&res.Total, all, len(cluster))
	}
	for i, g := range groups {
		if !res.Strata[i].Suppressed {
			robustCurve(&res.Strata[i], byKey[g.key()], len(cluster))
		}
	}
	if res.LogRank != nil {
		var obs []robustObs
		for gi, g := range tested {
			for _, o := range byKey[g.key()] {
				o.group = gi
				obs = append(obs, o)
			}
		}
		res.LogRank = robustLogRank(tested, names, obs, len(cluster))
	}
	for i, d := range res.Definitions {
		switch d.Key {
		case "survival":
			res.Definitions[i].Interval = robustCurveDefinition
		case "log_rank":
			res.Definitions[i].Formula += "; " + robustLogRankDefinition
		}
	}
	return nil
}

const (
	robustCurveDefinition   = "Robust (option --robust): employees are clusters, since one person's cases are not independent. se(log S) = √Σ_employees U_e(t)², U_e the infinitesimal-jackknife influence of the employee's cases on log S(t): Σ over event times tⱼ ≤ t of (rⱼ dⱼ/(nⱼ(nⱼ − dⱼ)) − eⱼ/(nⱼ − dⱼ)), with rⱼ the employee's cases at risk and eⱼ their recoveries at tⱼ (R survfit(..., id = employee, robust = TRUE)); interval S·exp(±1.96·se), the upper end capped at 1; undefined once S = 0. std_err = S·se."
	robustLogRankDefinition = "robust (option --robust): V is the sandwich variance Σ_employees R_e R_eᵀ of the employees' summed score residuals at β = 0 (Breslow), the robust score test of R coxph(Surv(t, ev) ~ group, cluster = employee, ties = \"breslow\") (Lin & Wei 1989)"
)

// robustCurve sets the robust standard error and interval of every point of
// c, which holds the Kaplan–Meier estimate of obs.
func robustCurve(c *Curve, obs []robustObs, clusters int) {
	q := robustLogVar(c.Points, obs, clusters)
	for i := range c.Points {
		p := &c.Points[i]
		p.StdErr, p.Lower, p.Upper = nil, nil, nil
		if p.Surv > 0 && !math.IsNaN(q[i]) {
			se := math.Sqrt(q[i])
			p.StdErr = ptr(p.Surv * se)
			p.Lower = ptr(p.Surv * math.Exp(-z975*se))
			p.Upper = ptr(min(1, p.Surv*math.Exp(z975*se)))
		}
	}
	c.Median, c.MedianCI = kmMedian(c.Points)
}

// robustLogVar is Σ_clusters U_c(t)² at every point of the curve, where
// U_c is the influence of cluster c's cases on log S. Each cluster's U
// grows by a·r_c at every event time (a = d/(n(n−d)), r_c its cases at
// risk), so it is kept lazily: U_c = stored + r_c·(A − A at storing), with
// A = Σ a so far, and the sums Σ r_c² and Σ U_c·r_c are updated only where
// a cluster has events or loses cases at risk: O(cases + times), not
// O(clusters × times). NaN once S = 0 (every case at risk recovered).
func robustLogVar(pts []KMPoint, obs []robustObs, clusters int) []float64 {
	byTime := slices.Clone(obs)
	slices.SortFunc(byTime, func(x, y robustObs) int { return x.t - y.t })
	r := make([]float64, clusters)   // cases at risk
	u := make([]float64, clusters)   // stored influence
	uAt := make([]float64, clusters) // A when stored
	for _, o := range byTime {
		r[o.cluster]++
	}
	var r2, p, a, sum float64 // Σ r², Σ U·r, A, Σ U²
	for _, x := range r {
		r2 += x * x
	}
	now := func(c int) float64 { return u[c] + r[c]*(a-uAt[c]) }
	out := make([]float64, len(pts))
	next := 0
	e := map[int]float64{}
	for i, pt := range pts {
		n, d := float64(pt.NRisk), float64(pt.NEvent)
		end := next
		for end < len(byTime) && byTime[end].t == pt.T {
			end++
		}
		switch {
		case d > 0 && d >= n:
			sum = math.NaN()
		case d > 0:
			clear(e)
			for _, o := range byTime[next:end] {
				if o.ev {
					e[o.cluster]++
				}
			}
			aj, bj := d/(n*(n-d)), 1/(n-d)
			// Σ over clusters with recoveries of U·e, r·e, e², in cluster
			// order: a map's order would change the last digit.
			var ue, re, ee float64
			for _, c := range slices.Sorted(maps.Keys(e)) {
				ec := e[c]
				ue += now(c) * ec
				re += r[c] * ec
				ee += ec * ec
			}
			sum += 2*(aj*p-bj*ue) + aj*aj*r2 - 2*aj*bj*re + bj*bj*ee
			p += aj*r2 - bj*re
			for c, ec := range e {
				u[c], uAt[c] = now(c)+aj*r[c]-bj*ec, a+aj
			}
			a += aj
		}
		// The cases with time t leave the risk set.
		for _, o := range byTime[next:end] {
			c := o.cluster
			u[c], uAt[c] = now(c), a
			p -= u[c]
			r2 += (r[c]-1)*(r[c]-1) - r[c]*r[c]
			r[c]--
		}
		next = end
		out[i] = sum
	}
	return out
}

// robustLogRank is the log-rank statistic O − E of the groups with its
// cluster-robust variance. The score residual of a case in group g at
// β = 0 is δ(x − x̄(T)) − Σ_{tⱼ ≤ T} (dⱼ/nⱼ)(x − x̄ⱼ), x the group
// indicators and x̄ⱼ the groups' shares of the risk set at tⱼ; summed per
// employee these give V = Σ R Rᵀ. The groups without expected events are
// left out, as in logRankTest; df = groups − 1.
func robustLogRank(strata []*stratum, names []string, obs []robustObs, clusters int) *LogRank {
	obsSum, exp, _ := logRankSums(strata)
	var use []int
	for i := range strata {
		if exp[i] > 0 {
			use = append(use, i)
		}
	}
	if len(use) < 2 {
		return nil
	}
	m := len(use) - 1 // the last group used is left out
	scores := clusterScores(obs, riskPoints(strata), use[:m], clusters)
	v := make([][]float64, m)
	for i := range v {
		v[i] = make([]float64, m)
	}
	for _, rc := range scores {
		for i := range rc {
			for j := range rc {
				v[i][j] += rc[i] * rc[j]
			}
		}
	}
	b := make([]float64, m)
	for j, gi := range use[:m] {
		b[j] = obsSum[gi] - exp[gi]
	}
	x, ok := solve(v, b)
	if !ok {
		return nil
	}
	chi := 0.0
	for i := range m {
		chi += b[i] * x[i]
	}
	out := &LogRank{ChiSquare: chi, DF: m, P: chiSquareSF(chi, float64(m))}
	for _, i := range use {
		out.Groups = append(out.Groups, names[i])
		out.Observed = append(out.Observed, obsSum[i])
		out.Expected = append(out.Expected, exp[i])
	}
	return out
}

// riskPoint is, at one pooled time, each group's share of the risk set and
// the running sums H = Σ d/n and G_g = Σ (d/n)·n_g/n through that time.
type riskPoint struct {
	share []float64 // n_g / n at t
	h     float64   // Σ d/n through t
	g     []float64 // Σ (d/n)·n_g/n through t
}

// riskPoints walks the pooled times of the strata.
func riskPoints(strata []*stratum) map[int]riskPoint {
	k := len(strata)
	var times []int
	for _, s := range strata {
		for _, x := range s.tallies {
			times = append(times, x.t)
		}
	}
	slices.Sort(times)
	times = slices.Compact(times)
	atRisk := make([]float64, k)
	for i, s := range strata {
		atRisk[i] = float64(s.n())
	}
	idx := make([]int, k)
	at := map[int]riskPoint{}
	var h float64
	g := make([]float64, k)
	for _, t := range times {
		var n, d float64
		leave := make([]float64, k)
		for i, s := range strata {
			if idx[i] < len(s.tallies) && s.tallies[idx[i]].t == t {
				d += float64(s.tallies[idx[i]].d)
				leave[i] = float64(s.tallies[idx[i]].d + s.tallies[idx[i]].c)
				idx[i]++
			}
			n += atRisk[i]
		}
		share := make([]float64, k)
		for i := range k {
			share[i] = atRisk[i] / n
			if d > 0 {
				g[i] += d / n * share[i]
			}
		}
		if d > 0 {
			h += d / n
		}
		at[t] = riskPoint{share, h, slices.Clone(g)}
		for i := range k {
			atRisk[i] -= leave[i]
		}
	}
	return at
}

// clusterScores sums, per cluster, the score residuals of its cases for
// the groups tested.
func clusterScores(obs []robustObs, at map[int]riskPoint, tested []int, clusters int) [][]float64 {
	res := make([][]float64, clusters)
	for _, o := range obs {
		pt := at[o.t]
		if res[o.cluster] == nil {
			res[o.cluster] = make([]float64, len(tested))
		}
		for j, gi := range tested {
			x := 0.0
			if o.group == gi {
				x = 1
			}
			v := -(pt.h*x - pt.g[gi])
			if o.ev {
				v += x - pt.share[gi]
			}
			res[o.cluster][j] += v
		}
	}
	return res
}
