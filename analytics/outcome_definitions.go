package analytics

import (
	"fmt"
	"slices"

	"github.com/verzuim/absence/analytics/poortwachter"
)

// OutcomeDefinitions lists the definitions of the outcome analyses:
// survival (Kaplan–Meier), how cases end, progression, Poortwachter tracks,
// interventions, relapse, the landmark comparisons and frequent absence
// followed by long absence, with the thresholds of opt filled in. Every
// result of those functions carries the ones it uses.
func OutcomeDefinitions(opt Options) []Definition {
	opt, err := opt.withDefaults()
	if err != nil {
		opt, _ = Options{}.withDefaults()
	}
	const (
		population = "Sickness cases (absence types sickness, sickness_pregnancy and organ_donation; pregnancy leave and type other are never sickness) whose first sick day lies in the period P, attributed to the contract valid on the first sick day, which the population filter applies to."
		duration   = "The time of a case is recovery date − first sick day in calendar days (its GZVD duration): the recovery date is the first day fully back, so partial recovery does not end a case."
		censoring  = "A case without a recovery date on or before the extract date is open: it is censored at extract date − first sick day, because it is known to last more than that many days (sick on the extract date, it can recover the next day at the earliest). With the usual convention a case censored at t is still at risk at t."
		km         = "R survival, survfit (Therneau); Kaplan & Meier, J Am Stat Assoc 1958; Greenwood 1926"
	)
	days := func(ds []int) string { return fmt.Sprint(ds) }
	return append([]Definition{
		{Key: "survival", Name: "Time to the end of the case (Kaplan–Meier)", Dutch: "verzuimduur tot het einde van het verzuimgeval, met lopende gevallen (overlevingscurve)",
			Formula:     "S(t) = Π over times tᵢ ≤ t of (1 − dᵢ / nᵢ): surv is the estimated share of cases still absent after t days, i.e. lasting more than t days",
			Numerator:   "dᵢ (n_event): cases that ended after exactly tᵢ days, in any way (back at work, another employer, WIA, end of employment: see case_outcomes for each way).",
			Denominator: "nᵢ (n_risk): cases observed for at least tᵢ days (time ≥ tᵢ, ended or still open); n_censor counts the open cases censored at tᵢ.",
			Convention:  population + " " + duration + " " + censoring + " One row per time at which a case ended or was censored. Unlike GZVD, which averages closed cases only and is biased short, open cases count for as long as they have been observed.",
			Unit:        "share (0–1) per day t",
			Interval:    "Pointwise 95% interval on the log scale, R survival's default conf.type = \"log\": se(log S) = √Σ dᵢ/(nᵢ(nᵢ − dᵢ)) (Greenwood), interval S·exp(±1.96·se), the upper end capped at 1; undefined (null) once S = 0. std_err = S·se(log S), Greenwood's standard error of S.",
			Sources:     []string{km}},
		{Key: "median", Name: "Median duration (time to the end of the case)", Dutch: "mediane verzuimduur (Kaplan–Meier)",
			Formula:    "the first t with S(t) ≤ 0.5; where S is exactly 0.5 over a stretch, the midpoint of that stretch (R quantile.survfit); null when S never reaches 0.5",
			Convention: "Computed on the curve, so open cases count. Median and interval are in days.",
			Interval:   "The same rule applied to the lower limit gives the low end and to the upper limit the high end (R quantile.survfit, after Brookmeyer & Crowley); an end is null when that limit never reaches 0.5.",
			Unit:       "days", Sources: []string{km}},
		{Key: "log_rank", Name: "Log-rank test", Dutch: "log-rank-toets",
			Formula:    "χ² = (O − E)ᵀ V⁻¹ (O − E) over the groups with expected events > 0, one group left out; O observed, E expected events per group (E = Σ n_group·d/n over the event times), V the hypergeometric covariance; df = groups − 1; p = Q(df/2, χ²/2), the regularised upper incomplete gamma function",
			Convention: "Tests equal durations in the groups shown; suppressed groups are left out of the test (R survdiff with rho = 0).",
			Sources:    []string{"Mantel 1966; Peto & Peto 1972; R survival, survdiff"}},
		{Key: "outcome_suppressed", Name: "Small-group protection (curves, cohorts, arms)",
			Formula:    fmt.Sprintf("a curve, cohort, intervention group or arm is hidden when its cases come from fewer than %d employees or number fewer than %d", opt.MinEmployees, opt.MinCases),
			Convention: "Counted over the cases (interventions: linked cases) the figure is computed from. Strata of a dimension and cohorts partition their total, so complementary suppression hides the next-smallest until the hidden ones together reach both thresholds (teams within their department); providers likewise within their type. A value the statistics' breakdown hides under the same filter is hidden here too, and a filter that selects a hidden value hides the whole result. Landmark arms are not a partition of anything shown; a small arm is hidden with the comparison's test, hazard ratio and median difference. Thresholds as for the statistics (never below 5; DOMAIN.md §4).",
			Sources:    []string{"AVG art. 9; AP Beleidsregels De zieke werknemer (2016)"}},
		{Key: "still_absent_pct", Name: "Progression to long-term absence", Dutch: "doorstroom naar langdurig verzuim",
			Formula:    fmt.Sprintf("100 × S(d) at d = %s days (1 week, 6 weeks, 13 weeks, 1 year, 104 weeks): the %% of new cases lasting more than d days", days(ProgressionDays)),
			Convention: population + " Estimated on the Kaplan–Meier curve, so cases still open count for as long as they were observed; null when no case of the group was observed for d days (and the curve has not reached 0). n_risk is the number of cases observed for at least d days. Cohorts are the month or quarter of the first sick day.",
			Unit:       "%", Interval: "The curve's 95% interval at d (Greenwood, log scale), in %.", Sources: []string{km}},
		{Key: "cohort_grid", Name: "Cohort grid", Dutch: "cohorttabel verzuimduur",
			Formula:    "per cohort of first sick day, 100 × S(7w) for weeks w = 1 … N: the % still absent after w weeks",
			Convention: "Null beyond a cohort's follow-up (no case of the cohort observed for 7w days), so recent cohorts have shorter rows.",
			Unit:       "%"},
		{Key: "track", Name: "Poortwachter track", Dutch: "wachttijdtraject (samentelling, art. 7:629 lid 10 BW)",
			Formula:    fmt.Sprintf("periods of incapacity of one employee chained while fewer than %d days lie between a recovery date and the next first sick day, or, when a period adjoins pregnancy or maternity leave (its recovery date is the leave's first day), between the end of that leave and the next first sick day; week104_end = first sick day + %d + Σ days between the periods", poortwachter.SamentellingGapDays, poortwachter.WageContinuationDays),
			Convention: "Sickness, pregnancy-related sickness and organ donation each form tracks of their own: the last two are paid by the Ziektewet (art. 29a ZW; orgaandonatie) and are never added to other sickness (issue 10). The days between the periods (a leave included) do not count as sick days and move every later date by their number; the leave bridges only a period that adjoins it. A track is open when its last case is open on the extract date; its later dates assume the case continues. This is the legal layer only: ZMF, GZVD and the other statistics count cases. The population filter applies to the contract valid on the track's first sick day. Example (Stb. 2005, 65): sick 3-1-2022 to 3-7-2022, well 4–24 July, sick from 25-7-2022: the end moves from 1-1-2024 to 22-1-2024.",
			Sources:    []string{"art. 7:629 lid 10 BW; Stb. 2005, 65; rviregister.nl (samenstellen van ziekteperiodes)"}},
		{Key: "track_milestones", Name: "Milestone due dates", Dutch: "Poortwachter-termijnen",
			Formula:    "week n ends on sick day 7n of the track (first sick day + 7n − 1 without gaps): " + milestoneRulesText(),
			Convention: "Week numbers count sick days, so a gap moves every milestone after it exactly as it moves the 104-week end (our choice, consistent with the samentelling rule; whether milestones shift is not settled, DOMAIN.md §7). A milestone is due only in a track that reaches its sick day. Deadlines: milestones of open tracks due in the N weeks after the extract date and not yet recorded, listed once the track is within the milestone's lead of it (" + milestoneLeadText() + " sick days), so a case is not flagged for steps it is too young to need. The WIA application window follows UWV's 'by week 93'; the UWV ERD page says 13 weeks before the end (week 91).",
			Sources:    milestoneSources()},
		{Key: "milestone_status", Name: "Milestone compliance", Dutch: "tijdigheid Poortwachter-stappen",
			Formula:    "per milestone due in P (each evaluation of the action plan once): on_time (recorded on or before the due date), early (recorded before its window opened), late (recorded after the due date), missing (due date passed, nothing recorded)",
			Convention: "Only with imported milestone dates (native-milestones profile); a milestone row names a case of the track, the earliest date per track and milestone counts, and for the evaluations each recorded date answers the next one due. Without milestone data nothing is 'missing': past dates are 'unknown'. Open tracks list every milestone with its status (upcoming when due after the extract date). Compliance counts the tracks of at least 7 sick days; it is hidden when those come from too few employees or are too few (see outcome_suppressed)."},
		{Key: "intervention_link", Name: "Linking interventions to cases", Dutch: "koppeling interventie – verzuimgeval",
			Formula:    fmt.Sprintf("an intervention belongs to the sickness case of the same employee that is open on its start date (first sick day ≤ start < recovery date, or still open); a return_talk (werkbalansgesprek) belongs to the sickness case that started on or before its start and whose recovery date lies within %d days of it, before or after (the nearest; the earlier when two are equally near), and otherwise to the case open on its start date", ReturnTalkWindowDays),
			Convention: "Interventions whose start date lies in P. Cases do not overlap, so there is at most one open case. Interventions that cannot be linked are in no group and are counted by reason (unlinked_reasons): no_case (no sickness case open on the start date and, for a return talk, none recovered within the window: before, between or after cases), not_sickness (during pregnancy or maternity leave, or an absence of type other), no_contract (no contract on the start date; counted only without a population filter, since it belongs to no department). The population filter applies to the contract valid on the linked case's first sick day (the start date when unlinked). Figures per type and per provider of the type (a missing provider is '(not recorded)')."},
		{Key: "days_to_start", Name: "Days from first sick day to start", Dutch: "tijd tot inzet interventie",
			Formula: "start date − first sick day of the linked case; median and mean over the group's interventions", Unit: "days"},
		{Key: "outcomes", Name: "Outcome mix", Dutch: "wijze van beëindiging",
			Formula:    "the end reasons of the group's distinct linked cases, with 'open' for cases not closed on the extract date and 'not_recorded' for closed cases without a reason",
			Convention: "Descriptive: cases that receive an intervention are longer and different from those that do not.", Unit: "cases, %"},
		{Key: "recovery_from_start", Name: "Time from start to the end of the case", Dutch: "tijd van inzet tot het einde van het verzuimgeval",
			Formula:    "Kaplan–Meier of recovery date − start date per intervention (0 for a return talk held on or after the recovery date); an open linked case is censored at extract date − start date",
			Convention: "Per intervention (a case with two interventions of the group counts twice). Every way of ending counts here; return_to_work counts the returns to the own employer. Descriptive, not a measure of effect: see landmark.", Unit: "share (0–1) per day t"},
		{Key: "return_to_work", Name: "Back at the own employer after the start", Dutch: "terug bij de eigen werkgever na de inzet",
			Formula:    fmt.Sprintf("100 × F_own_employer(d) at d = %s days after the start (about 3, 6 and 12 months): the Aalen–Johansen estimate of case_outcomes on the time recovery date − start date of each intervention (as recovery_from_start)", days(ReturnToWorkDays)),
			Convention: "Only own_employer counts as a return; the other ways a case ends (second track, WIA/IVA, end of employment, other) compete with it and are not returns. Null when no intervention of the group was followed for d days.", Unit: "%",
			Interval:  "As case_outcomes (infinitesimal jackknife, log scale), in %.",
			DutchText: "Welk deel van de gevallen met deze interventie binnen 3, 6 en 12 maanden na de start terugkeerde bij de eigen werkgever. Plaatsing elders, WIA/IVA en uit dienst tellen niet als terugkeer."},
		{Key: "landmark", Name: "Landmark comparison", Dutch: "landmarkanalyse (zonder 'immortal time bias')",
			Formula:    "at landmark day L: the cases known to last more than L days (ended after more than L days, or open with extract date − first sick day ≥ L), followed from day L to the end of the case: Kaplan–Meier of (time − L) per arm and the log-rank test between the arms",
			Convention: population + " A case that ended on or before day L (time ≤ L) is left out, and so is an open case observed for fewer than L days. An intervention counts when it started on or after the first sick day and before day L (start − first sick day < L); one that started on day L or later counts as none. This removes the bias of comparing cases with and without an intervention, where the intervened cases had to last long enough to get one.",
			Sources:    []string{"Anderson, Cain & Gelber, J Clin Oncol 1983 (landmark method); Dafni, Circ Cardiovasc Qual Outcomes 2011"}},
		{Key: "landmark_arms", Name: "Arms: intervention versus none",
			Formula:    "arm 'intervention': intervention type X started before day L; arm 'none': no intervention of any type before day L",
			Convention: "Cases that received only other types before L are in neither arm, so the comparison is X against no help at all, not against other help. Cases in several types' arms count in each of those types' comparisons. Rates are the % still absent 28, 91, 182 and 365 days after the landmark."},
		{Key: "early_vs_late", Name: "Early versus late start",
			Formula:    "at a landmark L later than the early limit E (default 42 days): arm 'early': X first started before day E; arm 'late': X first started on day E … L − 1",
			Convention: "Both arms are still absent at L and classified by what happened before L, so the early arm gets no credit for the weeks the late arm had to wait."},
		{Key: "hazard_ratio", Name: "Hazard ratio (Peto)",
			Formula:    "HR = exp((O₁ − E₁) / V₁) for the first arm, from the log-rank sums",
			Convention: "The ratio of the rates of the event (the end of the case) in the first arm to the second: above 1, the first arm's event comes sooner. median_difference_days = the second arm's median − the first's: positive when the first arm's absence is shorter.",
			Interval:   "exp((O₁ − E₁)/V₁ ± 1.96/√V₁); the Peto approximation is good when the ratio is not far from 1 and the arms are not very unequal.",
			Sources:    []string{"Yusuf, Peto et al., Prog Cardiovasc Dis 1985"}},
	}, caseEndDefinitions(opt, population, duration, censoring)...)
}

// outcomeDefinitions picks the definitions with the given keys, in order.
func outcomeDefinitions(opt Options, keys ...string) DefinitionList {
	all := OutcomeDefinitions(opt)
	var out DefinitionList
	for _, k := range keys {
		if i := slices.IndexFunc(all, func(d Definition) bool { return d.Key == k }); i >= 0 {
			out = append(out, all[i])
		}
	}
	return out
}
