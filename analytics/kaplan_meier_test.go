package analytics

import (
	"context"
	"math"
	"slices"
	"testing"
)

// plainPoint is one row of plainKM.
type plainPoint struct {
	t                   int
	nRisk, nEvent, nCen int
	surv, lower, upper  float64 // lower/upper NaN where undefined
}

// plainKM is a deliberately naive Kaplan–Meier with Greenwood's log-scale
// interval, written from the textbook formulas and sharing no code with the
// package: at each distinct time it recounts the risk set from scratch.
func plainKM(times []int, events []bool) []plainPoint {
	ts := slices.Clone(times)
	slices.Sort(ts)
	ts = slices.Compact(ts)
	var out []plainPoint
	s, sum := 1.0, 0.0
	for _, t := range ts {
		p := plainPoint{t: t}
		for i, x := range times {
			if x >= t {
				p.nRisk++
			}
			if x == t && events[i] {
				p.nEvent++
			}
			if x == t && !events[i] {
				p.nCen++
			}
		}
		n, d := float64(p.nRisk), float64(p.nEvent)
		s *= (n - d) / n
		if d > 0 {
			sum += d / (n * (n - d)) // +Inf when d = n
		}
		p.surv = s
		p.lower, p.upper = math.NaN(), math.NaN()
		if s > 0 {
			p.lower = s * math.Exp(-1.959963984540054*math.Sqrt(sum))
			p.upper = math.Min(1, s*math.Exp(1.959963984540054*math.Sqrt(sum)))
		}
		out = append(out, p)
	}
	return out
}

// comparePoints holds a curve to plainKM to 1e-6.
func comparePoints(t *testing.T, what string, got []KMPoint, want []plainPoint) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d points, want %d", what, len(got), len(want))
	}
	near6 := func(a *float64, b float64) bool {
		if math.IsNaN(b) {
			return a == nil
		}
		return a != nil && math.Abs(*a-b) <= 1e-6
	}
	bad := 0
	for i, w := range want {
		g := got[i]
		if g.T != w.t || g.NRisk != int64(w.nRisk) || g.NEvent != int64(w.nEvent) || g.NCensor != int64(w.nCen) ||
			math.Abs(g.Surv-w.surv) > 1e-6 || !near6(g.Lower, w.lower) || !near6(g.Upper, w.upper) {
			t.Errorf("%s point %d: got t=%d n=%d d=%d c=%d S=%.8f [%v, %v], want t=%d n=%d d=%d c=%d S=%.8f [%.8f, %.8f]",
				what, i, g.T, g.NRisk, g.NEvent, g.NCensor, g.Surv, fmtp(g.Lower), fmtp(g.Upper),
				w.t, w.nRisk, w.nEvent, w.nCen, w.surv, w.lower, w.upper)
			if bad++; bad > 5 {
				t.FailNow()
			}
		}
	}
}

func fmtp(p *float64) any {
	if p == nil {
		return "nil"
	}
	return *p
}

// The Freireich 6-MP trial (Gehan 1965), remission weeks, * = censored:
// 6-MP 6,6,6,6*,7,9*,10,10*,11*,13,16,17*,19*,20*,22,23,25*,32*,32*,34*,35*;
// placebo 1,1,2,2,3,4,4,5,5,8,8,8,8,11,11,12,12,15,17,22,23. The fixture makes
// each subject an employee with one case lasting that many days; a censored
// time c is a case open on the extract date with extract − first sick day = c.
var (
	sixMPTimes  = []int{6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35}
	sixMPEvents = []bool{true, true, true, false, true, false, true, false, false, true, true, false, false, false, true, true, false, false, false, false, false}
	placebo     = []int{1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23}
)

func sixMPSurvival(t *testing.T, opt Options) SurvivalResult {
	t.Helper()
	q := survivalStore(t, "2024-12-31", "sixmp_employments.csv", "sixmp_absence.csv")
	res, err := Survival(context.Background(), q, Filter{From: date("2024-01-01"), To: date("2024-12-31")}, ByDepartment, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func strataByKey(res SurvivalResult) map[string]Curve {
	out := map[string]Curve{}
	for _, c := range res.Strata {
		out[c.Key] = c
	}
	return out
}

func TestKaplanMeierSixMP(t *testing.T) {
	res := sixMPSurvival(t, Options{})
	mp := strataByKey(res)["6-MP"]
	if mp.Suppressed || mp.Cases == nil || *mp.Cases != 21 || *mp.Events != 9 || *mp.Censored != 12 {
		t.Fatalf("6-MP curve: %+v", mp)
	}
	// The published table (R: summary(survfit(Surv(time, status) ~ 1)) on
	// the 6-MP arm; Kleinbaum & Klein, Survival Analysis, table 2.2 for
	// surv), 3 decimals: time, n.risk, n.event, survival, std.err, lower 95%,
	// upper 95%.
	published := []struct {
		t, n, d           int
		s, se, low, upper float64
	}{
		{6, 21, 3, 0.857, 0.0764, 0.720, 1.000},
		{7, 17, 1, 0.807, 0.0869, 0.653, 0.996},
		{10, 15, 1, 0.753, 0.0963, 0.586, 0.968},
		{13, 12, 1, 0.690, 0.1068, 0.510, 0.935},
		{16, 11, 1, 0.627, 0.1141, 0.439, 0.896},
		{22, 7, 1, 0.538, 0.1282, 0.337, 0.858},
		{23, 6, 1, 0.448, 0.1346, 0.249, 0.807},
	}
	at := map[int]KMPoint{}
	for _, p := range mp.Points {
		at[p.T] = p
	}
	round := func(v float64, places float64) float64 { return math.Round(v*places) / places }
	for _, w := range published {
		p := at[w.t]
		if p.NRisk != int64(w.n) || p.NEvent != int64(w.d) || round(p.Surv, 1e3) != w.s || round(*p.StdErr, 1e4) != w.se ||
			round(*p.Lower, 1e3) != w.low || round(*p.Upper, 1e3) != w.upper {
			t.Errorf("t=%d: n=%d d=%d S=%.4f se=%.4f [%.4f, %.4f], published n=%d d=%d S=%.3f se=%.4f [%.3f, %.3f]",
				w.t, p.NRisk, p.NEvent, p.Surv, *p.StdErr, *p.Lower, *p.Upper, w.n, w.d, w.s, w.se, w.low, w.upper)
		}
	}
	// Independent check to 1e-6: the exact products and Greenwood sums,
	// S(6) = 18/21, S(7) = 18/21·16/17, …, written out.
	z := 1.959963984540054
	type exact struct {
		t    int
		s, v float64 // S and Σ d/(n(n−d))
	}
	var ex []exact
	s, v := 1.0, 0.0
	for _, step := range [][3]float64{{6, 21, 3}, {7, 17, 1}, {10, 15, 1}, {13, 12, 1}, {16, 11, 1}, {22, 7, 1}, {23, 6, 1}} {
		n, d := step[1], step[2]
		s *= (n - d) / n
		v += d / (n * (n - d))
		ex = append(ex, exact{int(step[0]), s, v})
	}
	for _, e := range ex {
		p := at[e.t]
		lo, hi := e.s*math.Exp(-z*math.Sqrt(e.v)), math.Min(1, e.s*math.Exp(z*math.Sqrt(e.v)))
		if math.Abs(p.Surv-e.s) > 1e-6 || math.Abs(*p.Lower-lo) > 1e-6 || math.Abs(*p.Upper-hi) > 1e-6 || math.Abs(*p.StdErr-e.s*math.Sqrt(e.v)) > 1e-6 {
			t.Errorf("t=%d: S=%.9f [%.9f, %.9f], exact S=%.9f [%.9f, %.9f]", e.t, p.Surv, *p.Lower, *p.Upper, e.s, lo, hi)
		}
	}
	// The values this implementation gives, pinned (log-scale interval).
	pinned := map[int][3]float64{
		6:  {0.857142857, 0.719817084, 1},
		13: {0.690196078, 0.509613099, 0.934769196},
		23: {0.448179272, 0.248788227, 0.807372046},
	}
	for tt, w := range pinned {
		p := at[tt]
		if math.Abs(p.Surv-w[0]) > 1e-6 || math.Abs(*p.Lower-w[1]) > 1e-6 || math.Abs(*p.Upper-w[2]) > 1e-6 {
			t.Errorf("t=%d: S=%.9f [%.9f, %.9f], pinned %v", tt, p.Surv, *p.Lower, *p.Upper, w)
		}
	}
	// Every row, censored times included, against the naive implementation.
	comparePoints(t, "6-MP", mp.Points, plainKM(sixMPTimes, sixMPEvents))
	all := make([]bool, len(placebo))
	for i := range all {
		all[i] = true
	}
	comparePoints(t, "placebo", strataByKey(res)["placebo"].Points, plainKM(placebo, all))

	// Medians as R prints them: 6-MP 23 (16, NA); placebo 8 (4, 12).
	checkMedian(t, "6-MP", mp, 23, pf(16), nil)
	checkMedian(t, "placebo", strataByKey(res)["placebo"], 8, pf(4), pf(12))

	// The total pools both arms.
	if *res.Total.Cases != 42 || res.Total.Suppressed {
		t.Errorf("total: %+v", res.Total)
	}
	if len(res.Definitions) == 0 || res.Definitions[0].Key != "survival" {
		t.Errorf("definitions: %v", res.Definitions)
	}
}

func checkMedian(t *testing.T, what string, c Curve, med float64, lo, hi *float64) {
	t.Helper()
	same := func(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	if c.Median == nil || *c.Median != med || c.MedianCI == nil || !same(c.MedianCI.Low, lo) || !same(c.MedianCI.High, hi) {
		t.Errorf("%s median %v (%v, %v), want %v (%v, %v)", what, fmtp(c.Median), fmtp(c.MedianCI.Low), fmtp(c.MedianCI.High), med, fmtp(lo), fmtp(hi))
	}
}

// The ties fixture (datasets/fixtures/survival/ties_*.csv), hand-computed.
// 14 sickness cases: Q1 2024 recovered after 3, 8, 10, 15, 20 days; Q4 2024
// 3, 3, 3+, 5, 5+, 8, 8+, 10+, 12 (+ = open on the extract date with that
// many days since the first sick day). Pregnancy leave and type other of a
// 15th employee do not count.
//
//	t   n   d  c   S
//	3   14  3  1   11/14
//	5   10  1  1   11/14 · 9/10
//	8    8  2  1   · 6/8
//	10   5  1  1   · 4/5
//	12   3  1  0   · 2/3
//	15   2  1  0   · 1/2
//	20   1  1  0   0
func TestKaplanMeierTiesAndCensoring(t *testing.T) {
	q := survivalStore(t, "2024-12-31", "ties_employments.csv", "ties_absence.csv")
	res, err := Survival(context.Background(), q, Filter{From: date("2024-01-01"), To: date("2024-12-31")}, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := res.Total
	if c.Suppressed || *c.Cases != 14 || *c.Employees != 14 || *c.Events != 10 || *c.Censored != 4 {
		t.Fatalf("total: %+v", c)
	}
	rows := []struct {
		t, n, d, c int
		s, v       float64
	}{
		{3, 14, 3, 1, 11.0 / 14, 3.0 / (14 * 11)},
		{5, 10, 1, 1, 11.0 / 14 * 9 / 10, 3.0/(14*11) + 1.0/(10*9)},
		{8, 8, 2, 1, 11.0 / 14 * 9 / 10 * 6 / 8, 3.0/(14*11) + 1.0/(10*9) + 2.0/(8*6)},
		{10, 5, 1, 1, 11.0 / 14 * 9 / 10 * 6 / 8 * 4 / 5, 3.0/(14*11) + 1.0/(10*9) + 2.0/(8*6) + 1.0/(5*4)},
		{12, 3, 1, 0, 11.0 / 14 * 9 / 10 * 6 / 8 * 4 / 5 * 2 / 3, 3.0/(14*11) + 1.0/(10*9) + 2.0/(8*6) + 1.0/(5*4) + 1.0/(3*2)},
		{15, 2, 1, 0, 11.0 / 14 * 9 / 10 * 6 / 8 * 4 / 5 * 2 / 3 / 2, 3.0/(14*11) + 1.0/(10*9) + 2.0/(8*6) + 1.0/(5*4) + 1.0/(3*2) + 1.0/2},
		{20, 1, 1, 0, 0, math.Inf(1)},
	}
	if len(c.Points) != len(rows) {
		t.Fatalf("%d points, want %d", len(c.Points), len(rows))
	}
	for i, w := range rows {
		p := c.Points[i]
		if p.T != w.t || p.NRisk != int64(w.n) || p.NEvent != int64(w.d) || p.NCensor != int64(w.c) || math.Abs(p.Surv-w.s) > 1e-12 {
			t.Errorf("row %d: %+v, want %+v", i, p, w)
			continue
		}
		if w.s == 0 {
			if p.Lower != nil || p.Upper != nil || p.StdErr != nil {
				t.Errorf("t=%d: S = 0 needs an undefined interval, got [%v, %v]", w.t, fmtp(p.Lower), fmtp(p.Upper))
			}
			continue
		}
		se := math.Sqrt(w.v)
		if math.Abs(*p.Lower-w.s*math.Exp(-z975*se)) > 1e-12 || math.Abs(*p.Upper-math.Min(1, w.s*math.Exp(z975*se))) > 1e-12 {
			t.Errorf("t=%d: interval [%v, %v]", w.t, *p.Lower, *p.Upper)
		}
	}
	// S(8) = 0.530 > 0.5, S(10) = 0.424: the median is 10. The lower limit
	// is 0.502 at t = 5 and 0.313 at t = 8, so the interval starts at 8; the
	// upper limit never comes down to 0.5 (0.806 at t = 15, undefined once
	// S = 0), so its end is undefined, as R's NA.
	if lo5, lo8 := *c.Points[1].Lower, *c.Points[2].Lower; !(lo5 > 0.5 && lo8 < 0.5) || *c.Points[5].Upper <= 0.5 {
		t.Fatalf("fixture no longer crosses as the comment says: lower(5)=%v lower(8)=%v upper(15)=%v", lo5, lo8, *c.Points[5].Upper)
	}
	checkMedian(t, "ties", c, 10, pf(8), nil)
}

func TestMedianFollowsR(t *testing.T) {
	// survfit(Surv(1:4)) has S = .75, .5, .25, 0: exactly 0.5 on [2, 3),
	// so R's median is the midpoint 2.5.
	pts := kaplanMeier([]tally{{1, 1, 0}, {2, 1, 0}, {3, 1, 0}, {4, 1, 0}})
	if m, _ := kmMedian(pts); m == nil || *m != 2.5 {
		t.Errorf("median of 1:4 = %v, want 2.5", fmtp(m))
	}
	// survfit(Surv(c(1, 2, 3), c(1, 1, 0))): S = 2/3, 1/3 → median 2.
	pts = kaplanMeier([]tally{{1, 1, 0}, {2, 1, 0}, {3, 0, 1}})
	if m, _ := kmMedian(pts); m == nil || *m != 2 {
		t.Errorf("median = %v, want 2", fmtp(m))
	}
	// Ends flat at exactly 0.5 (1 event, 1 censored later): R takes the
	// midpoint of the last event time and the last time: (1 + 5)/2 = 3.
	pts = kaplanMeier([]tally{{1, 1, 0}, {5, 0, 1}})
	if m, _ := kmMedian(pts); m == nil || *m != 3 {
		t.Errorf("median = %v, want 3", fmtp(m))
	}
	// Never reaches 0.5.
	pts = kaplanMeier([]tally{{1, 1, 0}, {5, 0, 3}})
	if m, _ := kmMedian(pts); m != nil {
		t.Errorf("median = %v, want none", *m)
	}
}
