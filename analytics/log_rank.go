package analytics

import (
	"math"
	"slices"
)

// The log-rank test between strata (R survdiff, rho = 0), the Peto hazard
// ratio from the same sums, and the linear algebra and χ² tail they need.

// LogRank is the log-rank test of equal survival in the groups tested.
type LogRank struct {
	ChiSquare float64   `json:"chi_square"`
	DF        int       `json:"df"`
	P         float64   `json:"p_value"`
	Groups    []string  `json:"groups"` // the groups in the test, in order
	Observed  []float64 `json:"observed"`
	Expected  []float64 `json:"expected"`
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
