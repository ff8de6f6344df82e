package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Interventions by occupational-health providers: each one is linked to the
// sickness case open on its start date (a return talk to the case whose
// recovery date is near), and per type and per provider the result gives
// how many, how soon after the first sick day, how the linked cases ended,
// how fast they ended after the start (Kaplan–Meier, so open cases count)
// and how many came back to their own employer (Aalen–Johansen); and, for
// all returns from long cases, relapse with and without a return talk.
// These are descriptive: cases that get an intervention differ from those
// that do not (they had to last long enough to get one). For effectiveness
// see Landmark.

// The intervention types of the import.
const (
	InterventionTalk      = "intervention_talk"
	LabourExpert          = "labour_expert"
	PsychologicalCoaching = "psychological_coaching"
	Mediation             = "mediation"
	SecondTrack           = "second_track"
	ReturnTalk            = "return_talk"
)

// InterventionTypes lists the intervention types in a fixed order.
var InterventionTypes = []string{InterventionTalk, LabourExpert, PsychologicalCoaching, Mediation, SecondTrack, ReturnTalk}

// ReturnToWorkDays are the times after the start of an intervention at
// which the share back at the own employer is given: about 3, 6 and 12
// months.
var ReturnToWorkDays = []int{91, 182, 365}

// Rate is a share estimated at Days days, in %. Pct and CI are null when
// the group was not observed that long or is too small.
type Rate struct {
	Days  int      `json:"days"`
	Pct   *float64 `json:"pct"`
	CI    *Bounds  `json:"ci95"`
	NRisk *int64   `json:"n_risk"`
}

// OutcomeCount is how many linked cases ended for one reason ("open" when
// the case was not closed on the extract date, "not_recorded" when closed
// without a reason).
type OutcomeCount struct {
	Outcome string  `json:"outcome"`
	Cases   int64   `json:"cases"`
	Pct     float64 `json:"pct"`
}

// InterventionGroup is the figures of one intervention type, or of one
// provider of that type. A suppressed group keeps its type and provider and
// has no figures.
type InterventionGroup struct {
	Type              string         `json:"type"`
	Provider          string         `json:"provider,omitempty"` // empty: all providers of the type
	Suppressed        bool           `json:"suppressed"`
	Interventions     *int64         `json:"interventions"`
	Cases             *int64         `json:"cases"`
	Employees         *int64         `json:"employees"`
	DaysToStartMedian *float64       `json:"days_to_start_median"`
	DaysToStartMean   *float64       `json:"days_to_start_mean"`
	Outcomes          []OutcomeCount `json:"outcomes"`
	// Recovery is the Kaplan–Meier curve of the days from the start of the
	// intervention to the end of the linked case, however it ended.
	Recovery     Curve  `json:"recovery_from_start"`
	ReturnToWork []Rate `json:"return_to_work"` // % back at the own employer ReturnToWorkDays after the start
}

// Why an intervention could not be linked (see the definition
// intervention_link).
const (
	UnlinkedNoCase      = "no_case"      // no sickness case open on the start date (or recovered near it)
	UnlinkedNotSickness = "not_sickness" // during pregnancy leave or an absence of type other
	UnlinkedNoContract  = "no_contract"  // no contract on the start date
)

// UnlinkedCount is how many interventions could not be linked to a case for
// one reason.
type UnlinkedCount struct {
	Reason        string `json:"reason"`
	Interventions int64  `json:"interventions"`
}

// InterventionsResult is the intervention figures for the interventions
// started in the filter's period.
type InterventionsResult struct {
	Coverage
	// Interventions started in P in the population; Unlinked of them could
	// not be linked to a sickness case (attributed to the contract valid
	// on the start date) and are in no group, counted per reason.
	Interventions   int64               `json:"interventions"`
	Unlinked        int64               `json:"unlinked"`
	UnlinkedReasons []UnlinkedCount     `json:"unlinked_reasons"`
	Suppressed      bool                `json:"suppressed"`
	Groups          []InterventionGroup `json:"groups"` // per type, each followed by its providers
	// Relapse after the returns to the own employer in P from cases of at
	// least Options.RelapseIndexDays days, per arm (return_talk,
	// no_return_talk, all_returns) at RelapseDays.
	Relapse          []RelapseEstimate `json:"relapse"`
	RelapseIndexDays int               `json:"relapse_index_days"`
	RelapseLogRank   *LogRank          `json:"relapse_log_rank"` // return_talk against no_return_talk
	Definitions      DefinitionList    `json:"definitions"`
}

// Interventions computes the intervention figures for the interventions
// whose start date lies in the filter's period, for the population of the
// filter (the contract valid on the linked case's first sick day).
func Interventions(ctx context.Context, q Querier, f Filter, opt Options) (InterventionsResult, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return InterventionsResult{}, err
	}
	f, cut, err := resolvePeriod(ctx, q, f)
	if err != nil {
		return InterventionsResult{}, err
	}
	res := InterventionsResult{Coverage: coverageOf(f, cut), UnlinkedReasons: []UnlinkedCount{}, Groups: []InterventionGroup{},
		RelapseIndexDays: opt.RelapseIndexDays,
		Definitions: outcomeDefinitions(opt, "intervention_link", "days_to_start", "outcomes", "recovery_from_start",
			"return_to_work", "case_outcomes", "relapse", "survival", "outcome_suppressed")}
	link, p := linkSQL(f)
	if err := countUnlinked(ctx, q, link, p, &res); err != nil {
		return InterventionsResult{}, err
	}
	// Sets 0–2 give the curves of the total, the types and the providers;
	// 3 and 4 split types and providers by how the case ended.
	cols := []string{"typ", "prov", "outcome"}
	sets := [][]string{nil, {"typ"}, {"typ", "prov"}, {"typ", "outcome"}, cols}
	strata, err := survivalTallies(ctx, q, part("interventions", link, p), p, cols, sets, "count(DISTINCT (emp, fsd))", []sqlText{"median(wait)", "avg(wait)"})
	if err != nil {
		return InterventionsResult{}, fmt.Errorf("analytics: interventions: %w", err)
	}
	if res.Relapse, res.RelapseLogRank, err = relapse(ctx, q, f, opt); err != nil {
		return InterventionsResult{}, err
	}
	outcomes, err := interventionOutcomes(ctx, q, link, p)
	if err != nil {
		return InterventionsResult{}, err
	}
	total := &stratum{}
	var types, provs []*stratum
	ways := map[string][]*stratum{}
	for _, s := range strata {
		switch s.set {
		case 0:
			total = s
		case 1:
			types = append(types, s)
		case 2:
			provs = append(provs, s)
		default: // keyed like the type or provider, by outcome
			k := fmt.Sprint(s.set-2, "|", strings.Join(s.keys[:len(s.keys)-1], keySep))
			ways[k] = append(ways[k], s)
		}
	}
	_, totalHidden, err := strataVisibility(ctx, q, f, opt, nil, total, nil)
	if err != nil {
		return InterventionsResult{}, err
	}
	res.Suppressed = totalHidden
	th := thresholdsOf(opt)
	hidden := hideProviders(provs, th)
	sortInterventionStrata(types, provs)
	for _, t := range types {
		res.Groups = append(res.Groups, interventionGroup(t, totalHidden || th.small(t.emp, t.cases), ways[fmt.Sprint(1, "|", t.key())], outcomes[t.key()]))
		for _, p := range provs {
			if p.keys[0] == t.keys[0] {
				res.Groups = append(res.Groups, interventionGroup(p, totalHidden || hidden[p.key()], ways[fmt.Sprint(2, "|", p.key())], outcomes[p.key()]))
			}
		}
	}
	return res, nil
}

// countUnlinked counts the interventions of the population, and those that
// could not be linked to a case, per reason (sql/interventions_unlinked.sql).
func countUnlinked(ctx context.Context, q Querier, link linkData, p params, res *InterventionsResult) error {
	rows, err := render("interventions_unlinked", link, p).run(ctx, q)
	if err != nil {
		return fmt.Errorf("analytics: interventions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var reason sql.NullString
		var n int64
		if err := rows.Scan(&reason, &n); err != nil {
			return fmt.Errorf("analytics: interventions: %w", err)
		}
		res.Interventions += n
		if reason.Valid {
			res.Unlinked += n
			res.UnlinkedReasons = append(res.UnlinkedReasons, UnlinkedCount{reason.String, n})
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("analytics: interventions: %w", err)
	}
	return nil
}

// hideProviders: providers partition their type, so complementary
// suppression within it.
func hideProviders(provs []*stratum, th thresholds) map[string]bool {
	byType := map[string][]cell{}
	for _, p := range provs {
		byType[p.keys[0]] = append(byType[p.keys[0]], cell{p.key(), p.emp, p.cases})
	}
	hidden := map[string]bool{}
	for _, cells := range byType {
		for k := range hideCells(cells, nil, th) {
			hidden[k] = true
		}
	}
	return hidden
}

// sortInterventionStrata puts the types in the order of InterventionTypes
// (others after them, by name) and the providers by name.
func sortInterventionStrata(types, provs []*stratum) {
	rank := func(t string) int {
		if i := slices.Index(InterventionTypes, t); i >= 0 {
			return i
		}
		return len(InterventionTypes)
	}
	slices.SortFunc(types, func(a, b *stratum) int {
		if c := rank(a.keys[0]) - rank(b.keys[0]); c != 0 {
			return c
		}
		return strings.Compare(a.keys[0], b.keys[0])
	})
	slices.SortFunc(provs, func(a, b *stratum) int { return strings.Compare(a.key(), b.key()) })
}

// interventionGroup builds the figures of a type or provider from its
// stratum and its strata by how the case ended.
func interventionGroup(s *stratum, suppressed bool, ways []*stratum, outcomes []OutcomeCount) InterventionGroup {
	g := InterventionGroup{Type: s.keys[0], Suppressed: suppressed}
	if len(s.keys) > 1 {
		g.Provider = s.keys[1]
	}
	for _, d := range ReturnToWorkDays {
		g.ReturnToWork = append(g.ReturnToWork, Rate{Days: d})
	}
	g.Recovery = Curve{Key: g.Type, Suppressed: suppressed}
	if g.Provider != "" {
		g.Recovery.Key = g.Type + " / " + g.Provider
	}
	if suppressed {
		return g
	}
	g.Interventions, g.Cases, g.Employees = ptr(s.n()), ptr(s.cases), ptr(s.emp)
	if s.extra[0].Valid {
		g.DaysToStartMedian = ptr(s.extra[0].Float64)
	}
	if s.extra[1].Valid {
		g.DaysToStartMean = ptr(s.extra[1].Float64)
	}
	g.Outcomes = outcomes
	g.Recovery = s.curve(g.Recovery.Key, "", false) // n_risk counts interventions, Cases distinct cases
	pts := aalenJohansen(competingTallies(ways, CaseEnds), len(CaseEnds))
	own := 1 + slices.Index(CaseEnds, EndOwnEmployer)
	for i, d := range ReturnToWorkDays {
		if p, se, n, ok := ajAt(pts, d, len(CaseEnds)); ok {
			lo, hi := logInterval(p[own], se[own])
			g.ReturnToWork[i] = Rate{Days: d, Pct: ptr(100 * p[own]), CI: &Bounds{Low: pct(lo), High: pct(hi)}, NRisk: ptr(n)}
		}
	}
	return g
}

// linkData is the data of the template "intervention_link"
// (sql/interventions.sql).
type linkData struct {
	Pieces     piecesData
	Filter     sqlText
	NoContract bool
}

// linkSQL is the data and parameters of the interventions started in the
// filter's period, linked to their cases (see sql/interventions.sql).
func linkSQL(f Filter) (linkData, params) {
	p := params{}.period(f).vocabulary()
	p.set("return_talk_window_days", ReturnTalkWindowDays)
	return linkData{Pieces: pieces(p, needsFor(f)), Filter: f.predicate(p, numFamilies), NoContract: !f.restricts()}, p
}

// interventionOutcomes counts the end reasons of the linked cases per type
// and per type and provider, keyed like the strata.
func interventionOutcomes(ctx context.Context, q Querier, link linkData, p params) (map[string][]OutcomeCount, error) {
	rows, err := render("interventions_outcomes", link, p).run(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("analytics: intervention outcomes: %w", err)
	}
	defer rows.Close()
	out := map[string][]OutcomeCount{}
	for rows.Next() {
		var typ, outcome string
		var prov *string
		var gp int
		var n int64
		if err := rows.Scan(&typ, &prov, &gp, &outcome, &n); err != nil {
			return nil, fmt.Errorf("analytics: intervention outcomes: %w", err)
		}
		key := typ
		if gp == 0 && prov != nil {
			key = typ + keySep + *prov
		}
		out[key] = append(out[key], OutcomeCount{Outcome: outcome, Cases: n})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("analytics: intervention outcomes: %w", err)
	}
	for _, os := range out {
		var total int64
		for _, o := range os {
			total += o.Cases
		}
		for i := range os {
			os[i].Pct = 100 * float64(os[i].Cases) / float64(total)
		}
	}
	return out, nil
}

// interventionLink is one intervention with the sickness case it was linked
// to (zero FirstSickDay when none was open on its start date).
type interventionLink struct {
	EmployeeID   string
	Type         string
	Start        Date
	FirstSickDay Date
}

// interventionLinks lists the links of the interventions started in the
// filter's period, for tests and checks.
func interventionLinks(ctx context.Context, q Querier, f Filter) ([]interventionLink, error) {
	f, _, err := resolvePeriod(ctx, q, f)
	if err != nil {
		return nil, err
	}
	link, p := linkSQL(f)
	rows, err := render("interventions_links", link, p).run(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []interventionLink
	for rows.Next() {
		var l interventionLink
		var st time.Time
		var fsd sql.NullTime
		if err := rows.Scan(&l.EmployeeID, &l.Type, &st, &fsd); err != nil {
			return nil, err
		}
		l.Start = dateOf(st)
		if fsd.Valid {
			l.FirstSickDay = dateOf(fsd.Time)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
