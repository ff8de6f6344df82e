package analytics

import (
	"math"
	"testing"
)

func TestDefaultLandmark(t *testing.T) {
	iv := func(days ...int) adjCase {
		var c adjCase
		for _, d := range days {
			c.ivs = append(c.ivs, adjIntervention{day: d, typ: LabourExpert})
		}
		return c
	}
	for _, c := range []struct {
		name  string
		cases []adjCase
		want  int
	}{
		// 75% started by day 30, so before day 31: the next whole week is 35.
		{"four starts", []adjCase{iv(10), iv(20), iv(30), iv(40)}, 35},
		// the first of a case counts, not its later ones
		{"first of a case", []adjCase{iv(10, 300), iv(20), iv(27), iv(90)}, 28},
		{"none", []adjCase{{}}, 7},
		// 364 → before day 365 → week 53 (day 365 itself is a configuration)
		{"second track", []adjCase{iv(330), iv(350), iv(364), iv(399)}, 371},
	} {
		if got := defaultLandmark(c.cases, LabourExpert); got != c.want {
			t.Errorf("%s: landmark %d, want %d", c.name, got, c.want)
		}
	}
}

// The Aalen–Johansen share back at the own employer, by hand: four cases,
// back on day 1, another ending on day 2, back on day 3, open on day 4.
// Day 1: 1/4 back; S = 3/4. Day 2: S = 3/4 · 2/3 = 1/2. Day 3: + 1/2 · 1/2,
// so 1/2 back, the median. Weights that are all doubled change nothing.
func TestArmCIF(t *testing.T) {
	for _, w := range []float64{1, 2} {
		var a armData
		a.add(3, true, false, w, 0)
		a.add(1, true, false, w, 1)
		a.add(4, false, false, w, 2)
		a.add(2, false, true, w, 3)
		a.sort()
		ts, cif := a.cif(nil)
		if len(ts) != 2 || ts[0] != 1 || ts[1] != 3 || math.Abs(cif[0]-0.25) > 1e-12 || math.Abs(cif[1]-0.5) > 1e-12 {
			t.Fatalf("weight %v: CIF %v at %v", w, cif, ts)
		}
		if m := cifMedian(ts, cif); m == nil || *m != 3 {
			t.Errorf("median %v, want 3", m)
		}
		if p := a.shareAt(ts, cif, 2); p == nil || *p != 25 {
			t.Errorf("share at day 2: %v, want 25", p)
		}
		if p := a.shareAt(ts, cif, 5); p != nil {
			t.Errorf("share at day 5 = %v: nobody was followed that long", *p)
		}
		// a resample that takes case 0 twice and case 1 not at all
		ts, cif = a.cif([]float64{2, 0, 1, 1})
		if cifMedian(ts, cif) == nil || *cifMedian(ts, cif) != 3 {
			t.Errorf("resample: CIF %v at %v", cif, ts)
		}
	}
}

// One provider too small to show: the shown provider with the fewest
// treated cases of that type and method is hidden too, so the small one's
// count cannot be worked out from the pooled row; other methods and types
// are left alone.
func TestHideComplementary(t *testing.T) {
	row := func(typ, prv, method string, treated int64) AdjustedEstimate {
		e := AdjustedEstimate{InterventionType: typ, Method: method, NTreated: ptr(treated), HazardRatio: ptr(1.2)}
		if prv != "" {
			e.Provider = ptr(prv)
		}
		return e
	}
	es := []AdjustedEstimate{
		row(LabourExpert, "", MethodCoxLandmark, 60),
		suppress(row(LabourExpert, "A", MethodCoxLandmark, 3), ReasonTooFewCases),
		row(LabourExpert, "B", MethodCoxLandmark, 20),
		row(LabourExpert, "C", MethodCoxLandmark, 37),
		row(LabourExpert, "B", MethodCoxTimeVarying, 20),
		row(Mediation, "D", MethodCoxLandmark, 8),
	}
	hideComplementary(es)
	for i, want := range []string{"", ReasonTooFewCases, ReasonComplementary, "", "", ""} {
		if es[i].Reason != want || es[i].Suppressed != (want != "") {
			t.Errorf("row %d: suppressed %v, reason %q; want %q", i, es[i].Suppressed, es[i].Reason, want)
		}
	}
	if es[2].NTreated != nil || es[2].HazardRatio != nil {
		t.Error("a complementary-hidden row keeps its numbers")
	}
}
