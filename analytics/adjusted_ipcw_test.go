package analytics

import (
	"math"
	"testing"
)

// Breslow's cumulative baseline hazard by hand: stops 1, 2, 2, 3 with
// events at 1, one of the 2s and 3. Without coefficients (Nelson–Aalen):
// 1/4, + 1/3, + 1/1. With β = log 2 on x = 1, 0, 0, 1 the risk sets weigh
// 6, 4 and 2: 1/6, + 1/4, + 1/2.
func TestBreslow(t *testing.T) {
	d := CoxData{Stop: []float64{1, 2, 2, 3}, Event: []bool{true, true, false, true}, X: [][]float64{{1}, {0}, {0}, {1}}}
	for _, c := range []struct {
		beta []float64
		want []float64
	}{
		{nil, []float64{1.0 / 4, 1.0/4 + 1.0/3, 1.0/4 + 1.0/3 + 1}},
		{[]float64{math.Ln2}, []float64{1.0 / 6, 1.0/6 + 1.0/4, 1.0/6 + 1.0/4 + 1.0/2}},
	} {
		times, cum := breslow(d, c.beta)
		if len(times) != 3 || times[0] != 1 || times[1] != 2 || times[2] != 3 {
			t.Fatalf("beta %v: times %v", c.beta, times)
		}
		for k := range cum {
			if math.Abs(cum[k]-c.want[k]) > 1e-12 {
				t.Errorf("beta %v: cumulative hazard %v, want %v", c.beta, cum, c.want)
				break
			}
		}
	}
}

// The censoring weights: the pieces of a control cover (0, t] without gap;
// controls more likely to get help (x = 1) weigh more the longer they have
// gone without it, the others less; treated cases get none; without any
// help after L every weight is 1.
func TestCensoringWeights(t *testing.T) {
	var ts []int
	var helped, treated []bool
	var x [][]float64
	for i := range 400 {
		hi := i%2 == 0
		t := 5 + i%37
		h := i%5 == 0 || (hi && i%3 == 0) // help comes more often to x = 1
		ts, helped, treated, x = append(ts, t), append(helped, h), append(treated, i%7 == 0), append(x, []float64{b2f(hi)})
	}
	for i := range treated {
		if treated[i] {
			helped[i] = false
		}
	}
	cw, err := censoringWeights(ts, helped, treated, x)
	if err != nil {
		t.Fatal(err)
	}
	var lastHi, lastLo float64
	for i, pcs := range cw {
		if treated[i] {
			if pcs != nil {
				t.Fatalf("treated case %d has pieces %v", i, pcs)
			}
			continue
		}
		from := 0.0
		for _, p := range pcs {
			if p.from != from || p.to <= p.from || p.w <= 0 {
				t.Fatalf("case %d (t %d): pieces %v", i, ts[i], pcs)
			}
			from = p.to
		}
		if from != float64(ts[i]) {
			t.Fatalf("case %d: pieces end at %v, not %d", i, from, ts[i])
		}
		if ts[i] == 41 { // the longest follow-up
			if x[i][0] == 1 {
				lastHi = pcs[len(pcs)-1].w
			} else {
				lastLo = pcs[len(pcs)-1].w
			}
		}
	}
	if !(lastHi > 1 && lastLo < 1) {
		t.Errorf("last weights: %.3f with more help (want > 1), %.3f with less (want < 1)", lastHi, lastLo)
	}
	cw, err = censoringWeights(ts, make([]bool, len(ts)), treated, x)
	if err != nil {
		t.Fatal(err)
	}
	for i, pcs := range cw {
		if !treated[i] && (len(pcs) != 1 || pcs[0].w != 1 || pcs[0].to != float64(ts[i])) {
			t.Fatalf("no help: case %d has pieces %v", i, pcs)
		}
	}
}
