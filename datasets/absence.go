package datasets

import "slices"

// Sickness: the onset process of the cases of one spell of employment, with
// relapses after long cases and the employment ending after WIA or spoor 2.
// Every draw happens in a fixed order, so the same seed gives the same cases.

// maxAgeFactor bounds ageFactor, for thinning the onset process.
const maxAgeFactor = 1.15

// onsets is the state of the onset process of one spell: candidate onsets
// arrive at rateMax and are thinned by season and age; a relapse, when one
// is due, comes first.
type onsets struct {
	to      day     // last possible onset
	rateMax float64 // per day
	cursor  float64 // the next candidate comes after this day
	forced  day     // onset of a relapse when one is due, else -1
	blocks  []icase // pregnancy cases of the spell, sorted
}

// simulate generates the cases of one spell. It reports whether the person
// left because of the outcome of a long case (no rehire after that).
func (p *person) simulate(sp *spell, dept *department) (forcedLeave bool) {
	g := p.g
	from := max(sp.start, g.simStart)
	to := min(sp.end, g.extract)
	if from > to {
		return false
	}
	firstCase := len(p.cases)
	if p.female {
		p.planPregnancies(sp, from, to)
	}
	o := &onsets{to: to, cursor: float64(from), forced: -1, blocks: slices.Clone(p.cases[firstCase:]),
		rateMax: onsetPerYear / 365.25 * p.frail * dept.risk * g.seasonMax * maxAgeFactor}
	for {
		onset, relapse, nextBlock, ok := p.nextOnset(o)
		if !ok {
			break
		}
		c, dur, early := p.drawCase(sp, onset, relapse, nextBlock)
		if c.rec <= c.first {
			o.cursor = float64(nextBlock)
			continue
		}
		open := c.rec > g.extract
		if g.cfg.Effect == nil {
			p.interventions(&c, dur, early, open)
		}
		c.trimSegments(g.extract)
		p.cases = append(p.cases, c)
		if open {
			break
		}
		// WIA and a spoor 2 placement usually end the employment (not in the
		// warm-up: everyone generated must be employed inside the window).
		if c.rec > g.histStart && (c.reason == ReasonWIA && p.r.Float64() < 0.7 || c.reason == ReasonSecondTrack) {
			p.endSpell(sp, c.rec-1)
			forcedLeave = true
			break
		}
		p.afterCase(o, &c, dur)
	}
	if forcedLeave {
		// Drop pregnancy cases after the leave.
		kept := p.cases[:firstCase]
		for _, c := range p.cases[firstCase:] {
			if c.first <= sp.end {
				kept = append(kept, c)
			}
		}
		p.cases = kept
	}
	return forcedLeave
}

// nextOnset draws the next accepted onset up to o.to, skipping onsets at or
// next to a pregnancy case (at least one day at work between cases).
// nextBlock is the first day of the next pregnancy case (farFuture: none).
func (p *person) nextOnset(o *onsets) (onset day, relapse bool, nextBlock day, ok bool) {
	g, r := p.g, p.r
	for {
		relapse = o.forced >= 0
		if relapse {
			onset, o.forced = o.forced, -1
		} else {
			o.cursor += r.ExpFloat64() / o.rateMax
			onset = day(o.cursor)
			if onset > o.to {
				return 0, false, 0, false
			}
			accept := g.season[onset-g.simStart] / g.seasonMax * ageFactor(p.ageAt(onset)) / maxAgeFactor
			if r.Float64() >= accept {
				continue
			}
		}
		if onset > o.to {
			return 0, false, 0, false
		}
		nextBlock = farFuture
		blocked := false
		for _, b := range o.blocks {
			if onset >= b.first-1 && onset <= b.rec {
				o.cursor = float64(b.rec + 1)
				blocked = true
				break
			}
			if b.first > onset {
				nextBlock = min(nextBlock, b.first)
			}
		}
		if !blocked {
			return onset, relapse, nextBlock, true
		}
	}
}

// drawCase draws a case starting on onset: its type, length (shortened by an
// early intervention), end reason and segments, cut short by pregnancy leave
// starting on nextBlock or by the end of the spell. dur is its natural length.
func (p *person) drawCase(sp *spell, onset day, relapse bool, nextBlock day) (c icase, dur int, early bool) {
	g, r := p.g, p.r
	c = icase{first: onset, typ: TypeSickness}
	switch u := r.Float64(); {
	case u < 0.025:
		c.typ = TypeOther
	case u < 0.055:
		c.accident = true
	}
	if g.cfg.Effect != nil && c.typ == TypeSickness {
		dur = p.effectCase(&c)
		p.cutCase(&c, sp, nextBlock)
		c.ivs = slices.DeleteFunc(c.ivs, func(iv iiv) bool { return iv.start >= c.rec })
		return c, dur, false
	}
	class := drawClass(r, p.ageAt(onset))
	if relapse {
		class = min(class+1, 3) // a relapse tends to be longer
	}
	dur, wia := drawDuration(r, class)
	early = dur > 28 && !wia && r.Float64() < earlyShare
	if early {
		dur = 28 + int(float64(dur-28)*earlyEffect+0.5)
	}
	c.rec = onset + day(dur)
	c.reason = ReasonWIA
	if !wia {
		c.reason = drawReason(r, dur)
	}
	p.segments(&c, dur)
	p.cutCase(&c, sp, nextBlock)
	return c, dur, early
}

// cutCase ends a case when pregnancy leave starting on nextBlock is near, or
// when the spell of employment ends.
func (p *person) cutCase(c *icase, sp *spell, nextBlock day) {
	if c.rec > nextBlock-1 {
		c.rec, c.reason = nextBlock-1, ReasonOther
	}
	if sp.end < p.g.extract && c.rec > sp.end+1 {
		c.rec, c.reason = sp.end+1, ReasonEmploymentEnded
	}
}

// afterCase moves the onset process past a closed case. After a long case:
// a guided return, then either a relapse within four weeks (less likely
// after a return_talk) or the normal process from four weeks on.
func (p *person) afterCase(o *onsets, c *icase, dur int) {
	o.cursor = float64(c.rec + 1)
	if dur <= 42 || c.reason == ReasonEmploymentEnded || c.reason == ReasonOther {
		return
	}
	rel := relapseNoTalk
	if c.hasIntervention(ivReturn) {
		rel = relapseAfterTalk
	}
	if p.r.Float64() < rel {
		o.forced = c.rec + 1 + day(p.r.IntN(27))
	} else {
		o.cursor = float64(c.rec + 28)
	}
}
