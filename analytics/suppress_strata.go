package analytics

import (
	"context"
	"slices"
	"strings"
)

// Small-group protection of curves, cohorts and arms: the strata of a total
// (see suppress.go for the statistics).

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
