package analytics

import (
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/verzuim/absence/datasets"
)

// By hand: employees A and B; A recovers after 1 and after 2 days, B's
// first case is open at 2 days (censored), its second recovers after 3.
//
//	t=1: n=4, d=1 (A): a = 1/(4·3), b = 1/3; r_A = r_B = 2
//	     U_A = 2a − b = −1/6, U_B = 2a = 1/6            Σ U² = 1/18
//	t=2: n=3, d=1 (A), one censored (B): a = 1/(3·2), b = 1/2; r_A = 1, r_B = 2
//	     U_A = −1/6 + a − b = −1/2, U_B = 1/6 + 2a = 1/2  Σ U² = 1/2
//	t=3: the last case at risk recovers: S = 0, undefined.
//
// Greenwood's var(log S(2)) is 1/12 + 1/6 = 1/4: the dependence within A
// doubles it.
func TestRobustVarianceByHand(t *testing.T) {
	obs := []robustObs{{cluster: 0, t: 1, ev: true}, {cluster: 0, t: 2, ev: true}, {cluster: 1, t: 2}, {cluster: 1, t: 3, ev: true}}
	pts := kaplanMeier([]tally{{1, 1, 0}, {2, 1, 1}, {3, 1, 0}})
	got := robustLogVar(pts, obs, 2)
	for i, want := range []float64{1.0 / 18, 1.0 / 2} {
		if math.Abs(got[i]-want) > 1e-15 {
			t.Errorf("t=%d: Σ U² = %v, want %v", pts[i].T, got[i], want)
		}
	}
	if !math.IsNaN(got[2]) {
		t.Errorf("t=3: %v, want undefined", got[2])
	}
}

// rSurvfitRobust ports the robust branch of R's survfitkm.c (survival
// 3.x, Kaplan–Meier with right-censored data, unit weights): the
// influence of each cluster on S, inf = inf·(1 − h) + at-risk·S·h/n at
// every event time, minus S/n per recovery of the cluster; se(S) =
// √Σ inf². It loops over every cluster at every time, as R does.
func rSurvfitRobust(obs []robustObs, clusters int) (times []int, surv, se []float64) {
	sorted := slices.Clone(obs)
	slices.SortFunc(sorted, func(x, y robustObs) int { return x.t - y.t })
	for _, o := range sorted {
		if len(times) == 0 || times[len(times)-1] != o.t {
			times = append(times, o.t)
		}
	}
	gwt := make([]float64, clusters)
	for _, o := range sorted {
		gwt[o.cluster]++
	}
	inf := make([]float64, clusters)
	km, v1, p := 1.0, 0.0, 0
	for _, ut := range times {
		n, d := 0.0, 0.0
		for _, o := range sorted[p:] {
			n++
			if o.t == ut && o.ev {
				d++
			}
		}
		if d > 0 {
			haz := d / n
			for k := range inf {
				inf[k] = inf[k]*(1-haz) + gwt[k]*km*haz/n
			}
		}
		for ; p < len(sorted) && sorted[p].t == ut; p++ {
			if sorted[p].ev {
				inf[sorted[p].cluster] -= km / n
			}
			gwt[sorted[p].cluster]--
		}
		if d > 0 {
			km *= 1 - d/n
			v1 = 0
			for _, x := range inf {
				v1 += x * x
			}
		}
		surv, se = append(surv, km), append(se, math.Sqrt(v1))
	}
	return times, surv, se
}

// naiveRobustLogRank computes the robust score test by brute force: every
// case's score residual summed over every event time up to its own.
func naiveRobustLogRank(obs []robustObs, groups, clusters int) float64 {
	var events []int
	for _, o := range obs {
		if o.ev && !slices.Contains(events, o.t) {
			events = append(events, o.t)
		}
	}
	m := groups - 1
	u := make([]float64, m)
	r := make([][]float64, clusters)
	for i := range r {
		r[i] = make([]float64, m)
	}
	shareAt := func(t int) ([]float64, float64, float64) {
		share, n, d := make([]float64, groups), 0.0, 0.0
		for _, o := range obs {
			if o.t >= t {
				n++
				share[o.group]++
				if o.t == t && o.ev {
					d++
				}
			}
		}
		for g := range share {
			share[g] /= n
		}
		return share, n, d
	}
	for _, o := range obs {
		for g := range m {
			x := 0.0
			if o.group == g {
				x = 1
			}
			v := 0.0
			if o.ev {
				share, _, _ := shareAt(o.t)
				v += x - share[g]
			}
			for _, t := range events {
				if t <= o.t {
					share, n, d := shareAt(t)
					v -= d / n * (x - share[g])
				}
			}
			r[o.cluster][g] += v
			u[g] += v
		}
	}
	vm := make([][]float64, m)
	for i := range vm {
		vm[i] = make([]float64, m)
		for j := range vm[i] {
			for _, rc := range r {
				vm[i][j] += rc[i] * rc[j]
			}
		}
	}
	x, _ := solve(vm, u)
	chi := 0.0
	for i := range m {
		chi += u[i] * x[i]
	}
	return chi
}

// Survival with Options.Robust on a generated organisation (most employees
// have several cases): every shown curve's standard error equals R's robust
// survfit, ported independently above, on the cases read straight from the
// tables; the test equals the brute-force robust score test.
func TestRobustSurvivalMatchesR(t *testing.T) {
	dir := t.TempDir()
	if _, err := datasets.WriteFiles(dir, datasets.Config{Employees: 400, Seed: 9, ExtractDate: date("2025-06-30")}, datasets.FormatNative); err != nil {
		t.Fatal(err)
	}
	s := openStore(t, "2025-06-30", filepath.Join(dir, "employments.csv"), filepath.Join(dir, "absence_periods.csv"))
	f := Filter{From: date("2023-07-01"), To: date("2025-06-30")}
	res, err := Survival(t.Context(), s.DB, f, ByDepartment, Options{Robust: true})
	if err != nil {
		t.Fatal(err)
	}
	greenwood, err := Survival(t.Context(), s.DB, f, ByDepartment, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := s.DB.Query(`SELECT c.employee_key, m.department,
			CASE WHEN c.recovery_date <= DATE '2025-06-30' THEN c.recovery_date - c.first_sick_day ELSE DATE '2025-06-30' - c.first_sick_day END,
			coalesce(c.recovery_date <= DATE '2025-06-30', false)
		FROM absence_cases c JOIN employments m ON m.employee_key = c.employee_key
			AND m.start_date <= c.first_sick_day AND (m.end_date IS NULL OR m.end_date >= c.first_sick_day)
		WHERE c.absence_type IN ('sickness', 'sickness_pregnancy', 'organ_donation')
			AND c.first_sick_day BETWEEN DATE '2023-07-01' AND DATE '2025-06-30'`)
	if err != nil {
		t.Fatal(err)
	}
	cluster := map[string]int{}
	byDept := map[string][]robustObs{}
	var all []robustObs
	for rows.Next() {
		var emp, dept string
		var o robustObs
		if err := rows.Scan(&emp, &dept, &o.t, &o.ev); err != nil {
			t.Fatal(err)
		}
		if _, ok := cluster[emp]; !ok {
			cluster[emp] = len(cluster)
		}
		o.cluster = cluster[emp]
		all = append(all, o)
		byDept[dept] = append(byDept[dept], o)
	}
	rows.Close()
	if len(all) < 2*len(cluster) {
		t.Fatalf("%d cases of %d employees: too few repeats to test clustering", len(all), len(cluster))
	}
	check := func(name string, c Curve, obs []robustObs, gw Curve) {
		t.Helper()
		times, surv, se := rSurvfitRobust(obs, len(cluster))
		if len(times) != len(c.Points) {
			t.Fatalf("%s: %d points, R %d", name, len(c.Points), len(times))
		}
		differs := false
		for i, p := range c.Points {
			if p.T != times[i] || math.Abs(p.Surv-surv[i]) > 1e-12 {
				t.Fatalf("%s point %d: t %d S %v, R t %d S %v", name, i, p.T, p.Surv, times[i], surv[i])
			}
			if p.Surv == 0 {
				continue
			}
			if p.StdErr == nil || math.Abs(*p.StdErr-se[i]) > 1e-12*math.Max(1, se[i]) {
				t.Errorf("%s t=%d: robust std_err %v, R %v", name, p.T, p.StdErr, se[i])
				return
			}
			lse := se[i] / p.Surv
			if math.Abs(*p.Lower-p.Surv*math.Exp(-z975*lse)) > 1e-12 || math.Abs(*p.Upper-min(1, p.Surv*math.Exp(z975*lse))) > 1e-12 {
				t.Errorf("%s t=%d: interval %v–%v", name, p.T, *p.Lower, *p.Upper)
			}
			differs = differs || math.Abs(*p.StdErr-*gw.Points[i].StdErr) > 1e-6
		}
		if !differs {
			t.Errorf("%s: robust and Greenwood errors are the same", name)
		}
	}
	check("total", res.Total, all, greenwood.Total)
	var tested []robustObs
	var names []string
	for i, c := range res.Strata {
		if c.Suppressed {
			continue
		}
		check(c.Key, c, byDept[c.Key], greenwood.Strata[i])
		for _, o := range byDept[c.Key] {
			o.group = len(names)
			tested = append(tested, o)
		}
		names = append(names, c.Key)
	}
	if res.LogRank == nil || len(names) < 2 {
		t.Fatalf("no test: %v", names)
	}
	want := naiveRobustLogRank(tested, len(names), len(cluster))
	if math.Abs(res.LogRank.ChiSquare-want) > 1e-9*want || res.LogRank.DF != len(names)-1 {
		t.Errorf("robust chi-square %v (df %d), brute force %v", res.LogRank.ChiSquare, res.LogRank.DF, want)
	}
	if res.LogRank.ChiSquare == greenwood.LogRank.ChiSquare {
		t.Error("robust and standard log-rank are the same")
	}
	var def string
	for _, d := range res.Definitions {
		def += d.Interval + d.Formula
	}
	if !strings.Contains(def, "Robust (option --robust)") || !strings.Contains(def, "Lin & Wei") {
		t.Error("the definitions do not name the robust variance")
	}
}

// Six employees with repeated cases, run through R 4 with survival 3.5.3:
//
//	d <- data.frame(id = c(0,0,1,1,2,2,2,3,4,4,5,5),
//	                time = c(1,2,2,3,2,4,6,3,1,5,4,7),
//	                ev = c(1,1,0,1,1,1,0,1,1,0,1,1))
//	f <- survfit(Surv(time, ev) ~ 1, data = d, id = id, robust = TRUE)
//	cbind(f$time, f$surv, f$std.err)
//
// R's robust std.err is that of S(t); ours is of log S(t), so S·√var(log S)
// must equal it (to 1e-12; R printed 15 digits).
func TestRobustVarianceMatchesR(t *testing.T) {
	id := []int{0, 0, 1, 1, 2, 2, 2, 3, 4, 4, 5, 5}
	tm := []int{1, 2, 2, 3, 2, 4, 6, 3, 1, 5, 4, 7}
	ev := []bool{true, true, false, true, true, true, false, true, true, false, true, true}
	var obs []robustObs
	for i := range id {
		obs = append(obs, robustObs{cluster: id[i], t: tm[i], ev: ev[i]})
	}
	pts := kaplanMeier([]tally{{1, 2, 0}, {2, 2, 1}, {3, 2, 0}, {4, 2, 0}, {5, 0, 1}, {6, 0, 1}, {7, 1, 0}})
	v := robustLogVar(pts, obs, 6)
	r := []struct{ surv, se float64 }{
		{0.833333333333333, 0.0982092751647983},
		{0.666666666666667, 0.1416394309331329},
		{0.476190476190476, 0.1459307442153625},
		{0.285714285714286, 0.0823733403966826},
		{0.285714285714286, 0.0823733403966826},
		{0.285714285714286, 0.0823733403966826},
	}
	for i, w := range r {
		if math.Abs(pts[i].Surv-w.surv) > 1e-12 {
			t.Errorf("t=%d: S %v, R %v", pts[i].T, pts[i].Surv, w.surv)
		}
		if se := pts[i].Surv * math.Sqrt(v[i]); math.Abs(se-w.se) > 1e-12 {
			t.Errorf("t=%d: robust se of S %.15g, R %.15g", pts[i].T, se, w.se)
		}
	}
}
