package analytics

import (
	"context"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The relapse fixture (datasets/fixtures/survival/relapse_*.csv; the cases
// are described at TestRelapseReportJSON in cmd/absence): days from the
// return on 1-3-2024 to the next sick report, false = censored.
var (
	relapseTalkT   = []int{10, 100, 486, 50, 28}
	relapseTalkE   = []bool{true, true, false, false, true}
	relapseNoneT   = []int{7, 20, 90, 200, 183, 486}
	relapseNoneE   = []bool{true, true, true, true, false, false}
	relapseExtract = "2025-06-30"
)

func relapseStore(t testing.TB) Querier {
	t.Helper()
	return survivalStore(t, relapseExtract, "relapse_employments.csv", "relapse_absence.csv", "relapse_interventions.csv")
}

func TestRelapseArms(t *testing.T) {
	q := relapseStore(t)
	f := Filter{From: date("2024-01-01"), To: date("2024-12-31")}
	res, err := Interventions(context.Background(), q, f, Options{MinEmployees: 5})
	if err != nil {
		t.Fatal(err)
	}
	arms := map[string]struct {
		ts  []int
		evs []bool
	}{
		ArmReturnTalk:   {relapseTalkT, relapseTalkE},
		ArmNoReturnTalk: {relapseNoneT, relapseNoneE},
		ArmAllReturns:   {append(append([]int{}, relapseTalkT...), relapseNoneT...), append(append([]bool{}, relapseTalkE...), relapseNoneE...)},
	}
	if len(res.Relapse) != 3*len(RelapseDays) {
		t.Fatalf("relapse %+v", res.Relapse)
	}
	for _, r := range res.Relapse {
		a := arms[r.Arm]
		pts := plainKM(a.ts, a.evs)
		var want plainPoint
		want.surv, want.lower, want.upper = 1, 1, 1
		for _, p := range pts {
			if p.t <= r.T {
				want = p
			}
		}
		if r.Suppressed || r.Estimate == nil || math.Abs(*r.Estimate-(1-want.surv)) > 1e-12 ||
			math.Abs(*r.Lower-(1-want.upper)) > 1e-12 || math.Abs(*r.Upper-(1-want.lower)) > 1e-12 || *r.N != int64(len(a.ts)) {
			t.Errorf("%s at %d days: %v [%v, %v] n %v; want %v [%v, %v] n %d", r.Arm, r.T, fmtp(r.Estimate), fmtp(r.Lower), fmtp(r.Upper), r.N,
				1-want.surv, 1-want.upper, 1-want.lower, len(a.ts))
		}
	}
	o, e, v := twoGroupLogRank(relapseTalkT, relapseTalkE, relapseNoneT, relapseNoneE)
	if lr := res.RelapseLogRank; lr == nil || math.Abs(lr.ChiSquare-(o-e)*(o-e)/v) > 1e-9 {
		t.Errorf("log-rank %+v, want χ² %v", lr, (o-e)*(o-e)/v)
	}
	// R07's talk 15 days after the return links to nothing.
	if d := cmp.Diff([]UnlinkedCount{{"no_case", 1}}, res.UnlinkedReasons); d != "" {
		t.Errorf("unlinked (-want +got):\n%s", d)
	}

	// Index cases of at least 60 days: R10's 42-day case drops out.
	res, err = Interventions(context.Background(), q, f, Options{MinEmployees: 5, RelapseIndexDays: 60})
	if err != nil {
		t.Fatal(err)
	}
	if r := res.Relapse[2*len(RelapseDays)]; r.Arm != ArmAllReturns || r.N == nil || *r.N != 10 || res.RelapseIndexDays != 60 {
		t.Errorf("index of 60 days: %+v", r)
	}

	// Ten employees at least: the arms (5 and 6) are hidden, all returns
	// (11) shown, and there is no test.
	res, err = Interventions(context.Background(), q, f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Relapse {
		if hidden := r.Arm != ArmAllReturns; r.Suppressed != hidden || (r.Estimate == nil) != hidden || (r.N == nil) != hidden {
			t.Errorf("%s at %d days: suppressed %v, estimate %v, n %v", r.Arm, r.T, r.Suppressed, fmtp(r.Estimate), r.N)
		}
	}
	if res.RelapseLogRank != nil {
		t.Errorf("a test between hidden arms: %+v", res.RelapseLogRank)
	}
}
