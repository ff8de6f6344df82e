package datasets

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// This file recomputes the DOMAIN.md §2 metrics straight from the generated
// structs, independently of the generator's internals, so the calibration
// tests check what an analyst would measure.

func dayOf(t time.Time) int { return int(t.Unix() / 86400) }

// collect generates cfg's organisation and keeps every employee.
func collect(t testing.TB, cfg Config) []*Employee {
	t.Helper()
	var es []*Employee
	if err := Generate(cfg, func(e *Employee) error { es = append(es, e); return nil }); err != nil {
		t.Fatal(err)
	}
	return es
}

// lastFullYear is the last calendar year that ends on or before the extract date.
func lastFullYear(extract time.Time) int { return extract.AddDate(0, 0, 1).Year() - 1 }

type orgStats struct {
	zvp, zvpQ1, zvpQ3       float64 // %, calendar days, ptf weighted, excl. pregnancy leave
	frequency               float64 // new cases per average headcount per year
	zeroAbsence             float64 // % of employees employed in the year without a sick day
	frequentAbsentees       float64 // % of employees with >= 3 new cases in the year
	dispersion              float64 // variance / mean of new cases per full-year employee
	durShort, durMid        float64 // % of closed sickness cases with recovery in the year
	durLong, durExtraLong   float64
	closedSickness          int
	partialLong             float64 // % of closed cases > 42 days with more than one segment
	relapseLong             float64 // % of long cases followed by a new case within 28 days
	pregnancyLeaves         int     // started in the year
	pregnancyPerWomen       float64 // % of women aged 24–41 employed in the year
	sicknessPregnancy       int     // whole history
	hires, leavers          float64 // % of average headcount in the year
	avgHeadcount            float64
	multiRowShare           float64 // % of employees with more than one employment row
	partTimeShare           float64 // % of employment rows below full time
	departments, locations  int
	teams                   int
	week42                  float64 // % of avg headcount whose case reached week 42 in the year
	ivOnLongCases           float64 // % of interventions on cases lasting more than 28 days
	earlyMean, lateMean     float64 // mean duration of closed sickness cases 43–365 days with / without an intervention before week 6
	earlyN, lateN           int
	relapseTalk, relapseNo  float64 // relapse % after long cases with / without return_talk
	relapseTalkN, relapseNN int
}

func (s orgStats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ZVP %.2f%% (Q1 %.2f, Q3 %.2f), frequency %.2f, zero absence %.1f%%, ≥3 cases %.1f%%, var/mean %.2f\n",
		s.zvp, s.zvpQ1, s.zvpQ3, s.frequency, s.zeroAbsence, s.frequentAbsentees, s.dispersion)
	fmt.Fprintf(&b, "durations (n=%d): ≤7 %.1f%%, 8–42 %.1f%%, 43–365 %.1f%%, >365 %.1f%%\n",
		s.closedSickness, s.durShort, s.durMid, s.durLong, s.durExtraLong)
	fmt.Fprintf(&b, "partial recovery in long cases %.1f%%, relapse after long cases %.1f%% (with return_talk %.1f%% n=%d, without %.1f%% n=%d)\n",
		s.partialLong, s.relapseLong, s.relapseTalk, s.relapseTalkN, s.relapseNo, s.relapseNN)
	fmt.Fprintf(&b, "pregnancy leaves %d (%.1f%% of women 24–41), sickness_pregnancy %d, hires %.1f%%, leavers %.1f%%, avg headcount %.0f\n",
		s.pregnancyLeaves, s.pregnancyPerWomen, s.sicknessPregnancy, s.hires, s.leavers, s.avgHeadcount)
	fmt.Fprintf(&b, "multi-row employees %.1f%%, part-time rows %.1f%%, %d departments, %d teams, %d locations, week 42 %.2f%%\n",
		s.multiRowShare, s.partTimeShare, s.departments, s.teams, s.locations, s.week42)
	fmt.Fprintf(&b, "interventions on cases >28 d %.1f%%; mean duration 43–365 d cases: early intervention %.1f (n=%d), none early %.1f (n=%d)",
		s.ivOnLongCases, s.earlyMean, s.earlyN, s.lateMean, s.lateN)
	return b.String()
}

// caseEnd is the exclusive end of a case as an analyst sees it: the recovery
// date, or the day after the extract date while open.
func caseEnd(c *Case, extract int) int {
	if c.RecoveryDate.IsZero() {
		return extract + 1
	}
	return dayOf(c.RecoveryDate)
}

func empEnd(em *Employment, extract int) int { // inclusive
	if em.End.IsZero() {
		return extract
	}
	return dayOf(em.End)
}

func computeStats(es []*Employee, extractDate time.Time) orgStats {
	var s orgStats
	extract := dayOf(extractDate)
	year := lastFullYear(extractDate)
	ps := dayOf(time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC))
	pe := dayOf(time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC))
	nDays := pe - ps + 1
	q1End := dayOf(time.Date(year, 3, 31, 0, 0, 0, 0, time.UTC))
	q3Start := dayOf(time.Date(year, 7, 1, 0, 0, 0, 0, time.UTC))
	q3End := dayOf(time.Date(year, 9, 30, 0, 0, 0, 0, time.UTC))

	var num, den, numQ1, denQ1, numQ3, denQ3 float64
	var employedDays, newCases, employed, zero, frequent, fullYear int
	var sumN, sumN2 float64
	var durs [4]int
	var longClosed, longPartial, longRel, longRelN int
	var women, hires, leavers, multi, rows, partTime, week42 int
	var ivs, ivLong int
	var earlySum, lateSum float64
	var relTalk, relNo int
	depts, locs, teams := map[string]bool{}, map[string]bool{}, map[string]bool{}

	ptf := make([]float64, nDays) // per day of the year, 0 when not employed
	ao := make([]float64, nDays)
	for _, e := range es {
		clear(ptf)
		clear(ao)
		days := 0
		if len(e.Employments) > 1 {
			multi++
		}
		for i := range e.Employments {
			em := &e.Employments[i]
			rows++
			if em.ContractHours < em.FulltimeHours {
				partTime++
			}
			depts[em.Department], locs[em.Location], teams[em.Department+"/"+em.Team] = true, true, true
			a, b := max(dayOf(em.Start), ps), min(empEnd(em, extract), pe)
			for d := a; d <= b; d++ {
				ptf[d-ps] = em.ContractHours / em.FulltimeHours
				days++
			}
			// A hire is a row not preceded by the day before; a leaver a row not followed by the next day.
			if st := dayOf(em.Start); st >= ps && st <= pe && (i == 0 || empEnd(&e.Employments[i-1], extract) != st-1) {
				hires++
			}
			if !em.End.IsZero() && dayOf(em.End) >= ps && dayOf(em.End) <= pe &&
				(i == len(e.Employments)-1 || dayOf(e.Employments[i+1].Start) != dayOf(em.End)+1) {
				leavers++
			}
		}
		employedDays += days
		if days == 0 {
			continue
		}
		employed++
		age := float64(ps-dayOf(e.BirthDate)) / 365.25
		if e.Gender == "F" && age >= 23 && age <= 41 {
			women++
		}
		n := 0
		for k := range e.Cases {
			c := &e.Cases[k]
			first, end := dayOf(c.FirstSickDay), caseEnd(c, extract)
			if c.Type == TypeSicknessPregnancy {
				s.sicknessPregnancy++
			}
			if c.Type == TypePregnancyLeave {
				if first >= ps && first <= pe {
					s.pregnancyLeaves++
				}
				continue
			}
			if first >= ps && first <= pe {
				n++
			}
			if first+294 >= ps && first+294 <= pe && end > first+294 {
				week42++
			}
			for j, seg := range c.Segments {
				to := end
				if j+1 < len(c.Segments) {
					to = dayOf(c.Segments[j+1].From)
				}
				for d := max(dayOf(seg.From), ps); d < min(to, pe+1); d++ {
					ao[d-ps] = seg.AbsencePct / 100
				}
			}
			if c.Type != TypeSickness || c.RecoveryDate.IsZero() {
				continue
			}
			dur := end - first
			if end >= ps && end <= pe {
				switch {
				case dur <= 7:
					durs[0]++
				case dur <= 42:
					durs[1]++
				case dur <= 365:
					durs[2]++
				default:
					durs[3]++
				}
			}
			if dur <= 42 {
				continue
			}
			longClosed++
			if len(c.Segments) > 1 {
				longPartial++
			}
			returned := c.EndReason == ReasonFullReturn || c.EndReason == ReasonAdaptedOwnWork || c.EndReason == ReasonOtherWork
			if returned && end+28 <= extract {
				talk, early := false, false
				for _, iv := range e.Interventions {
					st := dayOf(iv.Start)
					if st >= first && st < end {
						talk = talk || iv.Type == "return_talk"
						early = early || st-first < 42
					}
				}
				rel := k+1 < len(e.Cases) && dayOf(e.Cases[k+1].FirstSickDay) < end+28
				longRelN++
				if talk {
					s.relapseTalkN++
				} else {
					s.relapseNN++
				}
				if rel {
					longRel++
					if talk {
						relTalk++
					} else {
						relNo++
					}
				}
				if dur <= 365 {
					if early {
						earlySum += float64(dur)
						s.earlyN++
					} else {
						lateSum += float64(dur)
						s.lateN++
					}
				}
			}
		}
		for _, iv := range e.Interventions {
			st := dayOf(iv.Start)
			for k := range e.Cases {
				c := &e.Cases[k]
				if st >= dayOf(c.FirstSickDay) && st < caseEnd(c, extract) {
					ivs++
					if caseEnd(c, extract)-dayOf(c.FirstSickDay) > 28 {
						ivLong++
					}
				}
			}
		}
		newCases += n
		if n >= 3 {
			frequent++
		}
		if days == nDays {
			fullYear++
			sumN += float64(n)
			sumN2 += float64(n * n)
		}
		sick := false
		for d := range nDays {
			if ptf[d] == 0 {
				continue
			}
			x := ptf[d] * ao[d]
			sick = sick || ao[d] > 0
			num, den = num+x, den+ptf[d]
			switch dd := ps + d; {
			case dd <= q1End:
				numQ1, denQ1 = numQ1+x, denQ1+ptf[d]
			case dd >= q3Start && dd <= q3End:
				numQ3, denQ3 = numQ3+x, denQ3+ptf[d]
			}
		}
		if !sick {
			zero++
		}
	}
	pct := func(a, b int) float64 { return 100 * float64(a) / math.Max(float64(b), 1) }
	s.zvp, s.zvpQ1, s.zvpQ3 = 100*num/den, 100*numQ1/denQ1, 100*numQ3/denQ3
	s.avgHeadcount = float64(employedDays) / float64(nDays)
	s.frequency = float64(newCases) / s.avgHeadcount * 365 / float64(nDays)
	s.zeroAbsence = pct(zero, employed)
	s.frequentAbsentees = pct(frequent, employed)
	mean := sumN / float64(fullYear)
	s.dispersion = (sumN2/float64(fullYear) - mean*mean) / mean
	s.closedSickness = durs[0] + durs[1] + durs[2] + durs[3]
	s.durShort, s.durMid = pct(durs[0], s.closedSickness), pct(durs[1], s.closedSickness)
	s.durLong, s.durExtraLong = pct(durs[2], s.closedSickness), pct(durs[3], s.closedSickness)
	s.partialLong = pct(longPartial, longClosed)
	s.relapseLong = pct(longRel, longRelN)
	s.relapseTalk, s.relapseNo = pct(relTalk, s.relapseTalkN), pct(relNo, s.relapseNN)
	s.pregnancyPerWomen = pct(s.pregnancyLeaves, women)
	s.hires = 100 * float64(hires) / s.avgHeadcount
	s.leavers = 100 * float64(leavers) / s.avgHeadcount
	s.multiRowShare = pct(multi, len(es))
	s.partTimeShare = pct(partTime, rows)
	s.departments, s.locations, s.teams = len(depts), len(locs), len(teams)
	s.week42 = 100 * float64(week42) / s.avgHeadcount
	s.ivOnLongCases = pct(ivLong, ivs)
	s.earlyMean, s.lateMean = earlySum/float64(s.earlyN), lateSum/float64(s.lateN)
	return s
}
