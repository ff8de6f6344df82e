package analytics

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Dose: how the cases of an intervention type ended by how much of it they
// got, the number of sessions (SessionBands) and whether it was completed or
// stopped. Descriptive only: who stops early or needs more sessions differs
// from who does not, so a difference between bands is not an effect of the
// sessions (see the catalogue entry dose).

// SessionBand is a range of sessions, Max 0 meaning no upper bound.
type SessionBand struct {
	Label    string
	Min, Max int
}

// SessionBands group interventions by their number of sessions; the
// typical course is 8–12.
var SessionBands = []SessionBand{{"1-4", 1, 4}, {"5-7", 5, 7}, {"8-12", 8, 12}, {"13+", 13, 0}}

// What a dose group splits by, and the bands of completion (the
// intervention's imported outcome).
const (
	DoseBySessions   = "sessions"   // Band is a SessionBand label
	DoseByCompletion = "completion" // Band is DoseCompleted or DoseStopped
	DoseCompleted    = "completed"
	DoseStopped      = "stopped"
)

// DoseReturnDays: the share back at the own employer is given this many
// days (six months) after the start of the intervention.
const DoseReturnDays = 182

// DoseGroup is the outcome of the interventions of one type in one sessions
// band, or completed or stopped. A suppressed group keeps its keys.
type DoseGroup struct {
	InterventionType string `json:"intervention_type"`
	By               string `json:"by"`   // sessions or completion
	Band             string `json:"band"` // "1-4", "5-7", "8-12", "13+"; or completed, stopped
	Suppressed       bool   `json:"suppressed"`
	Interventions    *int64 `json:"n"`
	Cases            *int64 `json:"cases"`
	Employees        *int64 `json:"employees"`
	// BackAtOwnEmployer is the share back at the own employer
	// DoseReturnDays after the start (Aalen–Johansen, other endings
	// competing), with its interval.
	BackAtOwnEmployer Rate `json:"back_at_own_employer"`
	// MedianDaysToReturn is the first day after the start by which half
	// the group is back at the own employer; null when fewer than half
	// return within the follow-up.
	MedianDaysToReturn *float64 `json:"median_days_to_return"`
}

// DoseResult is the dose figures of the interventions started in the
// filter's period.
type DoseResult struct {
	Coverage
	Suppressed  bool           `json:"suppressed"`
	Groups      []DoseGroup    `json:"groups"` // per type (InterventionTypes order, return talks left out): the sessions bands, then completed and stopped
	Definitions DefinitionList `json:"definitions"`
}

// Dose computes the outcome per intervention type by sessions band and by
// completed versus stopped.
func Dose(ctx context.Context, q Querier, f Filter, opt Options) (DoseResult, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return DoseResult{}, err
	}
	f, cut, err := resolvePeriod(ctx, q, f)
	if err != nil {
		return DoseResult{}, err
	}
	res := DoseResult{Coverage: coverageOf(f, cut), Groups: []DoseGroup{},
		Definitions: outcomeDefinitions(opt, "dose", "case_outcomes", "outcome_suppressed")}
	link, p := linkSQL(f)
	p.set("completed", DoseCompleted)
	p.set("stopped", DoseStopped)
	data := struct {
		Link linkData
		Band sqlText
	}{link, sessionBandSQL(p)}
	cols := []string{"typ", "band", "done", "outcome"}
	sets := [][]string{nil, {"typ", "band"}, {"typ", "band", "outcome"}, {"typ", "done"}, {"typ", "done", "outcome"}}
	strata, err := survivalTallies(ctx, q, part("dose", data, p), p, cols, sets, "count(DISTINCT (emp, fsd))", nil)
	if err != nil {
		return DoseResult{}, fmt.Errorf("analytics: dose: %w", err)
	}
	total := &stratum{}
	groups := map[int][]*stratum{}  // set 1 and 3: the groups
	ways := map[string][]*stratum{} // keyed by set and group key: by how the case ended
	for _, s := range strata {
		switch {
		case s.set == 0:
			total = s
		case slices.Contains(s.keys[:2], ""):
			// no band, or neither completed nor stopped: in no group
		case s.set == 1 || s.set == 3:
			groups[s.set] = append(groups[s.set], s)
		default:
			k := fmt.Sprint(s.set-1, "|", strings.Join(s.keys[:2], keySep))
			ways[k] = append(ways[k], s)
		}
	}
	_, totalHidden, err := strataVisibility(ctx, q, f, opt, nil, total, nil)
	if err != nil {
		return DoseResult{}, err
	}
	res.Suppressed = totalHidden
	th := thresholdsOf(opt)
	for _, typ := range InterventionTypes {
		if typ == ReturnTalk {
			continue // one talk at the return: no dose to speak of
		}
		for _, part := range []struct {
			set   int
			by    string
			bands []string
		}{{1, DoseBySessions, sessionBandLabels()}, {3, DoseByCompletion, []string{DoseCompleted, DoseStopped}}} {
			var cells []cell
			byBand := map[string]*stratum{}
			for _, s := range groups[part.set] {
				if s.keys[0] == typ {
					byBand[s.keys[1]] = s
					cells = append(cells, cell{s.key(), s.emp, s.cases})
				}
			}
			hidden := hideCells(cells, nil, th)
			for _, band := range part.bands {
				s, ok := byBand[band]
				if !ok {
					continue
				}
				g := doseGroup(typ, part.by, band, s, ways[fmt.Sprint(part.set, "|", s.key())])
				if totalHidden || hidden[s.key()] {
					g = DoseGroup{InterventionType: typ, By: part.by, Band: band, Suppressed: true, BackAtOwnEmployer: Rate{Days: DoseReturnDays}}
				}
				res.Groups = append(res.Groups, g)
			}
		}
	}
	return res, nil
}

// doseGroup computes one group's figures from its stratum and its strata by
// how the case ended.
func doseGroup(typ, by, band string, s *stratum, ways []*stratum) DoseGroup {
	g := DoseGroup{InterventionType: typ, By: by, Band: band, Interventions: ptr(s.n()), Cases: ptr(s.cases), Employees: ptr(s.emp),
		BackAtOwnEmployer: Rate{Days: DoseReturnDays}}
	pts := aalenJohansen(competingTallies(ways, CaseEnds), len(CaseEnds))
	own := 1 + slices.Index(CaseEnds, EndOwnEmployer)
	if p, se, n, ok := ajAt(pts, DoseReturnDays, len(CaseEnds)); ok {
		lo, hi := logInterval(p[own], se[own])
		g.BackAtOwnEmployer = Rate{Days: DoseReturnDays, Pct: ptr(100 * p[own]), CI: &Bounds{Low: pct(lo), High: pct(hi)}, NRisk: ptr(n)}
	}
	ts, cif := make([]int, len(pts)), make([]float64, len(pts))
	for i, x := range pts {
		ts[i], cif[i] = x.t, x.p[own]
	}
	g.MedianDaysToReturn = cifMedian(ts, cif)
	return g
}

// sessionBandSQL is the CASE expression giving an intervention's sessions
// band, its bounds and labels bound as parameters.
func sessionBandSQL(p params) sqlText {
	var b strings.Builder
	b.WriteString("CASE")
	for i, sb := range SessionBands {
		fmt.Fprintf(&b, " WHEN sessions >= %s", p.set(fmt.Sprintf("sessions_band_%d_min", i+1), sb.Min))
		if sb.Max > 0 {
			fmt.Fprintf(&b, " AND sessions <= %s", p.set(fmt.Sprintf("sessions_band_%d_max", i+1), sb.Max))
		}
		fmt.Fprintf(&b, " THEN %s::VARCHAR", p.set(fmt.Sprintf("sessions_band_%d", i+1), sb.Label))
	}
	b.WriteString(" END")
	return sqlText(b.String())
}

func sessionBandLabels() []string {
	var out []string
	for _, sb := range SessionBands {
		out = append(out, sb.Label)
	}
	return out
}
