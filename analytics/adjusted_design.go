package analytics

import (
	"math"
	"slices"
)

// minLevelCases: a department or age band with fewer cases in a model is
// merged into the reference level, so that no indicator rests on a handful
// of cases (and the propensity model cannot separate on it).
const minLevelCases = 10

// covariates is the design matrix of the cases at day d of their case: the
// absence percentage on day d (for a landmark; d = 0 leaves it out, as the
// partial start says the same), whether the case began partial, the
// part-time factor, the sick reports in the year before, and indicators of
// the department and the age band (the most frequent level is the
// reference). Columns without variation, or that other columns (with the intercept)
// determine, are left out: in a model they would make it singular.
func covariates(set []*adjCase, d int) (names []string, x [][]float64) {
	var cols [][]float64
	add := func(name string, f func(c *adjCase) float64) {
		col := make([]float64, len(set))
		for i, c := range set {
			col[i] = f(c)
		}
		if slices.Min(col) == slices.Max(col) {
			return
		}
		names = append(names, name)
		cols = append(cols, col)
	}
	if d > 0 {
		add("absence_pct", func(c *adjCase) float64 { return c.absentPct(d) })
	}
	add("partial_start", func(c *adjCase) float64 { return b2f(c.partialStart()) })
	add("part_time_factor", func(c *adjCase) float64 { return c.ptf })
	add("prior_sick_reports", func(c *adjCase) float64 { return float64(c.prior) })
	for _, dim := range []struct {
		name string
		of   func(c *adjCase) string
	}{{"department", func(c *adjCase) string { return c.dept }}, {"age_band", func(c *adjCase) string { return c.ageBand }}} {
		count := map[string]int{}
		for _, c := range set {
			count[dim.of(c)]++
		}
		var levels []string
		for l := range count {
			levels = append(levels, l)
		}
		slices.Sort(levels)
		ref := ""
		for _, l := range levels {
			if ref == "" || count[l] > count[ref] {
				ref = l
			}
		}
		for _, l := range levels {
			if l != ref && count[l] >= minLevelCases && len(set)-count[l] >= minLevelCases {
				add(covariateKey(dim.name, l), func(c *adjCase) float64 { return b2f(dim.of(c) == l) })
			}
		}
	}
	names, cols = independent(names, cols)
	x = make([][]float64, len(set))
	for i := range set {
		x[i] = make([]float64, len(cols))
		for j := range cols {
			x[i][j] = cols[j][i]
		}
	}
	return names, x
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// independent keeps the columns that are not (nearly) a linear combination
// of the intercept and the columns kept before them (Gram–Schmidt on the
// centred columns).
func independent(names []string, cols [][]float64) ([]string, [][]float64) {
	var keptNames []string
	var kept, basis [][]float64
	for j, col := range cols {
		r := slices.Clone(col)
		mean := 0.0
		for _, v := range r {
			mean += v / float64(len(r))
		}
		norm0 := 0.0
		for i := range r {
			r[i] -= mean
			norm0 += r[i] * r[i]
		}
		for _, q := range basis {
			dot := 0.0
			for i := range r {
				dot += r[i] * q[i]
			}
			for i := range r {
				r[i] -= dot * q[i]
			}
		}
		norm := 0.0
		for _, v := range r {
			norm += v * v
		}
		if norm <= 1e-8*norm0 || norm0 == 0 {
			continue
		}
		for i := range r {
			r[i] /= math.Sqrt(norm)
		}
		basis = append(basis, r)
		kept, keptNames = append(kept, col), append(keptNames, names[j])
	}
	return keptNames, kept
}
