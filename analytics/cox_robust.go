package analytics

import (
	"maps"
	"slices"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// The robust (sandwich) variance of a Cox fit: the score residuals of each
// row and their sum per cluster, as R's coxph(..., robust = TRUE).

// sandwich is V (Σ_clusters s sᵀ) V with s the summed weighted score
// residuals of a cluster: R's robust variance (dfbeta residuals collapsed
// by cluster).
func sandwich(v *mat.SymDense, resid [][]float64, w []float64, cluster []int) *mat.SymDense {
	p := v.SymmetricDim()
	sums := map[int][]float64{}
	for i, r := range resid {
		k := i
		if cluster != nil {
			k = cluster[i]
		}
		s := sums[k]
		if s == nil {
			s = make([]float64, p)
			sums[k] = s
		}
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		for j := range p {
			s[j] += wi * r[j]
		}
	}
	meat := mat.NewSymDense(p, nil)
	// In cluster order: a map's order would change the last digit.
	for _, k := range slices.Sorted(maps.Keys(sums)) {
		meat.SymRankOne(meat, 1, mat.NewVecDense(p, sums[k]))
	}
	var vm, out mat.Dense
	vm.Mul(v, meat)
	out.Mul(&vm, v)
	res := mat.NewSymDense(p, nil)
	for i := range p {
		for j := i; j < p; j++ {
			res.SetSym(i, j, (out.At(i, j)+out.At(j, i))/2)
		}
	}
	return res
}

// residuals fills the score residuals of one stratum's rows: for a row at
// risk at event time t, −r_i Σ_k h_k (x_i − x̄_k); a row dying at t takes
// only the share (1 − k/d) of each step, and gains x_i − mean_k x̄_k. The
// event times came in descending order; cumulative sums over them in
// ascending order give each row's sum over the times in (start, stop].
func (c *coxCore) residuals(rows []int, times []eventTime, risk []float64, resid [][]float64) {
	p, d := c.p, c.d
	slices.Reverse(times)
	m := len(times)
	c0 := make([]float64, m+1)
	c1 := make([][]float64, m+1)
	c1[0] = make([]float64, p)
	for k, et := range times {
		c0[k+1] = c0[k] + et.h0
		c1[k+1] = make([]float64, p)
		for j := range p {
			c1[k+1][j] = c1[k][j] + et.h1[j]
		}
	}
	upto := func(t float64) int { // event times ≤ t
		return sort.Search(m, func(k int) bool { return times[k].t > t })
	}
	for _, i := range rows {
		hi, lo := upto(d.Stop[i]), upto(d.Start[i])
		r := make([]float64, p)
		for j := range p {
			r[j] = -risk[i] * (c.x[i][j]*(c0[hi]-c0[lo]) - (c1[hi][j] - c1[lo][j]))
		}
		if d.Event[i] {
			et := times[hi-1] // the event time at the row's stop
			for j := range p {
				r[j] += risk[i]*(c.x[i][j]*et.dh0-et.dh1[j]) + c.x[i][j] - et.xm[j]
			}
		}
		resid[i] = r
	}
}
