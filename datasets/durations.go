package datasets

import (
	"math"
	"math/rand/v2"
)

// How long a case lasts, how it ends and how its absence percentage steps
// down (partial recovery).

// ageFactor: young employees report sick more often (drawClass makes their cases shorter).
func ageFactor(age float64) float64 {
	switch {
	case age < 30:
		return 1.15
	case age < 50:
		return 1.0
	default:
		return 0.92
	}
}

// drawClass picks the duration class: ≤7, 8–42, 43–365, >365 days; older
// employees have more long cases.
func drawClass(r *rand.Rand, age float64) int {
	long, vlong, mid := 0.095, 0.0105, 0.195
	switch {
	case age < 30:
		long, vlong = 0.065, 0.006
	case age >= 50:
		long, vlong = 0.13, 0.016
	}
	u := r.Float64()
	switch {
	case u < vlong:
		return 3
	case u < vlong+long:
		return 2
	case u < vlong+long+mid:
		return 1
	}
	return 0
}

var shortWeights = []float64{0.10, 0.17, 0.20, 0.17, 0.13, 0.10, 0.13}

// drawDuration returns the natural case length in days (recovery − first day)
// and whether the case runs the full 104 weeks to a WIA/IVA decision.
func drawDuration(r *rand.Rand, class int) (int, bool) {
	switch class {
	case 0:
		return 1 + pickWeighted(r, shortWeights), false
	case 1:
		return int(math.Exp(math.Log(8) + r.Float64()*math.Log(43.0/8))), false
	case 2:
		for {
			d := int(math.Exp(math.Log(70) + 0.75*r.NormFloat64()))
			if d >= 43 && d <= 365 {
				return d, false
			}
		}
	}
	if r.Float64() < 0.35 {
		return wiaDays, true
	}
	return 366 + r.IntN(wiaDays-366-20), false
}

// drawReason: the longer the case, the less often it ends in a plain return to own work.
func drawReason(r *rand.Rand, dur int) string {
	u := r.Float64()
	switch {
	case dur <= 7:
		if u < 0.98 {
			return ReasonFullReturn
		}
	case dur <= 42:
		switch {
		case u < 0.90:
			return ReasonFullReturn
		case u < 0.96:
			return ReasonAdaptedOwnWork
		}
	case dur <= 365:
		switch {
		case u < 0.70:
			return ReasonFullReturn
		case u < 0.85:
			return ReasonAdaptedOwnWork
		case u < 0.91:
			return ReasonOtherWork
		}
	default:
		switch {
		case u < 0.35:
			return ReasonFullReturn
		case u < 0.60:
			return ReasonAdaptedOwnWork
		case u < 0.75:
			return ReasonOtherWork
		case u < 0.95 && dur > 420:
			return ReasonSecondTrack
		}
	}
	return ReasonOther
}

// partial recovery schemes (absence % per step) for long cases.
var stepSchemes = [][]float64{
	{100, 50, 25},
	{100, 50},
	{100, 75, 50, 25},
	{100, 62.5, 25},
	{100, 75, 50},
}

// segments lays out the absence percentages over the natural length dur:
// about half of the cases past six weeks step down before full recovery.
func (p *person) segments(c *icase, dur int) {
	r := p.r
	c.segs = c.segs[:0]
	switch {
	case dur > 42 && r.Float64() < 0.5:
		scheme := stepSchemes[r.IntN(len(stepSchemes))]
		full := int(float64(dur) * (0.35 + 0.3*r.Float64()))
		full = max(full, 14)
		rest := dur - full
		steps := len(scheme) - 1
		c.segs = append(c.segs, iseg{c.first, 100})
		at := full
		for k := 1; k <= steps; k++ {
			c.segs = append(c.segs, iseg{c.first + day(at), scheme[k]})
			at += rest / steps
		}
	case dur > 14 && r.Float64() < 0.12:
		c.segs = append(c.segs, iseg{c.first, 100}, iseg{c.first + day(dur*2/3), 50})
	case r.Float64() < 0.03:
		c.segs = append(c.segs, iseg{c.first, 50}) // partly sick from day one
	default:
		c.segs = append(c.segs, iseg{c.first, 100})
	}
}

// trimSegments drops segments that start after the case ended or after the extract date.
func (c *icase) trimSegments(extract day) {
	n := 0
	for _, s := range c.segs {
		if s.from < c.rec && s.from <= extract {
			c.segs[n] = s
			n++
		}
	}
	c.segs = c.segs[:n]
}
