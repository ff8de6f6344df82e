package analytics

import "fmt"

// caseEndDefinitions are the definitions of how cases end, relapse and
// frequent absence leading to long absence. population, duration and
// censoring are the common texts of OutcomeDefinitions.
func caseEndDefinitions(opt Options, population, duration, censoring string) []Definition {
	const (
		aj          = "Aalen & Johansen, Scand J Stat 1978; R survival, survfit for multi-state data (Therneau, the survival package's methods vignette); Putter, Fiocco & Geskus, Stat Med 2007"
		ijInterval  = "Infinitesimal jackknife, as R's survfit for multi-state curves (each case its own cluster, so repeat cases of one employee count as independent): the variance is the sum over the cases of the squared derivative of the estimate with respect to the case's weight. Pointwise 95% interval on the log scale, R's default conf.type = \"log\": p·exp(±1.96·se/p), the upper end capped at 1; undefined (null) where p = 0."
		kmComplment = "Greenwood on the log scale of S (R survfit's default), complemented: [1 − upper(S), 1 − lower(S)]; null where undefined."
	)
	ends := "own_employer (end reason full_return, adapted_own_work or other_work_own_employer: back at the own employer, spoor 1), second_track (placed with another employer, spoor 2), wia_iva, employment_ended and other. A closed case without an end reason counts as own_employer, unless the employee was employed on the day before the recovery date and not on the recovery date itself (the employment ended the day before): then employment_ended."
	return []Definition{
		{Key: "case_outcomes", Name: "How cases end (competing risks, Aalen–Johansen)", Dutch: "wijze van beëindiging van verzuimgevallen",
			Formula:     "at the times tᵢ at which cases end (nᵢ cases observed for at least tᵢ days, dₖᵢ of them ending in way k, dᵢ = Σₖ dₖᵢ): still_absent S(t) = Π over tᵢ ≤ t of (1 − dᵢ/nᵢ); way k Fₖ(t) = Σ over tᵢ ≤ t of S(tᵢ₋₁)·dₖᵢ/nᵢ; S + Σₖ Fₖ = 1 at every t. Equal to pstate of R's survfit(Surv(time, factor(status)) ~ 1).",
			Numerator:   "dₖᵢ: cases that ended after exactly tᵢ days in way k: " + ends,
			Denominator: "nᵢ (n_risk): cases observed for at least tᵢ days (ended then or later, or still open).",
			Convention:  population + " " + duration + " " + censoring + fmt.Sprintf(" Reported at %v days, and with all_times at every time a case ended; null beyond the follow-up (no case of the group observed that long while some are still absent).", OutcomeDays),
			Interval:    ijInterval,
			Unit:        "fraction (0–1) per day t",
			Sources:     []string{aj},
			DutchText:   "Van de verzuimgevallen die in de periode begonnen: welk deel na t dagen nog verzuimt, en welk deel is geëindigd met terugkeer bij de eigen werkgever (spoor 1), plaatsing bij een andere werkgever (spoor 2), WIA/IVA, einde dienstverband of anders; samen steeds 100%. Lopende gevallen tellen mee zolang ze gevolgd zijn (Aalen–Johansen). Een gesloten geval zonder reden telt als terugkeer bij de eigen werkgever, tenzij het dienstverband de dag vóór de hersteldatum eindigde."},
		{Key: "long_case_outcomes", Name: "Outcome of the long cases", Dutch: "uitkomst van langdurig verzuim (langer dan een jaar)",
			Formula:    fmt.Sprintf("per way: the cases of the period that ended in that way after more than %[1]d days; still_absent: the open cases observed for at least %[1]d days; share = n ÷ all long cases of the group", LongCaseDays),
			Convention: fmt.Sprintf("Ways as in case_outcomes. A case that started less than %d days before the extract date cannot be long yet: for a complete count choose a period that ends a year or more before the extract date. Hidden when the group's long cases come from fewer than %d employees or number fewer than %d; complementary suppression among the groups that have long cases (a group without any shows 0).", LongCaseDays, opt.MinEmployees, opt.MinCases),
			Unit:       "cases, fraction (0–1)",
			DutchText:  "Van de gevallen die na een jaar nog verzuimden: hoeveel keerden terug bij de eigen werkgever, gingen naar een andere werkgever (spoor 2), de WIA in of uit dienst, en hoeveel verzuimen nog."},
		{Key: "relapse", Name: "Relapse after a return to the own employer", Dutch: "terugval (recidief) na terugkeer bij de eigen werkgever",
			Formula:     fmt.Sprintf("F(t) = 1 − S(t) at t = %v days, S the Kaplan–Meier curve of T = first sick day of the employee's next sickness case − recovery date: the share with a new sick report at most t days after the first day back", RelapseDays),
			Numerator:   "New sickness cases (sickness or sickness_pregnancy) that start on or after the recovery date.",
			Denominator: fmt.Sprintf("Index returns (n): sickness cases of at least %d days (recovery date − first sick day) that ended back at the own employer (own_employer, see case_outcomes), with their recovery date in P; the population filter applies to the contract valid on the first sick day.", opt.RelapseIndexDays),
			Convention:  fmt.Sprintf("Arms: return_talk, a return_talk (werkbalansgesprek) of the employee started from %[1]d days before to %[1]d days after the recovery date (so the talk on the first day back counts); no_return_talk, none in that window; all_returns, both, the baseline. Follow-up ends at the extract date and at the end of the employee's unbroken employment (contracts following on from each other), whichever is first, and is censored there: the figure is the relapse risk while employed (Kaplan–Meier complement; a relapse after leaving and being rehired does not count). A talk after the recovery date can only be held with someone back at work, which favours the return_talk arm a little in the first %[1]d days (immortal time); the 91- and 365-day figures are hardly affected. A return in the last %[1]d days before the extract date may still get its talk. An arm is hidden when its returns come from fewer than %[2]d employees or number fewer than %[3]d; the two arms partition all returns, so when one is hidden so is the other. relapse_log_rank tests return_talk against no_return_talk.", ReturnTalkWindowDays, opt.MinEmployees, opt.MinCases),
			Interval:    kmComplment,
			Unit:        "fraction (0–1)",
			Sources:     []string{"R survival, survfit; Kaplan & Meier 1958; Greenwood 1926"},
			DutchText:   fmt.Sprintf("Van de medewerkers die na minstens %d dagen verzuim terugkeerden bij de eigen werkgever: welk deel zich binnen 28, 91 en 365 dagen opnieuw ziek meldde, met en zonder werkbalansgesprek (van %d dagen vóór tot %[2]d dagen na de hersteldatum). Wie uit dienst gaat, telt vanaf dat moment niet meer mee.", opt.RelapseIndexDays, ReturnTalkWindowDays)},
		{Key: "frequent_to_long", Name: "Frequent absence followed by long-term absence", Dutch: "van frequent verzuim naar langdurig verzuim",
			Formula:     fmt.Sprintf("per group, F(t) = 1 − S(t) at t = %v months after the reference date (calendar months, in days), S the Kaplan–Meier curve of T = first sick day of the employee's first sickness case of more than %d days that starts after the reference date − the reference date", FrequentToLongMonths, LongAbsenceDays),
			Numerator:   fmt.Sprintf("Employees whose first long case starts within t: a sickness or sickness_pregnancy case with recovery date − first sick day > %[1]d, or still open after at least %[1]d days.", LongAbsenceDays),
			Denominator: fmt.Sprintf("Employees of the population with a contract on the reference date (the filter applies to that contract), in group frequent (at least %d new sickness cases with their first sick day in the %d months up to and including the reference date, the rule of frequent_absentees) or other.", opt.FrequentThreshold, opt.FrequentWindowMonths),
			Convention:  fmt.Sprintf("Follow-up ends at the end of the employee's unbroken employment and at extract date − %d days (a case starting later cannot be known to last that long yet), whichever is first, and is censored there. A case that started on or before the reference date does not count. A group is hidden when it has fewer than %d employees or its employees had fewer than %d sickness cases in the window; the two groups partition the employees, so when one is hidden so is the other.", LongAbsenceDays, opt.MinEmployees, opt.MinCases),
			Interval:    kmComplment,
			Unit:        "fraction (0–1)",
			Sources:     []string{"Koopmans, RUG 2009 (frequent absentees and long-term absence); R survival, survfit"},
			DutchText:   fmt.Sprintf("Van de medewerkers die op de peildatum frequent verzuimer waren (%d of meer ziekmeldingen in de %d maanden ervoor) en van de overige medewerkers: welk deel binnen 12, 24 en 48 maanden een verzuimgeval van meer dan %d dagen begon. Wie uit dienst gaat, telt vanaf dat moment niet meer mee.", opt.FrequentThreshold, opt.FrequentWindowMonths, LongAbsenceDays)},
	}
}
