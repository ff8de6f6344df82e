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
// sickness case open on its start date, and per type and per provider the
// result gives how many, how soon after the first sick day, how the linked
// cases ended, how fast they recovered after the start (Kaplan–Meier, so
// open cases count), and how often the employee fell ill again after
// returning to work. These are descriptive: cases that get an intervention
// differ from those that do not (they had to last long enough to get one).
// For effectiveness see Landmark.

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
// which the return-to-work rate is given: about 3, 6 and 12 months.
var ReturnToWorkDays = []int{91, 182, 365}

// RelapseDays are the windows after full recovery in which a new sickness
// case counts as a relapse: within 28 days (it would join the same
// Poortwachter track) and within 12 months (365 days).
var RelapseDays = []int{28, 365}

// Rate is a share estimated from a Kaplan–Meier curve at Days days, in %.
// Pct and CI are null when the curve was not observed that long or the
// group is too small.
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
	// intervention to full recovery of the linked case.
	Recovery     Curve  `json:"recovery_from_start"`
	ReturnToWork []Rate `json:"return_to_work"` // % fully recovered by ReturnToWorkDays after the start
	// Relapse: % of the linked cases that returned to work with a new
	// sickness case within RelapseDays; null when fewer than MinCases cases
	// (or MinEmployees employees) returned.
	RelapseCases *int64 `json:"relapse_cases"`
	Relapse      []Rate `json:"relapse"`
}

// InterventionsResult is the intervention figures for the interventions
// started in the filter's period.
type InterventionsResult struct {
	Coverage
	// Interventions started in P in the population; Unlinked of them had no
	// sickness case open on their start date (attributed to the contract
	// valid on the start date) and are in no group.
	Interventions int64               `json:"interventions"`
	Unlinked      int64               `json:"unlinked"`
	Suppressed    bool                `json:"suppressed"`
	Groups        []InterventionGroup `json:"groups"` // per type, each followed by its providers
	Definitions   DefinitionList      `json:"definitions"`
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
	res := InterventionsResult{Coverage: coverageOf(f, cut),
		Definitions: outcomeDefinitions(opt, "intervention_link", "days_to_start", "outcomes", "recovery_from_start",
			"return_to_work", "relapse", "survival", "outcome_suppressed")}
	link := linkSQL(f)
	if err := q.QueryRowContext(ctx, "WITH "+link+` SELECT count(*), count(*) FILTER (WHERE fsd IS NULL) FROM ivp`).Scan(&res.Interventions, &res.Unlinked); err != nil {
		return InterventionsResult{}, fmt.Errorf("analytics: interventions: %w", err)
	}
	ex := dateLit(f.ExtractDate)
	cols := []string{"typ", "prov"}
	sets := [][]string{nil, {"typ"}, {"typ", "prov"}}
	recovery := link + fmt.Sprintf(`,
obs AS (
	SELECT typ, prov, emp, fsd, CASE WHEN rec IS NOT NULL THEN rec - st ELSE %[1]s - st END AS t, rec IS NOT NULL AS ev, st - fsd AS wait
	FROM ivp WHERE fsd IS NOT NULL
)`, ex)
	strata, err := survivalTallies(ctx, q, recovery, cols, sets, "count(DISTINCT (emp, fsd))", []string{"median(wait)", "avg(wait)"})
	if err != nil {
		return InterventionsResult{}, fmt.Errorf("analytics: interventions: %w", err)
	}
	relapse := link + `,
rc AS (SELECT DISTINCT typ, prov, emp, fsd, rec FROM ivp WHERE fsd IS NOT NULL AND rec IS NOT NULL AND ` + returnedToWork("reason") + `),
` + relapseObsSQL(f, "rc", "typ, prov")
	rstrata, err := survivalTallies(ctx, q, relapse, cols, sets, "count(*)", nil)
	if err != nil {
		return InterventionsResult{}, fmt.Errorf("analytics: interventions, relapse: %w", err)
	}
	outcomes, err := interventionOutcomes(ctx, q, link)
	if err != nil {
		return InterventionsResult{}, err
	}

	total := &stratum{}
	var types, provs []*stratum
	for _, s := range strata {
		switch s.set {
		case 0:
			total = s
		case 1:
			types = append(types, s)
		default:
			provs = append(provs, s)
		}
	}
	rel := map[string]*stratum{}
	for _, s := range rstrata {
		rel[fmt.Sprint(s.set, "|", s.key())] = s
	}
	_, totalHidden, err := strataVisibility(ctx, q, f, opt, nil, total, nil)
	if err != nil {
		return InterventionsResult{}, err
	}
	res.Suppressed = totalHidden
	th := thresholdsOf(opt)
	// Providers partition their type: complementary suppression within it.
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
	for _, t := range types {
		res.Groups = append(res.Groups, interventionGroup(t, totalHidden || th.small(t.emp, t.cases), rel[fmt.Sprint(1, "|", t.key())], outcomes[t.key()], th))
		for _, p := range provs {
			if p.keys[0] == t.keys[0] {
				res.Groups = append(res.Groups, interventionGroup(p, totalHidden || hidden[p.key()], rel[fmt.Sprint(2, "|", p.key())], outcomes[p.key()], th))
			}
		}
	}
	return res, nil
}

func interventionGroup(s *stratum, suppressed bool, rel *stratum, outcomes []OutcomeCount, th thresholds) InterventionGroup {
	g := InterventionGroup{Type: s.keys[0], Suppressed: suppressed}
	if len(s.keys) > 1 {
		g.Provider = s.keys[1]
	}
	for _, d := range ReturnToWorkDays {
		g.ReturnToWork = append(g.ReturnToWork, Rate{Days: d})
	}
	for _, d := range RelapseDays {
		g.Relapse = append(g.Relapse, Rate{Days: d})
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
	for i, d := range ReturnToWorkDays {
		g.ReturnToWork[i] = complementRate(g.Recovery.Points, d)
	}
	if rel != nil && !th.small(rel.emp, rel.cases) {
		g.RelapseCases = ptr(rel.cases)
		pts := kaplanMeier(rel.tallies)
		for i, d := range RelapseDays {
			// A relapse within d days: the next case starts fewer than d
			// days after the recovery date, T ≤ d − 1.
			g.Relapse[i] = complementRate(pts, d-1)
			g.Relapse[i].Days = d
		}
	}
	return g
}

// complementRate is 100·(1 − S(t)) with its interval, from a curve.
func complementRate(pts []KMPoint, t int) Rate {
	r := Rate{Days: t}
	s, lo, hi, n, ok := survAt(pts, t)
	if !ok {
		return r
	}
	r.Pct, r.NRisk = ptr(100*(1-s)), ptr(n)
	r.CI = &Bounds{}
	if hi != nil {
		r.CI.Low = ptr(100 * (1 - *hi))
	}
	if lo != nil {
		r.CI.High = ptr(100 * (1 - *lo))
	}
	return r
}

// linkSQL defines the CTEs "ivl" (every intervention started in P, with the
// sickness case open on its start date: first sick day ≤ start < recovery
// date, or open; NULL case columns when there is none) and "ivp" (those of
// the population: the contract valid on the case's first sick day, or on
// the start date when unlinked). rec is the recovery date when it lies on or
// before the extract date.
func linkSQL(f Filter) string {
	return fmt.Sprintf(`%[1]s,
fp AS (SELECT * FROM pieces WHERE %[2]s),
ivl AS (
	SELECT i.employee_id AS emp, i.intervention_type AS typ, coalesce(i.provider, %[3]s) AS prov, i.start_date AS st,
		c.first_sick_day AS fsd, CASE WHEN c.recovery_date <= %[6]s THEN c.recovery_date END AS rec, c.end_reason AS reason
	FROM interventions i LEFT JOIN absence_cases c ON c.employee_id = i.employee_id AND c.absence_type IN %[7]s
		AND c.first_sick_day <= i.start_date AND i.start_date < coalesce(c.recovery_date, %[8]s)
	WHERE i.start_date BETWEEN %[4]s AND %[5]s
),
ivp AS (
	SELECT l.* FROM ivl l JOIN fp p ON p.emp = l.emp AND p.s <= coalesce(l.fsd, l.st) AND coalesce(l.fsd, l.st) < p.e
)`, piecesSQL(needsFor(f)), f.predicate(numFamilies), lit(NotRecorded),
		dateLit(f.From), dateLit(f.To), dateLit(f.ExtractDate), sickTypes, openEnd)
}

// returnedToWork is the SQL condition on an end reason for a case that
// ended with a return to work at the employer: not when employment ended,
// nor at a WIA/IVA decision or a placement elsewhere (second track). A
// missing reason counts as a return.
func returnedToWork(reason string) string {
	return fmt.Sprintf("coalesce(%s, '') NOT IN ('employment_ended', 'wia_iva', 'second_track')", reason)
}

// relapseObsSQL defines "obs" over the CTE src (keys, emp, fsd, rec: closed
// cases that returned to work): t = days from the recovery date to the
// first sick day of the employee's next sickness case (an event), or, with
// no new case by the end of follow-up, the days to that end (censored).
// Follow-up ends on the extract date or on the employee's last day of
// employment, whichever comes first; a case whose follow-up ends before its
// recovery date is left out.
func relapseObsSQL(f Filter, src, keys string) string {
	ex := dateLit(f.ExtractDate)
	return fmt.Sprintf(`nx AS (
	SELECT r.*,
		(SELECT min(n.first_sick_day) FROM absence_cases n WHERE n.employee_id = r.emp AND n.absence_type IN %[3]s
			AND n.first_sick_day >= r.rec AND n.first_sick_day <= %[2]s) AS next_fsd,
		least(%[2]s, (SELECT max(coalesce(m.end_date, %[2]s)) FROM employments m WHERE m.employee_id = r.emp)) AS fend
	FROM %[1]s r
),
obs AS (
	SELECT %[4]s, emp, fsd,
		CASE WHEN next_fsd <= fend THEN next_fsd - rec ELSE fend - rec END AS t,
		coalesce(next_fsd <= fend, false) AS ev
	FROM nx WHERE fend >= rec
)`, src, ex, sickTypes, keys)
}

// interventionOutcomes counts the end reasons of the linked cases per type
// and per type and provider, keyed like the strata.
func interventionOutcomes(ctx context.Context, q Querier, link string) (map[string][]OutcomeCount, error) {
	rows, err := q.QueryContext(ctx, "WITH "+link+`
SELECT typ, prov, GROUPING(prov) AS gp, outcome, count(DISTINCT (emp, fsd)) AS n FROM (
	SELECT *, CASE WHEN rec IS NULL THEN 'open' ELSE coalesce(reason, 'not_recorded') END AS outcome FROM ivp WHERE fsd IS NOT NULL)
GROUP BY GROUPING SETS ((typ, outcome), (typ, prov, outcome))
ORDER BY typ, prov, outcome`)
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
	rows, err := q.QueryContext(ctx, "WITH "+linkSQL(f)+` SELECT emp, typ, st, fsd FROM ivp ORDER BY emp, st, typ`)
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
