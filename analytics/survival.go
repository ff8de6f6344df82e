package analytics

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
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

// Date is a calendar day. In JSON it is "YYYY-MM-DD".
type Date struct{ time.Time }

// MarshalJSON writes the day as "YYYY-MM-DD", or null for the zero time.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(day(d.Time))
}

func dateOf(t time.Time) Date { return Date{dateOnly(t)} }

// Coverage says which period and data a result covers.
type Coverage struct {
	From         Date `json:"from"`
	To           Date `json:"to"` // cut back to the extract date
	CutAtExtract bool `json:"cut_at_extract"`
	ExtractDate  Date `json:"extract_date"`
}

func coverageOf(f Filter, cut bool) Coverage {
	return Coverage{From: dateOf(f.From), To: dateOf(f.To), CutAtExtract: cut, ExtractDate: dateOf(f.ExtractDate)}
}

// KMPoint is one row of a Kaplan–Meier curve: a time at which at least one
// case ended or was censored.
type KMPoint struct {
	T       int      `json:"t"`       // days
	Surv    float64  `json:"surv"`    // estimated share still absent after T days
	Lower   *float64 `json:"lower"`   // 95% interval (null where undefined: surv = 0)
	Upper   *float64 `json:"upper"`   //
	StdErr  *float64 `json:"std_err"` // Greenwood standard error of surv
	NRisk   int64    `json:"n_risk"`  // cases observed for at least T days
	NEvent  int64    `json:"n_event"` // cases that ended after exactly T days
	NCensor int64    `json:"n_censor"`
}

// Bounds is a 95% interval whose ends can be undefined (null), as the upper
// limit of a median often is.
type Bounds struct {
	Low  *float64 `json:"low"`
	High *float64 `json:"high"`
}

// Curve is the Kaplan–Meier estimate of one group. A suppressed curve keeps
// its key and has no figures.
type Curve struct {
	Key        string    `json:"group"`
	Parent     string    `json:"parent,omitempty"` // the department of a team
	Suppressed bool      `json:"suppressed"`
	Cases      *int64    `json:"cases"`
	Employees  *int64    `json:"employees"`
	Events     *int64    `json:"events"`   // recoveries observed
	Censored   *int64    `json:"censored"` // open at the extract date
	Median     *float64  `json:"median"`   // days; null when the curve never reaches 0.5
	MedianCI   *Bounds   `json:"median_ci95"`
	Points     []KMPoint `json:"curve"`
}

// LogRank is the log-rank test of equal survival in the groups tested.
type LogRank struct {
	ChiSquare float64   `json:"chi_square"`
	DF        int       `json:"df"`
	P         float64   `json:"p_value"`
	Groups    []string  `json:"groups"` // the groups in the test, in order
	Observed  []float64 `json:"observed"`
	Expected  []float64 `json:"expected"`
}

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

// tally is the number of events (d) and censorings (c) at time t.
type tally struct {
	t    int
	d, c int64
}

// stratum is the raw material of one curve: which grouping set and key it
// belongs to, how many employees and cases it holds, and its tallies in time
// order.
type stratum struct {
	set        int
	keys       []string
	emp, cases int64
	extra      []sql.NullFloat64
	tallies    []tally
}

func (s *stratum) key() string { return strings.Join(s.keys, keySep) }

func (s *stratum) n() int64 {
	var n int64
	for _, x := range s.tallies {
		n += x.d + x.c
	}
	return n
}

// survivalTallies runs the one aggregate query behind every curve. with
// defines CTEs ending in "obs" with the key columns cols, emp, fsd, an
// integer time t and a boolean ev (event rather than censoring). For each
// grouping set (a subset of cols) it returns one stratum per combination of
// values: the events and censorings per time, the distinct employees, the
// cases (casesExpr, e.g. count(*)) and any extra aggregates.
func survivalTallies(ctx context.Context, q Querier, with string, cols []string, sets [][]string, casesExpr string, extra []string) ([]*stratum, error) {
	mask := func(set []string) int {
		m := 0
		for i, c := range cols {
			if !slices.Contains(set, c) {
				m |= 1 << (len(cols) - 1 - i)
			}
		}
		return m
	}
	setOf := map[int]int{}
	var gsT, gsS []string
	for i, s := range sets {
		setOf[mask(s)] = i
		gsT = append(gsT, "("+strings.Join(append(slices.Clone(s), "t"), ", ")+")")
		gsS = append(gsS, "("+strings.Join(s, ", ")+")")
	}
	gid, keySel := "0", ""
	if len(cols) > 0 {
		gid = "GROUPING(" + strings.Join(cols, ", ") + ")"
		keySel = strings.Join(cols, ", ") + ", "
	}
	nulls, extras := "", ""
	for _, e := range extra {
		nulls += ", NULL::DOUBLE"
		extras += ", (" + e + ")::DOUBLE"
	}
	query := fmt.Sprintf(`WITH %[1]s,
o AS MATERIALIZED (SELECT * FROM obs)
SELECT 0 AS part, %[2]s AS gid, %[3]st, count(*) FILTER (WHERE ev) AS a, count(*) FILTER (WHERE NOT ev) AS b%[4]s
FROM o GROUP BY GROUPING SETS (%[5]s)
UNION ALL
SELECT 1, %[2]s, %[3]sNULL, count(DISTINCT emp), %[6]s%[7]s
FROM o GROUP BY GROUPING SETS (%[8]s)
ORDER BY part, gid, t`, with, gid, keySel, nulls, strings.Join(gsT, ", "), casesExpr, extras, strings.Join(gsS, ", "))
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byKey := map[string]*stratum{}
	var out []*stratum
	for rows.Next() {
		var part, g int
		var t sql.NullInt64
		var a, b int64
		keys := make([]sql.NullString, len(cols))
		ex := make([]sql.NullFloat64, len(extra))
		dest := []any{&part, &g}
		for i := range keys {
			dest = append(dest, &keys[i])
		}
		dest = append(dest, &t, &a, &b)
		for i := range ex {
			dest = append(dest, &ex[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		set, ok := setOf[g]
		if !ok {
			return nil, fmt.Errorf("unexpected grouping id %d", g)
		}
		var kv []string
		for i, c := range cols {
			if slices.Contains(sets[set], c) {
				kv = append(kv, keys[i].String)
			}
		}
		id := fmt.Sprint(set) + "|" + strings.Join(kv, keySep)
		s := byKey[id]
		if s == nil {
			s = &stratum{set: set, keys: kv}
			byKey[id] = s
			out = append(out, s)
		}
		if part == 0 {
			s.tallies = append(s.tallies, tally{int(t.Int64), a, b})
		} else {
			s.emp, s.cases, s.extra = a, b, ex
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, s := range out {
		slices.SortFunc(s.tallies, func(x, y tally) int { return x.t - y.t })
	}
	return out, nil
}

// splitTotal separates the stratum of grouping set 0 (the total, no keys)
// from those of set 1. A total without any case is an empty stratum.
func splitTotal(all []*stratum) (total *stratum, groups []*stratum) {
	total = &stratum{}
	for _, s := range all {
		if s.set == 0 {
			total = s
		} else {
			groups = append(groups, s)
		}
	}
	return total, groups
}

func sortStrata(groups []*stratum, d Dimension) {
	less := d.order()
	slices.SortFunc(groups, func(a, b *stratum) int {
		for i := range a.keys {
			if c := less(a.keys[i], b.keys[i]); c != 0 {
				return c
			}
		}
		return 0
	})
}

// strataVisibility applies the small-group rule to a total and its strata
// (the values of dims, or other groups that partition it, such as cohorts,
// when dims is empty): a stratum is hidden when the statistics' breakdown of
// the same dimension under the same filter hides it,
// or when its own cases come from fewer than MinEmployees employees or
// number fewer than MinCases; then complementary suppression hides more until
// the hidden strata together reach both thresholds (teams within their
// department). The total is hidden when it is small or when the filter
// selects a value the statistics would hide.
func strataVisibility(ctx context.Context, q Querier, f Filter, opt Options, dims []Dimension, total *stratum, groups []*stratum) (map[string]bool, bool, error) {
	raw := rawResult{total: rawRow{employees: total.emp, cases: total.cases}}
	for _, g := range groups {
		raw.groups = append(raw.groups, rawRow{keys: g.keys, employees: g.emp, cases: g.cases})
	}
	vis, err := visibility(ctx, q, f, opt, dims, raw)
	if err != nil {
		return nil, false, err
	}
	th := thresholdsOf(opt)
	hidden := map[string]bool{}
	families := map[string][]cell{}
	pre := map[string]bool{}
	for _, g := range groups {
		fam := ""
		if len(dims) == 1 && dims[0] == ByTeam {
			fam = g.keys[0]
		}
		families[fam] = append(families[fam], cell{g.key(), g.emp, g.cases})
		if len(dims) > 0 && !vis.groups[g.key()] {
			pre[g.key()] = true
		}
	}
	for _, cells := range families {
		for k := range hideCells(cells, pre, th) {
			hidden[k] = true
		}
	}
	return hidden, !vis.total || th.small(total.emp, total.cases), nil
}

// hideCells is suppressSiblings with a head start: the cells in pre are
// hidden already (by another rule); small cells are hidden; then the
// next-smallest visible cells until at least two are hidden and the hidden
// ones together reach both thresholds.
func hideCells(cells []cell, pre map[string]bool, th thresholds) map[string]bool {
	out := map[string]bool{}
	var emp, cases int64
	add := func(c cell) {
		out[c.key] = true
		emp, cases = emp+c.emp, cases+c.cases
	}
	for _, c := range cells {
		if pre[c.key] || th.small(c.emp, c.cases) {
			add(c)
		}
	}
	visible := slices.DeleteFunc(slices.Clone(cells), func(c cell) bool { return out[c.key] })
	slices.SortFunc(visible, func(a, b cell) int {
		if a.emp != b.emp {
			return int(a.emp - b.emp)
		}
		if a.cases != b.cases {
			return int(a.cases - b.cases)
		}
		return strings.Compare(a.key, b.key)
	})
	for len(out) > 0 && (len(out) < 2 || th.small(emp, cases)) && len(visible) > 0 {
		add(visible[0])
		visible = visible[1:]
	}
	return out
}

// curve turns a stratum into its Kaplan–Meier curve, or a bare key when
// suppressed.
func (s *stratum) curve(key, parent string, suppressed bool) Curve {
	c := Curve{Key: key, Parent: parent, Suppressed: suppressed}
	if suppressed {
		return c
	}
	var ev, cens int64
	for _, x := range s.tallies {
		ev, cens = ev+x.d, cens+x.c
	}
	c.Cases, c.Employees, c.Events, c.Censored = ptr(s.cases), ptr(s.emp), ptr(ev), ptr(cens)
	c.Points = kaplanMeier(s.tallies)
	c.Median, c.MedianCI = kmMedian(c.Points)
	return c
}

// kaplanMeier is the product-limit estimate over tallies in time order:
// S(t) = Π (1 − d/n) over the times up to t, with n the cases whose time is
// at least t (a case censored at t is at risk at t). The 95% interval is
// R survival's default (conf.type = "log"): Greenwood's
// se(log S) = √Σ d/(n(n−d)), interval S·exp(±1.96·se) capped at 1, undefined
// once S = 0.
func kaplanMeier(ts []tally) []KMPoint {
	var n int64
	for _, x := range ts {
		n += x.d + x.c
	}
	s, v := 1.0, 0.0
	out := make([]KMPoint, 0, len(ts))
	for _, x := range ts {
		p := KMPoint{T: x.t, NRisk: n, NEvent: x.d, NCensor: x.c}
		if x.d > 0 {
			s *= 1 - float64(x.d)/float64(n)
			if x.d < n {
				v += float64(x.d) / (float64(n) * float64(n-x.d))
			} else {
				v = math.Inf(1)
			}
		}
		p.Surv = s
		if s > 0 && !math.IsInf(v, 1) {
			se := math.Sqrt(v)
			p.StdErr = ptr(s * se)
			p.Lower = ptr(s * math.Exp(-z975*se))
			p.Upper = ptr(min(1, s*math.Exp(z975*se)))
		}
		n -= x.d + x.c
		out = append(out, p)
	}
	return out
}

// kmMedian is the median and its 95% interval the way R's quantile.survfit
// finds them: the first time the curve is at or below 0.5 (the midpoint of a
// stretch where it is exactly 0.5), and the same for the lower and upper
// limits, which give the low and high ends.
func kmMedian(pts []KMPoint) (*float64, *Bounds) {
	if len(pts) == 0 {
		return nil, nil
	}
	x := make([]float64, len(pts)+1)
	y, lo, hi := make([]float64, len(pts)+1), make([]float64, len(pts)+1), make([]float64, len(pts)+1)
	for i, p := range pts {
		x[i+1] = float64(p.T)
		y[i+1] = 1 - p.Surv
		lo[i+1], hi[i+1] = math.NaN(), math.NaN()
		if p.Lower != nil {
			lo[i+1] = 1 - *p.Lower
		}
		if p.Upper != nil {
			hi[i+1] = 1 - *p.Upper
		}
	}
	// firstx: a curve starts at time 0 (R: min(0, times)).
	return findq(x, y, 0.5), &Bounds{Low: findq(x, lo, 0.5), High: findq(x, hi, 0.5)}
}

// findq finds where the step function y(x) (a distribution function: 0 at
// x[0], non-decreasing; NaN = undefined) reaches p, as R's survival package
// does: duplicate levels are dropped; the answer is the first x where
// y ≥ p; when y equals p within a tolerance, the midpoint between that x and
// the next jump (or the last time, at the end of the curve).
func findq(x, y []float64, p float64) *float64 {
	tol := math.Sqrt(2.220446049250313e-16)
	xmax := x[len(x)-1]
	top := math.Inf(-1)
	for _, v := range y {
		if !math.IsNaN(v) {
			top = max(top, v)
		}
	}
	if top < p {
		return nil
	}
	var xs, ys []float64
	seenNaN := false
	for i, v := range y {
		if math.IsNaN(v) {
			if seenNaN {
				continue
			}
			seenNaN = true
		} else if slices.Contains(ys, v) {
			continue
		}
		xs, ys = append(xs, x[i]), append(ys, v)
	}
	first := func(shift float64) int {
		for i, v := range ys {
			if !math.IsNaN(v) && v+shift >= p {
				return i
			}
		}
		return -1
	}
	i1, i2 := first(tol), first(-tol)
	n := len(ys) - 1
	if !math.IsNaN(ys[n]) && math.Abs(p-ys[n]) < tol && i1 >= 0 {
		return ptr((xs[i1] + xmax) / 2)
	}
	if i1 < 0 || i2 < 0 {
		return nil
	}
	return ptr((xs[i1] + xs[i2]) / 2)
}

// survAt evaluates a curve at t days: the estimate, its interval and the
// number at risk at t (cases observed for at least t days). ok is false when
// the curve says nothing about t: no case was observed that long and the
// curve has not reached 0.
func survAt(pts []KMPoint, t int) (s float64, lo, hi *float64, nRisk int64, ok bool) {
	if len(pts) == 0 {
		return 0, nil, nil, 0, false
	}
	if last := pts[len(pts)-1]; t > last.T && last.Surv > 0 {
		return 0, nil, nil, 0, false
	}
	s, lo, hi = 1, ptr(1.0), ptr(1.0)
	for _, p := range pts {
		if p.T >= t && nRisk == 0 {
			nRisk = p.NRisk
		}
		if p.T > t {
			break
		}
		s, lo, hi = p.Surv, p.Lower, p.Upper
	}
	return s, lo, hi, nRisk, true
}

// logRankTest compares the strata with the log-rank test (R survdiff with
// rho = 0). Strata with no expected events are left out; df = strata − 1.
func logRankTest(strata []*stratum, names []string) *LogRank {
	k := len(strata)
	obs, exp, v := logRankSums(strata)
	var use []int
	for i := range k {
		if exp[i] > 0 {
			use = append(use, i)
		}
	}
	if len(use) < 2 {
		return nil
	}
	m := len(use) - 1
	a := make([][]float64, m)
	b := make([]float64, m)
	for i := range m {
		a[i] = make([]float64, m)
		for j := range m {
			a[i][j] = v[use[i]][use[j]]
		}
		b[i] = obs[use[i]] - exp[use[i]]
	}
	x, ok := solve(a, b)
	if !ok {
		return nil
	}
	chi := 0.0
	for i := range m {
		chi += b[i] * x[i]
	}
	res := &LogRank{ChiSquare: chi, DF: m, P: chiSquareSF(chi, float64(m))}
	for _, i := range use {
		res.Groups = append(res.Groups, names[i])
		res.Observed = append(res.Observed, obs[i])
		res.Expected = append(res.Expected, exp[i])
	}
	return res
}

// logRankSums walks the union of the strata's times and sums, at each time
// with events, the observed and expected events per stratum and the
// hypergeometric covariance V.
func logRankSums(strata []*stratum) (obs, exp []float64, v [][]float64) {
	k := len(strata)
	obs, exp = make([]float64, k), make([]float64, k)
	v = make([][]float64, k)
	atRisk := make([]float64, k)
	idx := make([]int, k)
	var times []int
	for i, s := range strata {
		v[i] = make([]float64, k)
		atRisk[i] = float64(s.n())
		for _, x := range s.tallies {
			times = append(times, x.t)
		}
	}
	slices.Sort(times)
	times = slices.Compact(times)
	dk, ck := make([]float64, k), make([]float64, k)
	for _, t := range times {
		var n, d float64
		for i, s := range strata {
			dk[i], ck[i] = 0, 0
			if idx[i] < len(s.tallies) && s.tallies[idx[i]].t == t {
				dk[i], ck[i] = float64(s.tallies[idx[i]].d), float64(s.tallies[idx[i]].c)
				idx[i]++
			}
			n += atRisk[i]
			d += dk[i]
		}
		if d > 0 && n > 0 {
			for i := range k {
				obs[i] += dk[i]
				exp[i] += atRisk[i] * d / n
			}
			if n > 1 {
				f := d * (n - d) / (n - 1)
				for i := range k {
					for j := range k {
						kron := 0.0
						if i == j {
							kron = 1
						}
						v[i][j] += f * atRisk[i] / n * (kron - atRisk[j]/n)
					}
				}
			}
		}
		for i := range k {
			atRisk[i] -= dk[i] + ck[i]
		}
	}
	return obs, exp, v
}

// HazardRatio is the Peto estimate of the ratio of recovery rates of a first
// arm to a second, from the log-rank sums: exp((O−E)/V) with the 95%
// interval exp((O−E)/V ± 1.96/√V). Above 1: the first arm recovers faster.
type HazardRatio struct {
	Estimate float64 `json:"estimate"`
	Low      float64 `json:"low"`
	High     float64 `json:"high"`
}

func petoHazardRatio(a, b *stratum) *HazardRatio {
	obs, exp, v := logRankSums([]*stratum{a, b})
	if v[0][0] <= 0 {
		return nil
	}
	l := (obs[0] - exp[0]) / v[0][0]
	se := 1 / math.Sqrt(v[0][0])
	return &HazardRatio{Estimate: math.Exp(l), Low: math.Exp(l - z975*se), High: math.Exp(l + z975*se)}
}

// solve solves a·x = b by Gaussian elimination with partial pivoting; ok is
// false for a singular matrix.
func solve(a [][]float64, b []float64) ([]float64, bool) {
	n := len(b)
	m := make([][]float64, n)
	for i := range n {
		m[i] = append(slices.Clone(a[i]), b[i])
	}
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		if math.Abs(m[p][c]) < 1e-12 {
			return nil, false
		}
		m[c], m[p] = m[p], m[c]
		for r := range n {
			if r == c {
				continue
			}
			f := m[r][c] / m[c][c]
			for j := c; j <= n; j++ {
				m[r][j] -= f * m[c][j]
			}
		}
	}
	x := make([]float64, n)
	for i := range n {
		x[i] = m[i][n] / m[i][i]
	}
	return x, true
}

// chiSquareSF is P(X > x) for X ~ χ²(df): the regularised upper incomplete
// gamma function Q(df/2, x/2).
func chiSquareSF(x, df float64) float64 {
	if x <= 0 {
		return 1
	}
	return gammaQ(df/2, x/2)
}

// DefinitionList is a list of definitions; in JSON each one is an object
// with snake_case keys (key, name, dutch, dutch_text, formula, numerator,
// denominator, convention, unit, interval, sources), empty fields left out.
type DefinitionList []Definition

// MarshalJSON writes the definitions with snake_case keys.
func (ds DefinitionList) MarshalJSON() ([]byte, error) {
	type doc struct {
		Key         string   `json:"key"`
		Name        string   `json:"name"`
		Dutch       string   `json:"dutch,omitempty"`
		DutchText   string   `json:"dutch_text,omitempty"`
		Formula     string   `json:"formula,omitempty"`
		Numerator   string   `json:"numerator,omitempty"`
		Denominator string   `json:"denominator,omitempty"`
		Convention  string   `json:"convention,omitempty"`
		Unit        string   `json:"unit,omitempty"`
		Interval    string   `json:"interval,omitempty"`
		Sources     []string `json:"sources,omitempty"`
	}
	out := make([]doc, len(ds))
	for i, d := range ds {
		out[i] = doc{Key: d.Key, Name: d.Name, Dutch: d.Dutch, DutchText: d.DutchText, Formula: d.Formula, Numerator: d.Numerator,
			Denominator: d.Denominator, Convention: d.Convention, Unit: d.Unit, Interval: d.Interval, Sources: d.Sources}
	}
	return json.Marshal(out)
}
