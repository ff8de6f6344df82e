package datasets

// planPregnancies adds pregnancy leave (and sometimes pregnancy-related
// sickness before it) for women aged about 24–41.
func (p *person) planPregnancies(sp *spell, from, to day) {
	r := p.r
	const maxRate = 0.10
	t := float64(from)
	prevEnd := from - 1
	for {
		t += r.ExpFloat64() / maxRate * 365.25
		start := day(t)
		if start > to {
			return
		}
		if r.Float64()*maxRate >= pregnancyRate(p.ageAt(start)) {
			continue
		}
		if r.Float64() < 0.3 {
			rec := start - 2 - day(r.IntN(30))
			first := rec - 5 - day(r.IntN(50))
			if first > prevEnd+1 && first >= from {
				p.cases = append(p.cases, icase{first: first, rec: rec, typ: TypeSicknessPregnancy,
					reason: ReasonFullReturn, segs: []iseg{{first, 100}}})
			}
		}
		length := pregnancyLeave
		if r.Float64() < 0.04 {
			length += 28 // multiple birth: 20 weeks
		}
		c := icase{first: start, rec: start + day(length), typ: TypePregnancyLeave,
			reason: ReasonFullReturn, segs: []iseg{{start, 100}}}
		if sp.end < p.g.extract && c.rec > sp.end+1 {
			c.rec, c.reason = sp.end+1, ReasonEmploymentEnded
		}
		p.cases = append(p.cases, c)
		prevEnd = c.rec
		t = float64(c.rec + 300)
	}
}

func pregnancyRate(age float64) float64 {
	switch {
	case age < 24 || age >= 42:
		return 0
	case age < 27:
		return 0.04
	case age < 35:
		return 0.10
	case age < 39:
		return 0.05
	default:
		return 0.015
	}
}
