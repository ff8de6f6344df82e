package analytics

import (
	"context"
	"database/sql"
	"math"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/verzuim/absence/datasets"
)

// A generated organisation (datasets.Generate: 3,000 persons over three
// years, interventions with a built-in effect: an early intervention_talk
// shortens the rest of a long absence, a return_talk makes a relapse less
// likely) imported through the real importer. Every figure is checked
// against plain Go over the stored rows, written from the definitions and
// sharing no code with the package.

const genExtract = "2026-06-30"

type genCase struct {
	emp      string
	fsd, rec time.Time // rec zero: open on the extract date
	reason   string
}

type genEmployment struct {
	emp, dept  string
	start, end time.Time // end zero: open
}

type genIntervention struct {
	emp, typ string
	start    time.Time
}

func daysBetween(a, b time.Time) int { return int(math.Round(b.Sub(a).Hours() / 24)) }

func TestOutcomesOnGeneratedOrganisation(t *testing.T) {
	dir := t.TempDir()
	if _, err := datasets.WriteFiles(dir, datasets.Config{Employees: 3000, Seed: 4, ExtractDate: date(genExtract)}, "native"); err != nil {
		t.Fatal(err)
	}
	s := openStore(t, genExtract, filepath.Join(dir, "employments.csv"), filepath.Join(dir, "absence_periods.csv"), filepath.Join(dir, "interventions.csv"))
	ctx := context.Background()
	ex := date(genExtract)
	f := Filter{From: date("2023-07-01"), To: ex}

	// The stored rows.
	var cases []genCase
	rows, err := s.DB.Query(`SELECT pseudonym, first_sick_day, recovery_date, coalesce(end_reason, '') FROM absence_cases JOIN employees USING (employee_key)
		WHERE absence_type IN ('sickness', 'sickness_pregnancy') ORDER BY pseudonym, first_sick_day`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c genCase
		var rec sql.NullTime
		if err := rows.Scan(&c.emp, &c.fsd, &rec, &c.reason); err != nil {
			t.Fatal(err)
		}
		if rec.Valid && !rec.Time.After(ex) {
			c.rec = rec.Time
		}
		cases = append(cases, c)
	}
	rows.Close()
	var emps []genEmployment
	rows, err = s.DB.Query(`SELECT pseudonym, department, start_date, end_date FROM employments JOIN employees USING (employee_key)`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var e genEmployment
		var end sql.NullTime
		if err := rows.Scan(&e.emp, &e.dept, &e.start, &end); err != nil {
			t.Fatal(err)
		}
		e.end = end.Time
		emps = append(emps, e)
	}
	rows.Close()
	var ivs []genIntervention
	rows, err = s.DB.Query(`SELECT pseudonym, intervention_type, start_date FROM interventions JOIN employees USING (employee_key)`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var iv genIntervention
		if err := rows.Scan(&iv.emp, &iv.typ, &iv.start); err != nil {
			t.Fatal(err)
		}
		ivs = append(ivs, iv)
	}
	rows.Close()

	inPeriod := func(c genCase) bool { return !c.fsd.Before(f.From) && !c.fsd.After(f.To) }
	deptOn := func(emp string, d time.Time) string {
		for _, e := range emps {
			if e.emp == emp && !d.Before(e.start) && (e.end.IsZero() || !d.After(e.end)) {
				return e.dept
			}
		}
		return ""
	}
	// time: recovery date − first sick day, or extract date − first sick
	// day (censored) for an open case.
	obs := func(c genCase) (int, bool) {
		if c.rec.IsZero() {
			return daysBetween(c.fsd, ex), false
		}
		return daysBetween(c.fsd, c.rec), true
	}

	t.Run("Kaplan-Meier equals a plain implementation", func(t *testing.T) {
		var ts []int
		var evs []bool
		for _, c := range cases {
			if inPeriod(c) {
				tt, ev := obs(c)
				ts, evs = append(ts, tt), append(evs, ev)
			}
		}
		res, err := Survival(ctx, s.DB, f, "", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if *res.Total.Cases != int64(len(ts)) || len(ts) < 3000 {
			t.Fatalf("%d cases, plain count %d", *res.Total.Cases, len(ts))
		}
		comparePoints(t, "all cases", res.Total.Points, plainKM(ts, evs))
		t.Logf("%d cases, %d censored, median %v days (%v–%v)", len(ts), *res.Total.Censored, fmtp(res.Total.Median),
			fmtp(res.Total.MedianCI.Low), fmtp(res.Total.MedianCI.High))
	})

	t.Run("per department and filtered, the contract on the first sick day", func(t *testing.T) {
		res, err := Survival(ctx, s.DB, f, ByDepartment, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Strata) < 3 || res.LogRank == nil {
			t.Fatalf("%d strata, log-rank %+v", len(res.Strata), res.LogRank)
		}
		for _, st := range res.Strata[:3] {
			var ts []int
			var evs []bool
			for _, c := range cases {
				if inPeriod(c) && deptOn(c.emp, c.fsd) == st.Key {
					tt, ev := obs(c)
					ts, evs = append(ts, tt), append(evs, ev)
				}
			}
			if st.Suppressed {
				continue
			}
			comparePoints(t, st.Key, st.Points, plainKM(ts, evs))
			r, err := Survival(ctx, s.DB, Filter{From: f.From, To: f.To, Units: []Unit{{Department: st.Key}}}, "", Options{})
			if err != nil {
				t.Fatal(err)
			}
			comparePoints(t, st.Key+" filtered", r.Total.Points, plainKM(ts, evs))
		}
		t.Logf("log-rank between %d departments: χ² = %.2f on %d df, p = %.3g", len(res.LogRank.Groups), res.LogRank.ChiSquare, res.LogRank.DF, res.LogRank.P)
	})

	t.Run("every dimension partitions the cases", func(t *testing.T) {
		opt := Options{MinEmployees: 5, MinCases: 5}
		for _, d := range Dimensions {
			res, err := Survival(ctx, s.DB, f, d, opt)
			if err != nil {
				t.Fatalf("%s: %v", d, err)
			}
			var sum int64
			shown := 0
			for _, st := range res.Strata {
				if !st.Suppressed {
					sum += *st.Cases
					shown++
				}
			}
			// Suppressed strata hide their counts; those shown cannot add up
			// to more than the total, and with nothing hidden they add up.
			if sum > *res.Total.Cases || (shown == len(res.Strata) && sum != *res.Total.Cases) {
				t.Errorf("%s: strata hold %d of %d cases (%d of %d shown)", d, sum, *res.Total.Cases, shown, len(res.Strata))
			}
			if shown >= 2 && res.LogRank == nil {
				t.Errorf("%s: no log-rank test", d)
			}
		}
	})

	t.Run("progression is the curve at 7, 42, 91, 365, 728 days", func(t *testing.T) {
		pr, err := Progression(ctx, s.DB, f, ProgressionOptions{Cohort: Quarterly}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		sv, err := Survival(ctx, s.DB, f, "", Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, sa := range pr.Total.StillAbsent {
			want, _, _, _, ok := survAt(sv.Total.Points, sa.Days)
			if ok != (sa.Pct != nil) || (ok && math.Abs(*sa.Pct-100*want) > 1e-9) {
				t.Errorf("%d days: %v, curve %v (%v)", sa.Days, fmtp(sa.Pct), 100*want, ok)
			}
			t.Logf("still absent after %d days: %v%%", sa.Days, fmtp(sa.Pct))
		}
		if len(pr.Cohorts) != 12 {
			t.Errorf("%d quarterly cohorts in three years", len(pr.Cohorts))
		}
	})

	// Plain rules, written from the definitions. Employed on day d: a
	// contract holds d. The run end: from the contract holding d, follow
	// contracts that start by the day after the previous one ends.
	employed := func(emp string, d time.Time) bool {
		for _, e := range emps {
			if e.emp == emp && !d.Before(e.start) && (e.end.IsZero() || !d.After(e.end)) {
				return true
			}
		}
		return false
	}
	runEnd := func(emp string, d time.Time) time.Time {
		end := d.AddDate(0, 0, -1)
		for grown := true; grown; {
			grown = false
			for _, e := range emps {
				if e.emp == emp && !e.start.After(end.AddDate(0, 0, 1)) && (e.end.IsZero() || e.end.After(end)) {
					if e.end.IsZero() {
						return ex
					}
					end, grown = e.end, true
				}
			}
		}
		return end
	}
	ends := func(c genCase) string {
		switch c.reason {
		case "full_return", "adapted_own_work", "other_work_own_employer":
			return EndOwnEmployer
		case "second_track", "wia_iva", "employment_ended", "other":
			return c.reason
		}
		if employed(c.emp, c.rec.AddDate(0, 0, -1)) && !employed(c.emp, c.rec) {
			return EndEmploymentEnded
		}
		return EndOwnEmployer
	}
	// Interventions linked by hand: a return talk to the sickness case
	// started by its start and recovered nearest it within 14 days;
	// otherwise the case with first sick day ≤ start < recovery date (open:
	// no end).
	linked := func(iv genIntervention) (genCase, bool) {
		if iv.typ == ReturnTalk {
			var best genCase
			for _, c := range cases {
				dist := func(c genCase) int { return max(daysBetween(c.rec, iv.start), daysBetween(iv.start, c.rec)) }
				if c.emp == iv.emp && !c.rec.IsZero() && !c.fsd.After(iv.start) && dist(c) <= 14 && (best.rec.IsZero() || dist(c) < dist(best)) {
					best = c
				}
			}
			if !best.rec.IsZero() {
				return best, true
			}
		}
		for _, c := range cases {
			if c.emp == iv.emp && !c.fsd.After(iv.start) {
				rec, _ := storedRecovery(t, s.DB, c)
				if rec.IsZero() || iv.start.Before(rec) {
					return c, true
				}
			}
		}
		return genCase{}, false
	}

	t.Run("intervention figures equal plain Go", func(t *testing.T) {
		res, err := Interventions(ctx, s.DB, f, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var g *InterventionGroup
		for i := range res.Groups {
			if res.Groups[i].Type == InterventionTalk && res.Groups[i].Provider == "" {
				g = &res.Groups[i]
			}
		}
		if g == nil || g.Suppressed {
			t.Fatalf("no intervention_talk group: %+v", res.Groups)
		}
		var ts, waits []int
		var evs []bool
		var byWay []obsK
		var n, unlinked, talksLinked int64
		for _, iv := range ivs {
			if iv.start.Before(f.From) || iv.start.After(f.To) {
				continue
			}
			n++
			c, ok := linked(iv)
			if !ok {
				unlinked++
				continue
			}
			if iv.typ == ReturnTalk && !iv.start.Before(c.rec) {
				talksLinked++ // on or after the first day back
			}
			if iv.typ != InterventionTalk {
				continue
			}
			waits = append(waits, daysBetween(c.fsd, iv.start))
			if c.rec.IsZero() {
				ts, evs = append(ts, daysBetween(iv.start, ex)), append(evs, false)
				byWay = append(byWay, obsK{daysBetween(iv.start, ex), 0})
			} else {
				ts, evs = append(ts, daysBetween(iv.start, c.rec)), append(evs, true)
				byWay = append(byWay, obsK{daysBetween(iv.start, c.rec), 1 + slices.Index(CaseEnds, ends(c))})
			}
		}
		if res.Interventions != n || res.Unlinked != unlinked {
			t.Errorf("%d interventions, %d unlinked; plain %d, %d", res.Interventions, res.Unlinked, n, unlinked)
		}
		if *g.Interventions != int64(len(ts)) {
			t.Fatalf("%d talks, plain %d", *g.Interventions, len(ts))
		}
		pts := plainKM(ts, evs)
		comparePoints(t, "recovery from start", g.Recovery.Points, pts)
		mean := 0.0
		for _, w := range waits {
			mean += float64(w)
		}
		checkF(t, "mean days to start", g.DaysToStartMean, mean/float64(len(waits)))
		sorted := slices.Sorted(slices.Values(waits))
		med := float64(sorted[len(sorted)/2])
		if len(sorted)%2 == 0 {
			med = float64(sorted[len(sorted)/2-1]+sorted[len(sorted)/2]) / 2
		}
		checkF(t, "median days to start", g.DaysToStartMedian, med)
		// Back at the own employer: the Aalen–Johansen estimate in its
		// matrix form, read at d days.
		times, states := plainAJ(byWay, ones(len(byWay)), len(CaseEnds))
		for _, r := range g.ReturnToWork {
			want := 0.0
			for i, tt := range times {
				if tt <= r.Days {
					want = 100 * states[i][1]
				}
			}
			if r.Pct == nil || math.Abs(*r.Pct-want) > 1e-6 || *r.Pct > 100*(1-plainAt(pts, r.Days))+1e-9 {
				t.Errorf("back at the own employer %d days after the start: %v, plain %v (any end %v)", r.Days, fmtp(r.Pct), want, 100*(1-plainAt(pts, r.Days)))
			}
		}
		t.Logf("intervention_talk: %d, median %v days after the first sick day; back at the own employer within 91/182/365 days: %v/%v/%v%% (any end: %.1f%% at 365); %d unlinked %v; %d return talks linked on or after the first day back",
			*g.Interventions, *g.DaysToStartMedian, fmtp(g.ReturnToWork[0].Pct), fmtp(g.ReturnToWork[1].Pct), fmtp(g.ReturnToWork[2].Pct),
			100*(1-plainAt(pts, 365)), res.Unlinked, res.UnlinkedReasons, talksLinked)
	})

	t.Run("relapse equals plain Go, and return talks prevent it", func(t *testing.T) {
		res, err := Interventions(ctx, s.DB, f, Options{})
		if err != nil {
			t.Fatal(err)
		}
		type arm struct {
			ts  []int
			evs []bool
		}
		arms := map[string]*arm{ArmReturnTalk: {}, ArmNoReturnTalk: {}, ArmAllReturns: {}}
		for _, c := range cases {
			if c.rec.IsZero() || c.rec.Before(f.From) || c.rec.After(f.To) || daysBetween(c.fsd, c.rec) < 42 || ends(c) != EndOwnEmployer {
				continue
			}
			talk := false
			for _, iv := range ivs {
				talk = talk || (iv.emp == c.emp && iv.typ == ReturnTalk && !iv.start.Before(c.rec.AddDate(0, 0, -14)) && !iv.start.After(c.rec.AddDate(0, 0, 14)))
			}
			fend := runEnd(c.emp, c.rec)
			if fend.After(ex) {
				fend = ex
			}
			if fend.Before(c.rec) {
				continue
			}
			var next time.Time
			for _, o := range cases {
				if o.emp == c.emp && !o.fsd.Before(c.rec) && !o.fsd.After(ex) && (next.IsZero() || o.fsd.Before(next)) {
					next = o.fsd
				}
			}
			tt, ev := daysBetween(c.rec, fend), false
			if !next.IsZero() && !next.After(fend) {
				tt, ev = daysBetween(c.rec, next), true
			}
			name := ArmNoReturnTalk
			if talk {
				name = ArmReturnTalk
			}
			for _, a := range []*arm{arms[name], arms[ArmAllReturns]} {
				a.ts, a.evs = append(a.ts, tt), append(a.evs, ev)
			}
		}
		got := map[string]map[int]RelapseEstimate{}
		for _, r := range res.Relapse {
			if got[r.Arm] == nil {
				got[r.Arm] = map[int]RelapseEstimate{}
			}
			got[r.Arm][r.T] = r
		}
		for name, a := range arms {
			pts := plainKM(a.ts, a.evs)
			for _, d := range RelapseDays {
				r := got[name][d]
				want := 1 - plainAt(pts, d)
				if r.Suppressed || r.Estimate == nil || math.Abs(*r.Estimate-want) > 1e-9 || r.N == nil || *r.N != int64(len(a.ts)) {
					t.Errorf("%s at %d days: %v (n %v), plain %v (n %d)", name, d, fmtp(r.Estimate), r.N, want, len(a.ts))
				}
			}
		}
		w, wo := got[ArmReturnTalk][28], got[ArmNoReturnTalk][28]
		if w.Estimate == nil || wo.Estimate == nil || *w.Estimate >= *wo.Estimate {
			t.Errorf("relapse within 28 days with a return talk %v, without %v: want fewer with", fmtp(w.Estimate), fmtp(wo.Estimate))
		}
		all := got[ArmAllReturns]
		t.Logf("relapse after a return to the own employer from a case of 42+ days, within 28/91/365 days: with return talk %.3f/%.3f/%v (n=%d), without %.3f/%.3f/%v (n=%d), all %.3f/%.3f/%v; log-rank p %.2g",
			*w.Estimate, *got[ArmReturnTalk][91].Estimate, fmtp(got[ArmReturnTalk][365].Estimate), *w.N,
			*wo.Estimate, *got[ArmNoReturnTalk][91].Estimate, fmtp(got[ArmNoReturnTalk][365].Estimate), *wo.N,
			*all[28].Estimate, *all[91].Estimate, fmtp(all[365].Estimate), res.RelapseLogRank.P)
	})

	t.Run("landmark: early talks shorten absence, with n and interval", func(t *testing.T) {
		res, err := Landmark(ctx, s.DB, f, LandmarkOptions{}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var c *Comparison
		for i := range res.Comparisons {
			if res.Comparisons[i].Kind == CompareInterventionVsNone && res.Comparisons[i].Type == InterventionTalk && res.Comparisons[i].Landmark == 42 {
				c = &res.Comparisons[i]
			}
		}
		if c == nil {
			t.Fatal("no talk comparison at 42")
		}
		// Plain Go: cases known to last more than 42 days; talk before day
		// 42 of the case, or no intervention at all before day 42.
		var at, bt []int
		var ae, be []bool
		for _, cs := range cases {
			if !inPeriod(cs) {
				continue
			}
			tt, ev := obs(cs)
			if (ev && tt <= 42) || (!ev && tt < 42) {
				continue
			}
			talk, any := false, false
			for _, iv := range ivs {
				if iv.emp == cs.emp && !iv.start.Before(cs.fsd) && daysBetween(cs.fsd, iv.start) < 42 {
					any = true
					talk = talk || iv.typ == InterventionTalk
				}
			}
			switch {
			case talk:
				at, ae = append(at, tt-42), append(ae, ev)
			case !any:
				bt, be = append(bt, tt-42), append(be, ev)
			}
		}
		a, b := c.Arms[0], c.Arms[1]
		if a.Suppressed || b.Suppressed {
			t.Fatalf("arms suppressed: %+v", c.Arms)
		}
		if *a.Cases != int64(len(at)) || *b.Cases != int64(len(bt)) {
			t.Errorf("arms %d and %d cases, plain %d and %d", *a.Cases, *b.Cases, len(at), len(bt))
		}
		comparePoints(t, "talk arm", a.Curve, plainKM(at, ae))
		comparePoints(t, "no-intervention arm", b.Curve, plainKM(bt, be))
		o, e, v := twoGroupLogRank(at, ae, bt, be)
		if c.LogRank == nil || math.Abs(c.LogRank.ChiSquare-(o-e)*(o-e)/v) > 1e-6 {
			t.Errorf("log-rank %+v, plain χ² %v", c.LogRank, (o-e)*(o-e)/v)
		}
		// What a user reads off: the talk arm recovers faster, the interval
		// of the hazard ratio excludes 1, and the median is shorter.
		if c.HazardRatio == nil || c.HazardRatio.Low <= 1 || c.LogRank.P >= 0.01 || c.MedianDifference == nil || *c.MedianDifference <= 0 {
			t.Errorf("no clear effect: HR %+v, p %v, median difference %v", c.HazardRatio, c.LogRank.P, fmtp(c.MedianDifference))
		}
		t.Logf("landmark 42, intervention_talk before day 42 (n=%d) vs none (n=%d): median %v (%v–%v) vs %v (%v–%v) days after day 42, %v days shorter; HR %.2f (%.2f–%.2f); log-rank χ² %.1f, p %.2g",
			*a.Cases, *b.Cases, fmtp(a.Median), fmtp(a.MedianCI.Low), fmtp(a.MedianCI.High), fmtp(b.Median), fmtp(b.MedianCI.Low), fmtp(b.MedianCI.High),
			fmtp(c.MedianDifference), c.HazardRatio.Estimate, c.HazardRatio.Low, c.HazardRatio.High, c.LogRank.ChiSquare, c.LogRank.P)
		for _, c := range res.Comparisons {
			if c.Kind == CompareEarlyVsLate && c.Type == InterventionTalk && c.HazardRatio != nil {
				t.Logf("landmark %d, talk early vs late: n %d/%d, HR %.2f (%.2f–%.2f), median difference %v", c.Landmark,
					*c.Arms[0].Cases, *c.Arms[1].Cases, c.HazardRatio.Estimate, c.HazardRatio.Low, c.HazardRatio.High, fmtp(c.MedianDifference))
			}
		}
	})
}

// plainAt is S(t) of a plain curve: the last value at or before t.
func plainAt(pts []plainPoint, t int) float64 {
	s := 1.0
	for _, p := range pts {
		if p.t > t {
			break
		}
		s = p.surv
	}
	return s
}

// storedRecovery is the stored recovery date of a case, also when it lies
// after the extract date (linking uses the stored date).
func storedRecovery(t *testing.T, q testDB, c genCase) (time.Time, bool) {
	t.Helper()
	if !c.rec.IsZero() {
		return c.rec, true
	}
	var rec sql.NullTime
	if err := q.QueryRow(`SELECT recovery_date FROM absence_cases JOIN employees USING (employee_key) WHERE pseudonym = ? AND first_sick_day = ?`, c.emp, c.fsd).Scan(&rec); err != nil {
		t.Fatal(err)
	}
	return rec.Time, rec.Valid
}
