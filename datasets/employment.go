package datasets

import "slices"

// Employment: which department and hours a person gets, the contract rows of
// a spell of employment with its changes, and the end of a spell.

func (p *person) pickDept() int {
	u := p.r.Float64() * p.g.deptCum[len(p.g.deptCum)-1]
	i, _ := slices.BinarySearch(p.g.deptCum, u)
	return min(i, len(departments)-1)
}

func (p *person) pickHours(d *department) float64 {
	hs, ws := hours40, hours40Men
	switch {
	case d.fulltime == 36 && p.female:
		hs, ws = hours36, hours36Women
	case d.fulltime == 36:
		hs, ws = hours36, hours36Men
	case p.female:
		ws = hours40Women
	}
	return hs[pickWeighted(p.r, ws)]
}

// addRows lays out the contract periods of one spell: a first row, then a new
// row at every change of hours, team or department.
func (p *person) addRows(sp *spell, dept int) {
	g, r := p.g, p.r
	d := &departments[dept]
	row := irow{start: sp.start, end: sp.end, dept: dept, team: r.IntN(len(d.teams)), loc: d.location[0], hours: p.pickHours(d)}
	if len(d.location) > 1 && r.Float64() < 0.4 {
		row.loc = d.location[r.IntN(len(d.location))]
	}
	t := float64(max(sp.start, g.simStart))
	for {
		t += 1 + r.ExpFloat64()/changePerYear*365.25
		c := day(t)
		if c > sp.end || c > g.extract {
			break
		}
		next := row
		next.start = c
		row.end = c - 1
		p.rows = append(p.rows, row)
		switch u := r.Float64(); {
		case u < 0.6:
			for next.hours == row.hours {
				next.hours = p.pickHours(&departments[next.dept])
			}
		case u < 0.8:
			nd := &departments[next.dept]
			next.team = r.IntN(len(nd.teams))
		default:
			next.dept = p.pickDept()
			nd := &departments[next.dept]
			next.team = r.IntN(len(nd.teams))
			if !slices.Contains(nd.location, next.loc) {
				next.loc = nd.location[0]
			}
			next.hours = p.pickHours(nd)
		}
		row = next
	}
	p.rows = append(p.rows, row)
}

// endSpell makes last the last day employed of the spell and its rows.
func (p *person) endSpell(sp *spell, last day) {
	sp.end = last
	kept := p.rows[:0]
	for _, row := range p.rows {
		if row.start > last {
			continue
		}
		if row.end > last {
			row.end = last
		}
		kept = append(kept, row)
	}
	p.rows = kept
}
