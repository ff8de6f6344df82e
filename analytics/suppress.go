package analytics

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// Small-group protection.
//
// A cell (a group, a filtered total, a series point) is small when it has
// fewer than Options.MinEmployees employees or fewer than Options.MinCases
// sickness cases with a sick day in its period. A small cell is suppressed:
// it keeps its key and loses every figure (nil, never zero).
//
// Complementary suppression: the groups of one breakdown partition their
// total, so a single suppressed group could be worked out as the total minus
// the visible groups. Whenever a breakdown suppresses any group, it also
// suppresses the next-smallest visible groups until at least two are
// suppressed and the suppressed groups together reach both thresholds.
// Teams are judged within their department, and a team of a suppressed
// department is suppressed.
//
// Filters are breakdowns too: restricting a dimension to some values shows
// their combined figures, and "everything" minus that is the rest. So a
// filtered result is shown only when every selected value would be visible in
// the breakdown of that dimension (under the other restrictions), and, for
// each group of a breakdown under a filter, the same holds within that group.
// A result over a suppressed total shows no groups.
//
// Not covered: arbitrary overlapping periods can still be differenced (every
// period is a legitimate query), and linked tables across two dimensions are
// protected per dimension, not by a global cell-suppression optimisation.

type thresholds struct{ emp, cases int64 }

func thresholdsOf(opt Options) thresholds {
	return thresholds{int64(opt.MinEmployees), int64(opt.MinCases)}
}

func (th thresholds) small(emp, cases int64) bool { return emp < th.emp || cases < th.cases }

// cell is the size of one group of a breakdown.
type cell struct {
	key        string
	emp, cases int64
}

// suppressSiblings returns the keys to suppress among cells that together
// make up one visible total. overlapping says the cells can share employees
// and cases (periods of a series), so the size of a union is only known to be
// at least its largest member; otherwise it is the sum.
func suppressSiblings(cells []cell, th thresholds, overlapping bool) map[string]bool {
	out := map[string]bool{}
	var emp, cases int64
	add := func(c cell) {
		out[c.key] = true
		if overlapping {
			emp, cases = max(emp, c.emp), max(cases, c.cases)
		} else {
			emp, cases = emp+c.emp, cases+c.cases
		}
	}
	for _, c := range cells {
		if th.small(c.emp, c.cases) {
			add(c)
		}
	}
	visible := slices.DeleteFunc(slices.Clone(cells), func(c cell) bool { return out[c.key] })
	slices.SortFunc(visible, func(a, b cell) int {
		return cmp.Or(cmp.Compare(a.emp, b.emp), cmp.Compare(a.cases, b.cases), strings.Compare(a.key, b.key))
	})
	for len(out) > 0 && (len(out) < 2 || th.small(emp, cases)) && len(visible) > 0 {
		add(visible[0])
		visible = visible[1:]
	}
	return out
}

// orgVisibility judges departments among departments and teams within their
// department. teams are keyed "department\x00team".
func orgVisibility(depts, teams []cell, th thresholds) map[string]bool {
	vis := map[string]bool{}
	hidden := suppressSiblings(depts, th, false)
	for _, d := range depts {
		vis[d.key] = !hidden[d.key]
	}
	byDept := map[string][]cell{}
	for _, t := range teams {
		dept, _, _ := strings.Cut(t.key, keySep)
		byDept[dept] = append(byDept[dept], t)
	}
	for dept, ts := range byDept {
		hidden := suppressSiblings(ts, th, false)
		for _, t := range ts {
			vis[t.key] = vis[dept] && !hidden[t.key]
		}
	}
	return vis
}

type visResult struct {
	total  bool
	groups map[string]bool
}

// visibility decides which rows of a KPI result may be shown.
func visibility(ctx context.Context, q Querier, f Filter, opt Options, dims []Dimension, raw rawResult) (visResult, error) {
	th := thresholdsOf(opt)
	res := visResult{total: !th.small(raw.total.employees, raw.total.cases), groups: map[string]bool{}}
	for k := range numFamilies {
		if !f.restricted(k) || !res.total {
			continue
		}
		vis, err := familyVisibility(ctx, q, f.without(k), k, nil, th)
		if err != nil {
			return res, err
		}
		res.total = allSelectedVisible(f, k, vis[""])
	}
	if len(dims) == 0 {
		return res, nil
	}
	d := dims[0]
	for _, r := range raw.groups {
		res.groups[r.key()] = res.total
	}
	if !res.total {
		return res, nil
	}
	// The groups among all groups of d (under the other restrictions).
	base, err := baseVisibility(ctx, q, f, d, raw, th)
	if err != nil {
		return res, err
	}
	// (With team units selected, a department group holds only those teams;
	// they are all visible, or the total would have been suppressed.)
	for _, r := range raw.groups {
		res.groups[r.key()] = base[""][r.key()]
	}
	// Within each group, the selected values of every other restricted family.
	for k := range numFamilies {
		if !f.restricted(k) || k == d.family() {
			continue
		}
		within, err := familyVisibility(ctx, q, f.without(k), k, d.cols(), th)
		if err != nil {
			return res, err
		}
		for _, r := range raw.groups {
			key := r.key()
			res.groups[key] = res.groups[key] && allSelectedVisible(f, k, within[key])
		}
	}
	return res, nil
}

// baseVisibility judges the groups of d among each other. When the filter
// leaves d's dimension free and d has no hierarchy, the KPI query already
// counted exactly what familyVisibility would count, so its rows are used.
func baseVisibility(ctx context.Context, q Querier, f Filter, d Dimension, raw rawResult, th thresholds) (map[string]map[string]bool, error) {
	if f.restricted(d.family()) || d == ByTeam {
		return familyVisibility(ctx, q, f.without(d.family()), d.family(), nil, th)
	}
	var cs []cell
	for _, r := range raw.groups {
		if r.employees > 0 { // groups with only cases are not cells
			cs = append(cs, cell{r.key(), r.employees, r.cases})
		}
	}
	hidden := suppressSiblings(cs, th, false)
	vis := map[string]bool{}
	for _, c := range cs {
		vis[c.key] = !hidden[c.key]
	}
	return map[string]map[string]bool{"": vis}, nil
}

// allSelectedVisible: every value family k is restricted to is visible. A
// value without data has nothing to hide.
func allSelectedVisible(f Filter, k family, vis map[string]bool) bool {
	for _, v := range f.selected(k) {
		if ok, exists := vis[v]; exists && !ok {
			return false
		}
	}
	return true
}

// familyVisibility computes, under filter f (which does not restrict family
// k), the visibility of every value of family k, separately within each
// group of the columns within (nil: one group ""). Values are keyed like
// Filter.selected keys them.
func familyVisibility(ctx context.Context, q Querier, f Filter, k family, within []string, th thresholds) (map[string]map[string]bool, error) {
	var sets [][]string
	if k == famOrg {
		sets = [][]string{append(slices.Clone(within), "dept"), append(slices.Clone(within), "dept", "team")}
	} else {
		sets = [][]string{append(slices.Clone(within), familyDim(k).cols()...)}
	}
	counts, err := cellCounts(ctx, q, f, sets)
	if err != nil {
		return nil, err
	}
	n := len(within)
	split := func(rows []countRow) map[string][]cell {
		out := map[string][]cell{}
		for _, r := range rows {
			g := strings.Join(r.keys[:n], keySep)
			out[g] = append(out[g], cell{strings.Join(r.keys[n:], keySep), r.emp, r.cases})
		}
		return out
	}
	out := map[string]map[string]bool{}
	if k == famOrg {
		depts, teams := split(counts[0]), split(counts[1])
		for g, ds := range depts {
			out[g] = orgVisibility(ds, teams[g], th)
		}
		return out, nil
	}
	for g, cs := range split(counts[0]) {
		hidden := suppressSiblings(cs, th, false)
		vis := map[string]bool{}
		for _, c := range cs {
			vis[c.key] = !hidden[c.key]
		}
		out[g] = vis
	}
	return out, nil
}

func familyDim(k family) Dimension {
	return [...]Dimension{ByDepartment, ByLocation, ByAgeBand, ByGender, ByHoursBand, ByTenureBand, ByEmployer}[k]
}

type countRow struct {
	keys       []string
	emp, cases int64
}

// cellCounts counts, for each set of piece columns, the employees with an
// employed day in the period and the sickness cases with a sick employed day
// in it, per combination of values.
func cellCounts(ctx context.Context, q Querier, f Filter, sets [][]string) ([][]countRow, error) {
	var all []string
	for _, s := range sets {
		for _, c := range s {
			if !slices.Contains(all, c) {
				all = append(all, c)
			}
		}
	}
	n := needsCols(f, all)
	w := 0
	for _, s := range sets {
		w = max(w, len(s))
	}
	keyCols := func(s []string, prefix string) string {
		out := make([]string, w)
		for i := range w {
			if i < len(s) {
				out[i] = fmt.Sprintf("%s%s AS k%d", prefix, s[i], i+1)
			} else {
				out[i] = fmt.Sprintf("NULL::VARCHAR AS k%d", i+1)
			}
		}
		return strings.Join(out, ", ")
	}
	keys := make([]sqlText, len(sets))
	for i, s := range sets {
		keys[i] = sqlText(keyCols(s, ""))
	}
	var on []string
	for i := range w {
		on = append(on, fmt.Sprintf("cc.k%[1]d IS NOT DISTINCT FROM ce.k%[1]d", i+1))
	}
	ks := make([]string, w)
	for i := range w {
		ks[i] = fmt.Sprintf("ce.k%d", i+1)
	}
	p := params{}.period(f)
	query := render("group_sizes", struct {
		Pieces                         piecesData
		Filter, Cols, EdCols, Keys, On sqlText
		Sets                           []sqlText
	}{pieces(p, n), f.predicate(p, numFamilies), sqlText(strings.Join(all, ", ")), sqlText("ed." + strings.Join(all, ", ed.")),
		sqlText(strings.Join(ks, ", ")), sqlText(strings.Join(on, " AND ")), keys}, p)
	rows, err := query.run(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("analytics: group sizes: %w", err)
	}
	defer rows.Close()
	out := make([][]countRow, len(sets))
	for rows.Next() {
		var set int
		keys := make([]sql.NullString, w)
		var r countRow
		dest := []any{&set}
		for i := range keys {
			dest = append(dest, &keys[i])
		}
		dest = append(dest, &r.emp, &r.cases)
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("analytics: group sizes: %w", err)
		}
		for i := range len(sets[set]) {
			r.keys = append(r.keys, keys[i].String)
		}
		out[set] = append(out[set], r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("analytics: group sizes: %w", err)
	}
	return out, nil
}
