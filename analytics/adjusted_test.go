package analytics

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/verzuim/absence/datasets"
)

// knownTruth generates an organisation with a known effect of
// intervention_talk (datasets.KnownEffect: hazard ratio trueHR of return to
// own work once it started, confounding by indication), imports it and
// returns the pooled estimates of every method, the unadjusted landmark
// comparison first, each with the truth it estimates (truthOf).
func knownTruth(t testing.TB, employees int, seed uint64, trueHR float64) []truthCheck {
	t.Helper()
	dir := t.TempDir()
	eff := datasets.KnownEffect{Type: InterventionTalk, HazardRatio: trueHR}
	cfg := datasets.Config{Employees: employees, Seed: seed, ExtractDate: date(genExtract), Effect: &eff}
	if _, err := datasets.WriteFiles(dir, cfg, "native"); err != nil {
		t.Fatal(err)
	}
	s := openStore(t, genExtract, filepath.Join(dir, "employments.csv"), filepath.Join(dir, "absence_periods.csv"), filepath.Join(dir, "interventions.csv"))
	f, _, err := resolvePeriod(context.Background(), s.DB, Filter{From: date("2024-07-01"), To: date(genExtract)})
	if err != nil {
		t.Fatal(err)
	}
	cases, err := adjustedCases(context.Background(), s.DB, f)
	if err != nil {
		t.Fatal(err)
	}
	g := adjGroup{typ: InterventionTalk}
	l := defaultLandmark(cases, InterventionTalk)
	th := thresholds{DefaultMinEmployees, DefaultMinCases}
	marginal := marginalTruth(t, eff, cases, g, l, seed, func(c *adjCase) float64 {
		band := slices.IndexFunc(AgeBands, func(b Band) bool { return b.Label == c.ageBand })
		if band < 0 {
			t.Fatalf("age band %q", c.ageBand)
		}
		return datasets.Prognosis(band, c.prior, c.partialStart())
	})
	var out []truthCheck
	for _, m := range []string{methodUnadjusted, MethodIPWLandmark, MethodCoxLandmark} {
		out = append(out, truthCheck{g.landmarkEstimate(cases, m, l, th, false, 50), truthOf(m, trueHR, marginal)})
	}
	tv, _ := g.timeVaryingEstimate(newTVBase(cases), th, false, nil)
	return append(out, truthCheck{tv, trueHR})
}

// truthCheck is an estimate with the true hazard ratio it estimates.
type truthCheck struct {
	AdjustedEstimate
	truth float64
}

// truthOf: the Cox models estimate the conditional hazard ratio (among
// cases alike in the covariates), the weighted and the unadjusted
// comparison a marginal one (between the arms as wholes).
func truthOf(method string, conditional, marginal float64) float64 {
	if method == MethodIPWLandmark || method == methodUnadjusted {
		return marginal
	}
	return conditional
}

// marginalTruth is the marginal hazard ratio at landmark l: both potential
// outcomes of every case still absent at l (datasets.KnownEffect.Continue:
// with the intervention started before l, and without it ever), drawn
// truthReplicates times from the case's prognosis xb, in one Cox model
// with the arm alone. This is what ipw_landmark estimates (its stabilised
// weights make both arms look like all the cases at l); with prognoses
// that differ between cases it lies closer to 1 than the conditional
// hazard ratio (non-collapsibility).
func marginalTruth(t testing.TB, eff datasets.KnownEffect, cases []adjCase, g adjGroup, l int, seed uint64, xb func(*adjCase) float64) float64 {
	t.Helper()
	const truthReplicates = 40
	set, _ := g.landmarkSet(cases, l)
	r := rand.New(rand.NewPCG(seed, 13))
	var d CoxData
	for _, c := range set {
		xb := xb(c)
		for range truthReplicates {
			treated, untreated := eff.Continue(r, xb, l, 0)
			for arm, end := range []datasets.Ending{untreated, treated} {
				d.Start, d.Stop = append(d.Start, 0), append(d.Stop, float64(end.Day-l))
				d.Event, d.X = append(d.Event, end.Own), append(d.X, []float64{float64(arm)})
			}
		}
	}
	fit, err := FitCox(d, CoxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	hr, _, _ := fit.HazardRatio(0)
	return hr
}

// On an organisation with a known hazard ratio of 1.5 and confounding by
// indication, the unadjusted landmark comparison misses it (outside its
// interval or more than 15% off), while each adjusted method holds its own
// truth (truthOf: conditional for the Cox models, marginal for
// ipw_landmark) in its 95% interval with the point estimate within 15%.
// One seed of 6,000 employees, about 2,700 cases at the landmark; the
// tagged TestKnownTruthSeeds shows that this holds over seeds, not just
// for this one.
func TestAdjustedRecoversKnownEffect(t *testing.T) {
	const trueHR = 1.5
	ests := knownTruth(t, 6000, 5, trueHR)
	for _, e := range ests {
		if e.Suppressed {
			t.Fatalf("%s suppressed: %s", e.Method, e.Reason)
		}
		hr, lo, hi := *e.HazardRatio, *e.Lower, *e.Upper
		t.Logf("%-20s HR %.3f (%.3f–%.3f), truth %.3f, treated %d, control %d, landmark %v", e.Method, hr, lo, hi, e.truth, *e.NTreated, *e.NControl, fmtDay(e.LandmarkDay))
		covers := lo <= e.truth && e.truth <= hi
		close := math.Abs(hr/e.truth-1) <= 0.15
		if e.Method == methodUnadjusted {
			if covers && close {
				t.Errorf("the unadjusted comparison found the true HR %.2f: HR %.3f (%.3f–%.3f); the test's confounding is too weak", trueHR, hr, lo, hi)
			}
			continue
		}
		if !covers || !close {
			t.Errorf("%s: HR %.3f (%.3f–%.3f) misses its true HR %.3f", e.Method, hr, lo, hi, e.truth)
		}
	}
	ipw := ests[1]
	for _, b := range ipw.Balance {
		if math.Abs(*b.After) > 0.1 {
			t.Errorf("after weighting %s is still unbalanced: SMD %.3f (before %.3f)", b.Covariate, *b.After, b.Before)
		}
	}
}

func fmtDay(d *int) string {
	if d == nil {
		return "-"
	}
	return fmt.Sprint(*d)
}

// The estimators on the model itself, without the generator: 20,000
// independent cases drawn from the proportional-hazards model of the
// known-effect mode (datasets.KnownEffect.Continue: Weibull baseline,
// hazard ratio 1.5 from the start of the intervention, other endings
// competing), with a prognosis and confounding by indication stronger than
// the generator's (through the age band, prior sick reports and a partial
// start) and open cases censored, straight into the estimators. Each
// adjusted method holds its own truth (truthOf) in its interval, within
// 15%; the unadjusted one does not.
func TestAdjustedEstimatorsOnSimulatedModel(t *testing.T) {
	const trueHR = 1.5
	eff := datasets.KnownEffect{Type: InterventionTalk, HazardRatio: trueHR}
	r := rand.New(rand.NewPCG(1, 9))
	prognosis := func(c *adjCase) float64 {
		band, _ := strconv.Atoi(c.ageBand)
		return -0.08*float64(band) - 0.15*float64(c.prior) + 0.2*b2f(c.partialStart())
	}
	var cases []adjCase
	for i := range 20000 {
		c := adjCase{cluster: i, ended: true, dept: "d", ageBand: fmt.Sprint(r.IntN(5)), ptf: 1, prior: r.IntN(3)}
		if r.Float64() < 0.12 {
			c.segFrom, c.segPct = []int{0}, []float64{50}
		}
		xb := prognosis(&c)
		treat := r.Float64() < 1/(1+math.Exp(2+8*xb))
		start := 14 + r.IntN(29)
		if r.Float64() < 0.15 {
			start = 43 + r.IntN(28)
		}
		end, without := eff.Continue(r, xb, 0, start)
		if !treat {
			end = without
		}
		c.t, c.own = end.Day, end.Own
		if open := 1 + r.IntN(730); open < c.t {
			c.t, c.own, c.ended = open, false, false
		}
		if treat && start < c.t {
			c.ivs = []adjIntervention{{day: start, typ: InterventionTalk, prv: "p"}}
		}
		cases = append(cases, c)
	}
	g := adjGroup{typ: InterventionTalk}
	l := defaultLandmark(cases, InterventionTalk)
	th := thresholds{DefaultMinEmployees, DefaultMinCases}
	marginal := marginalTruth(t, eff, cases, g, l, 1, prognosis)
	for _, m := range []string{methodUnadjusted, MethodIPWLandmark, MethodCoxLandmark, MethodCoxTimeVarying} {
		var e AdjustedEstimate
		if m == MethodCoxTimeVarying {
			e, _ = g.timeVaryingEstimate(newTVBase(cases), th, false, nil)
		} else {
			e = g.landmarkEstimate(cases, m, l, th, false, 20)
		}
		truth := truthOf(m, trueHR, marginal)
		hr, lo, hi := *e.HazardRatio, *e.Lower, *e.Upper
		t.Logf("%-20s HR %.3f (%.3f–%.3f), truth %.3f, landmark %s", m, hr, lo, hi, truth, fmtDay(e.LandmarkDay))
		ok := lo <= truth && truth <= hi && math.Abs(hr/truth-1) <= 0.15
		if m == methodUnadjusted && ok {
			t.Errorf("the unadjusted comparison found the true HR: %.3f (%.3f–%.3f)", hr, lo, hi)
		}
		if m != methodUnadjusted && !ok {
			t.Errorf("%s: HR %.3f (%.3f–%.3f) misses its truth %.3f", m, hr, lo, hi, truth)
		}
	}
}
