package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// The one aggregate query behind every curve: events and censorings per
// stratum and time (sql/tallies.sql), read into strata.

// tally is the number of events (d) and censorings (c) at time t.
type tally struct {
	t    int
	d, c int64
}

// stratum is the raw material of one curve: which grouping set and key it
// belongs to, how many employees and cases it holds, and its tallies in time
// order.
type stratum struct {
	set        int
	keys       []string
	emp, cases int64
	extra      []sql.NullFloat64
	tallies    []tally
}

func (s *stratum) key() string { return strings.Join(s.keys, keySep) }

func (s *stratum) n() int64 {
	var n int64
	for _, x := range s.tallies {
		n += x.d + x.c
	}
	return n
}

// survivalTallies runs the one aggregate query behind every curve
// (sql/tallies.sql). with are the CTEs of the figure, rendered with the
// parameters p, ending in "obs" with the key columns cols, emp, fsd, an
// integer time t and a boolean ev (event rather than censoring). For each
// grouping set (a subset of cols) it returns one stratum per combination of
// values: the events and censorings per time, the distinct employees, the
// cases (casesExpr, e.g. count(*)) and any extra aggregates.
func survivalTallies(ctx context.Context, q Querier, with sqlText, p params, cols []string, sets [][]string, casesExpr sqlText, extra []sqlText) ([]*stratum, error) {
	query, setOf := talliesQuery(with, p, cols, sets, casesExpr, extra)
	rows, err := query.run(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byKey := map[string]*stratum{}
	var out []*stratum
	for rows.Next() {
		var part, g int
		var t sql.NullInt64
		var a, b int64
		keys := make([]sql.NullString, len(cols))
		ex := make([]sql.NullFloat64, len(extra))
		dest := []any{&part, &g}
		for i := range keys {
			dest = append(dest, &keys[i])
		}
		dest = append(dest, &t, &a, &b)
		for i := range ex {
			dest = append(dest, &ex[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		set, ok := setOf[g]
		if !ok {
			return nil, fmt.Errorf("unexpected grouping id %d", g)
		}
		var kv []string
		for i, c := range cols {
			if slices.Contains(sets[set], c) {
				kv = append(kv, keys[i].String)
			}
		}
		id := fmt.Sprint(set) + "|" + strings.Join(kv, keySep)
		s := byKey[id]
		if s == nil {
			s = &stratum{set: set, keys: kv}
			byKey[id] = s
			out = append(out, s)
		}
		if part == 0 {
			s.tallies = append(s.tallies, tally{int(t.Int64), a, b})
		} else {
			s.emp, s.cases, s.extra = a, b, ex
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, s := range out {
		slices.SortFunc(s.tallies, func(x, y tally) int { return x.t - y.t })
	}
	return out, nil
}

// splitTotal separates the stratum of grouping set 0 (the total, no keys)
// from those of set 1. A total without any case is an empty stratum.
func splitTotal(all []*stratum) (total *stratum, groups []*stratum) {
	total = &stratum{}
	for _, s := range all {
		if s.set == 0 {
			total = s
		} else {
			groups = append(groups, s)
		}
	}
	return total, groups
}

func sortStrata(groups []*stratum, d Dimension) {
	less := d.order()
	slices.SortFunc(groups, func(a, b *stratum) int {
		for i := range a.keys {
			if c := less(a.keys[i], b.keys[i]); c != 0 {
				return c
			}
		}
		return 0
	})
}

// talliesQuery renders sql/tallies.sql; setOf maps a GROUPING() id to the
// index of its grouping set.
func talliesQuery(with sqlText, p params, cols []string, sets [][]string, casesExpr sqlText, extra []sqlText) (Query, map[int]int) {
	mask := func(set []string) int {
		m := 0
		for i, c := range cols {
			if !slices.Contains(set, c) {
				m |= 1 << (len(cols) - 1 - i)
			}
		}
		return m
	}
	setOf := map[int]int{}
	var gsT, gsS []string
	for i, s := range sets {
		setOf[mask(s)] = i
		gsT = append(gsT, "("+strings.Join(append(slices.Clone(s), "t"), ", ")+")")
		gsS = append(gsS, "("+strings.Join(s, ", ")+")")
	}
	gid, keySel := "0", ""
	if len(cols) > 0 {
		gid = "GROUPING(" + strings.Join(cols, ", ") + ")"
		keySel = strings.Join(cols, ", ") + ", "
	}
	nulls, extras := "", ""
	for _, e := range extra {
		nulls += ", NULL::DOUBLE"
		extras += ", (" + string(e) + ")::DOUBLE"
	}
	return render("tallies", struct{ With, Gid, Keys, Nulls, TimeSets, Cases, Extras, Sets sqlText }{
		with, sqlText(gid), sqlText(keySel), sqlText(nulls), sqlText(strings.Join(gsT, ", ")), casesExpr, sqlText(extras), sqlText(strings.Join(gsS, ", "))}, p), setOf
}
