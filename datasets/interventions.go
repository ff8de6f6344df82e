package datasets

import (
	"math"
	"slices"
)

// interventions adds the occupational-health interventions of a case. dur is
// the planned length; only interventions starting before the case ends (and
// by the extract date) are kept.
func (p *person) interventions(c *icase, dur int, early, open bool) {
	r, g := p.r, p.g
	c.ivs = c.ivs[:0]
	limit := c.rec // starts must fall before this day
	if open {
		limit = g.extract + 1
	}
	elapsed := int(limit - c.first)
	add := func(t, off, sessions, span int, costPer float64) *iiv {
		if off >= elapsed || sessions <= 0 {
			return nil
		}
		prov := providers[t]
		iv := iiv{typ: t, provider: prov[r.IntN(len(prov))], start: c.first + day(off), sessions: sessions, outcome: "completed"}
		iv.end = iv.start + day(span)
		iv.cost = math.Round(float64(sessions)*costPer*100) / 100
		c.ivs = append(c.ivs, iv)
		return &c.ivs[len(c.ivs)-1]
	}
	// Cases without an early intervention get nothing before week 6, so the
	// effect of early intervention is measurable against comparable cases.
	minStart := 42
	if early {
		minStart = 14
		s := 1 + r.IntN(2)
		add(ivTalk, 14+r.IntN(min(28, dur-14)), s, 14*(s-1), 150+125*r.Float64())
	} else if dur > 42 && r.Float64() < 0.6 {
		s := 1 + r.IntN(2)
		add(ivTalk, 42+r.IntN(28), s, 14*(s-1), 150+125*r.Float64())
	}
	if dur > 42 && r.Float64() < 0.3 {
		s := 6 + r.IntN(7)
		iv := add(ivPsych, max(minStart, 21)+r.IntN(60), s, s*(7+r.IntN(8)), 95+40*r.Float64())
		if done := 2 + r.IntN(4); iv != nil && r.Float64() < 0.15 && iv.start+day(done*10) <= g.extract {
			iv.outcome = "stopped"
			iv.sessions = done
			iv.end = iv.start + day(done*10)
			iv.cost = math.Round(float64(done)*(iv.cost/float64(s))*100) / 100
		}
	}
	if dur > 90 && r.Float64() < 0.45 {
		s := 1 + r.IntN(3)
		add(ivLabour, 56+r.IntN(min(125, dur-56)), s, 7+r.IntN(36), (650+800*r.Float64())/float64(s))
	}
	if dur > 42 && r.Float64() < 0.05 {
		s := 2 + r.IntN(4)
		add(ivMediate, max(minStart, 28)+r.IntN(80), s, 7*s, 160+60*r.Float64())
	}
	if dur > 400 && (c.reason == ReasonSecondTrack || r.Float64() < 0.7) {
		s := 8 + r.IntN(17)
		off := 330 + r.IntN(70)
		span := 120 + r.IntN(245)
		if c.reason == ReasonSecondTrack {
			span = min(span, dur-off)
		}
		iv := add(ivSecond, off, s, span, (2500+3000*r.Float64())/float64(s))
		if iv != nil && !open && c.reason != ReasonSecondTrack && iv.end >= c.rec {
			iv.outcome = "stopped"
			iv.end = c.rec - 1
		}
	}
	returned := c.reason == ReasonFullReturn || c.reason == ReasonAdaptedOwnWork || c.reason == ReasonOtherWork
	if !open && dur > 42 && returned && r.Float64() < 0.5 {
		add(ivReturn, max(elapsed-1-r.IntN(14), minStart), 1, 0, 95+60*r.Float64())
	}
	for k := range c.ivs {
		iv := &c.ivs[k]
		if iv.end > g.extract {
			iv.end, iv.outcome = -1, "ongoing"
		}
		iv.payer = payerOf(iv.typ, iv.start)
	}
	slices.SortStableFunc(c.ivs, func(a, b iiv) int { return int(a.start - b.start) })
}

func (c *icase) hasIntervention(t int) bool {
	for _, iv := range c.ivs {
		if iv.typ == t {
			return true
		}
	}
	return false
}

// payerOf is who bore an intervention's cost: mostly the employer; the
// health insurer for some psychological care, an ERD insurer (eigenrisico-
// drager) for some labour-expert and second-track work, and not recorded
// for one in seven. It follows from the type and start day alone, drawing
// no random number, so the rest of the organisation is the same with or
// without the column.
func payerOf(t int, start day) string {
	n := int(start)
	switch {
	case n%7 == 0:
		return ""
	case t == ivPsych && n%3 == 0:
		return "zorgverzekeraar"
	case t == ivLabour && n%5 == 0:
		return "erd_zw"
	case t == ivSecond && n%3 == 0:
		return "erd_wga"
	}
	return "employer"
}
