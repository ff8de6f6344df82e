package analytics

import "fmt"

// How cases end, relapse and frequent absence followed by long absence, in
// the catalogue (see figures_outcomes.go).

const (
	ajSource      = "Aalen & Johansen, Scand J Stat 1978; R survival, survfit for multi-state data (Therneau, the survival package's methods vignette); Putter, Fiocco & Geskus, Stat Med 2007"
	ijIntervalEN  = "Infinitesimal jackknife, as R's survfit for multi-state curves (each case its own cluster, so repeat cases of one employee count as independent): the variance is the sum over the cases of the squared derivative of the estimate with respect to the case's weight. Pointwise 95% interval on the log scale, R's default conf.type = \"log\": p·exp(±1.96·se/p), the upper end capped at 1; undefined (null) where p = 0."
	ijIntervalNL  = "Infinitesimale jackknife, als R's survfit voor multi-state-curves (elk geval een eigen cluster, dus herhaalde gevallen van één medewerker tellen als onafhankelijk): de variantie is de som over de gevallen van de gekwadrateerde afgeleide van de schatting naar het gewicht van het geval. Puntsgewijs 95%-interval op de logschaal, de standaard van R (conf.type = \"log\"): p·exp(±1,96·se/p), de bovengrens afgekapt op 1; niet gedefinieerd (null) waar p = 0."
	kmComplmentEN = "Greenwood on the log scale of S (R survfit's default), complemented: [1 − upper(S), 1 − lower(S)]; null where undefined."
	kmComplmentNL = "Greenwood op de logschaal van S (de standaard van R survfit), aangevuld tot 1: [1 − boven(S), 1 − onder(S)]; null waar niet gedefinieerd."
	endsEN        = "own_employer (end reason full_return, adapted_own_work or other_work_own_employer: back at the own employer, spoor 1), second_track (placed with another employer, spoor 2), wia_iva, employment_ended and other. A closed case without an end reason counts as own_employer, unless the employee was employed on the day before the recovery date and not on the recovery date itself (the employment ended the day before): then employment_ended."
	endsNL        = "own_employer (reden van einde full_return, adapted_own_work of other_work_own_employer: terug bij de eigen werkgever, spoor 1), second_track (geplaatst bij een andere werkgever, spoor 2), wia_iva, employment_ended en other. Een afgesloten geval zonder reden telt als own_employer, tenzij de medewerker op de dag vóór de hersteldatum in dienst was en op de hersteldatum zelf niet (het dienstverband eindigde de dag ervoor): dan employment_ended."
)

var caseEndFigures = []Figure{
	{Key: "case_outcomes",
		EN: Text{Label: "How cases end", Name: "How cases end (competing risks, Aalen–Johansen)",
			Formula:     "at the times tᵢ at which cases end (nᵢ cases observed for at least tᵢ days, dₖᵢ of them ending in way k, dᵢ = Σₖ dₖᵢ): still_absent S(t) = Π over tᵢ ≤ t of (1 − dᵢ/nᵢ); way k Fₖ(t) = Σ over tᵢ ≤ t of S(tᵢ₋₁)·dₖᵢ/nᵢ; S + Σₖ Fₖ = 1 at every t. Equal to pstate of R's survfit(Surv(time, factor(status)) ~ 1).",
			Numerator:   "dₖᵢ: cases that ended after exactly tᵢ days in way k: " + endsEN,
			Denominator: "nᵢ (n_risk): cases observed for at least tᵢ days (ended then or later, or still open).",
			Convention:  sentences(populationEN, durationEN, censoringEN) + fmt.Sprintf(" Reported at %v days, and with all_times at every time a case ended; null beyond the follow-up (no case of the group observed that long while some are still absent).", OutcomeDays),
			Interval:    ijIntervalEN,
			Unit:        "fraction (0–1) per day t",
			Summary:     "Of the absence cases that started in the period: the share still absent after t days, and the share ended by a return to the own employer (first track), a placement with another employer (second track), WIA/IVA, the end of employment or otherwise; always 100% together. Open cases count for as long as they have been followed (Aalen–Johansen). A closed case without a reason counts as a return to the own employer, unless the employment ended the day before the recovery date."},
		NL: Text{Label: "Wijze van beëindiging", Name: "wijze van beëindiging van verzuimgevallen",
			Formula:     "op de tijden tᵢ waarop gevallen eindigen (nᵢ gevallen minstens tᵢ dagen gevolgd, dₖᵢ daarvan geëindigd op manier k, dᵢ = Σₖ dₖᵢ): still_absent S(t) = Π over tᵢ ≤ t van (1 − dᵢ/nᵢ); manier k Fₖ(t) = Σ over tᵢ ≤ t van S(tᵢ₋₁)·dₖᵢ/nᵢ; S + Σₖ Fₖ = 1 op elke t. Gelijk aan pstate van R's survfit(Surv(time, factor(status)) ~ 1).",
			Numerator:   "dₖᵢ: gevallen die na precies tᵢ dagen op manier k eindigden: " + endsNL,
			Denominator: "nᵢ (n_risk): gevallen die minstens tᵢ dagen gevolgd zijn (toen of later geëindigd, of nog lopend).",
			Convention:  sentences(populationNL, durationNL, censoringNL) + fmt.Sprintf(" Gegeven op %v dagen, en met all_times op elke tijd waarop een geval eindigde; null voorbij de volgtijd (geen geval van de groep zo lang gevolgd terwijl er nog verzuimen).", OutcomeDays),
			Interval:    ijIntervalNL,
			Unit:        "fractie (0–1) per dag t",
			Summary:     "Van de verzuimgevallen die in de periode begonnen: welk deel na t dagen nog verzuimt, en welk deel is geëindigd met terugkeer bij de eigen werkgever (spoor 1), plaatsing bij een andere werkgever (spoor 2), WIA/IVA, einde dienstverband of anders; samen steeds 100%. Lopende gevallen tellen mee zolang ze gevolgd zijn (Aalen–Johansen). Een gesloten geval zonder reden telt als terugkeer bij de eigen werkgever, tenzij het dienstverband de dag vóór de hersteldatum eindigde."},
		Sources: []string{ajSource}},
	{Key: "long_case_outcomes",
		EN: Text{Label: "Outcome of the long cases", Name: "Outcome of the long cases",
			Formula:    fmt.Sprintf("per way: the cases of the period that ended in that way after more than %[1]d days; still_absent: the open cases observed for at least %[1]d days; share = n ÷ all long cases of the group", LongCaseDays),
			Convention: fmt.Sprintf("Ways as in case_outcomes. A case that started less than %d days before the extract date cannot be long yet: for a complete count choose a period that ends a year or more before the extract date. Hidden when the group's long cases come from fewer than {min_employees} employees or number fewer than {min_cases}; complementary suppression among the groups that have long cases (a group without any shows 0).", LongCaseDays),
			Unit:       "cases, fraction (0–1)",
			Summary:    "Of the cases still absent after a year: how many returned to the own employer, went to another employer (second track), into WIA or out of employment, and how many are still absent."},
		NL: Text{Label: "Uitkomst van langdurig verzuim", Name: "uitkomst van langdurig verzuim (langer dan een jaar)",
			Formula:    fmt.Sprintf("per manier: de gevallen van de periode die na meer dan %[1]d dagen op die manier eindigden; still_absent: de lopende gevallen die minstens %[1]d dagen gevolgd zijn; aandeel = n ÷ alle lange gevallen van de groep", LongCaseDays),
			Convention: fmt.Sprintf("Manieren als bij case_outcomes. Een geval dat minder dan %d dagen vóór de extractiedatum begon, kan nog niet lang zijn: kies voor een volledige telling een periode die een jaar of meer vóór de extractiedatum eindigt. Verborgen als de lange gevallen van de groep van minder dan {min_employees} medewerkers komen of minder dan {min_cases} zijn; aanvullende onderdrukking tussen de groepen die lange gevallen hebben (een groep zonder toont 0).", LongCaseDays),
			Unit:       "gevallen, fractie (0–1)",
			Summary:    "Van de gevallen die na een jaar nog verzuimden: hoeveel keerden terug bij de eigen werkgever, gingen naar een andere werkgever (spoor 2), de WIA in of uit dienst, en hoeveel verzuimen nog."}},
	{Key: "relapse",
		EN: Text{Label: "Relapse", Name: "Relapse after a return to the own employer",
			Formula:     fmt.Sprintf("F(t) = 1 − S(t) at t = %v days, S the Kaplan–Meier curve of T = first sick day of the employee's next sickness case − recovery date: the share with a new sick report at most t days after the first day back", RelapseDays),
			Numerator:   "New sickness cases (sickness or sickness_pregnancy) that start on or after the recovery date.",
			Denominator: "Index returns (n): sickness cases of at least {relapse_index_days} days (recovery date − first sick day) that ended back at the own employer (own_employer, see case_outcomes), with their recovery date in P; the population filter applies to the contract valid on the first sick day.",
			Convention:  fmt.Sprintf("Arms: return_talk, a return_talk (werkbalansgesprek) of the employee started from %[1]d days before to %[1]d days after the recovery date (so the talk on the first day back counts); no_return_talk, none in that window; all_returns, both, the baseline. Follow-up ends at the extract date and at the end of the employee's unbroken employment (contracts following on from each other), whichever is first, and is censored there: the figure is the relapse risk while employed (Kaplan–Meier complement; a relapse after leaving and being rehired does not count). A talk after the recovery date can only be held with someone back at work, which favours the return_talk arm a little in the first %[1]d days (immortal time); the 91- and 365-day figures are hardly affected. A return in the last %[1]d days before the extract date may still get its talk. An arm is hidden when its returns come from fewer than {min_employees} employees or number fewer than {min_cases}; the two arms partition all returns, so when one is hidden so is the other. relapse_log_rank tests return_talk against no_return_talk.", ReturnTalkWindowDays),
			Interval:    kmComplmentEN,
			Unit:        "fraction (0–1)",
			Summary:     fmt.Sprintf("Of the employees who returned to the own employer after at least {relapse_index_days} days of absence: the share that reported sick again within 28, 91 and 365 days, with and without a return-to-work talk (from %[1]d days before to %[1]d days after the recovery date). Whoever leaves employment no longer counts from then on.", ReturnTalkWindowDays)},
		NL: Text{Label: "Terugval", Name: "terugval (recidief) na terugkeer bij de eigen werkgever",
			Formula:     fmt.Sprintf("F(t) = 1 − S(t) op t = %v dagen, S de Kaplan–Meier-curve van T = eerste ziektedag van het volgende verzuimgeval van de medewerker − hersteldatum: het deel met een nieuwe ziekmelding hooguit t dagen na de eerste dag terug", RelapseDays),
			Numerator:   "Nieuwe verzuimgevallen (ziekte of ziekte door zwangerschap of bevalling) die op of na de hersteldatum beginnen.",
			Denominator: "Terugkeer (n): verzuimgevallen van minstens {relapse_index_days} dagen (hersteldatum − eerste ziektedag) die eindigden met terugkeer bij de eigen werkgever (own_employer, zie case_outcomes), met hun hersteldatum in P; het populatiefilter werkt op het contract dat op de eerste ziektedag geldt.",
			Convention:  fmt.Sprintf("Armen: return_talk, een werkbalansgesprek (return_talk) van de medewerker dat begon van %[1]d dagen vóór tot %[1]d dagen na de hersteldatum (dus het gesprek op de eerste dag terug telt); no_return_talk, geen in dat venster; all_returns, beide, de basis. De volgtijd eindigt op de extractiedatum en aan het einde van het ononderbroken dienstverband (contracten die op elkaar aansluiten), wat het eerst komt, en wordt daar gecensureerd: het cijfer is het risico op terugval zolang iemand in dienst is (complement van Kaplan–Meier; terugval na vertrek en herindiensttreding telt niet). Een gesprek na de hersteldatum kan alleen met iemand die weer werkt, wat de arm return_talk in de eerste %[1]d dagen iets bevoordeelt (immortal time); de cijfers op 91 en 365 dagen merken er nauwelijks iets van. Wie in de laatste %[1]d dagen vóór de extractiedatum terugkeerde, kan het gesprek nog krijgen. Een arm wordt verborgen als de terugkeer van minder dan {min_employees} medewerkers komt of minder dan {min_cases} keer voorkomt; de twee armen verdelen alle terugkeer, dus als de een verborgen is, is de ander het ook. relapse_log_rank toetst return_talk tegen no_return_talk.", ReturnTalkWindowDays),
			Interval:    kmComplmentNL,
			Unit:        "fractie (0–1)",
			Summary:     fmt.Sprintf("Van de medewerkers die na minstens {relapse_index_days} dagen verzuim terugkeerden bij de eigen werkgever: welk deel zich binnen 28, 91 en 365 dagen opnieuw ziek meldde, met en zonder werkbalansgesprek (van %[1]d dagen vóór tot %[1]d dagen na de hersteldatum). Wie uit dienst gaat, telt vanaf dat moment niet meer mee.", ReturnTalkWindowDays)},
		Sources: []string{"R survival, survfit; Kaplan & Meier 1958; Greenwood 1926"}},
	{Key: "frequent_to_long",
		EN: Text{Label: "From frequent to long absence", Name: "Frequent absence followed by long-term absence",
			Formula:     fmt.Sprintf("per group, F(t) = 1 − S(t) at t = %v months after the reference date (calendar months, in days), S the Kaplan–Meier curve of T = first sick day of the employee's first sickness case of more than %d days that starts after the reference date − the reference date", FrequentToLongMonths, LongAbsenceDays),
			Numerator:   fmt.Sprintf("Employees whose first long case starts within t: a sickness or sickness_pregnancy case with recovery date − first sick day > %[1]d, or still open after at least %[1]d days.", LongAbsenceDays),
			Denominator: "Employees of the population with a contract on the reference date (the filter applies to that contract), in group frequent (at least {frequent_threshold} new sickness cases with their first sick day in the {frequent_window_months} months up to and including the reference date, the rule of frequent_absentees) or other.",
			Convention:  fmt.Sprintf("Follow-up ends at the end of the employee's unbroken employment and at extract date − %d days (a case starting later cannot be known to last that long yet), whichever is first, and is censored there. A case that started on or before the reference date does not count. A group is hidden when it has fewer than {min_employees} employees or its employees had fewer than {min_cases} sickness cases in the window; the two groups partition the employees, so when one is hidden so is the other.", LongAbsenceDays),
			Interval:    kmComplmentEN,
			Unit:        "fraction (0–1)",
			Summary:     fmt.Sprintf("Of the employees who were frequent absentees on the reference date ({frequent_threshold} or more sick reports in the {frequent_window_months} months before it) and of the other employees: the share that started an absence of more than %d days within 12, 24 and 48 months. Whoever leaves employment no longer counts from then on.", LongAbsenceDays)},
		NL: Text{Label: "Van frequent naar langdurig verzuim", Name: "van frequent verzuim naar langdurig verzuim",
			Formula:     fmt.Sprintf("per groep, F(t) = 1 − S(t) op t = %v maanden na de peildatum (kalendermaanden, in dagen), S de Kaplan–Meier-curve van T = eerste ziektedag van het eerste verzuimgeval van meer dan %d dagen dat na de peildatum begint − de peildatum", FrequentToLongMonths, LongAbsenceDays),
			Numerator:   fmt.Sprintf("Medewerkers van wie het eerste lange geval binnen t begint: een geval van ziekte of ziekte door zwangerschap of bevalling met hersteldatum − eerste ziektedag > %[1]d, of dat na minstens %[1]d dagen nog loopt.", LongAbsenceDays),
			Denominator: "Medewerkers van de populatie met een contract op de peildatum (het filter werkt op dat contract), in de groep frequent (minstens {frequent_threshold} nieuwe verzuimgevallen met hun eerste ziektedag in de {frequent_window_months} maanden tot en met de peildatum, de regel van frequent_absentees) of other.",
			Convention:  fmt.Sprintf("De volgtijd eindigt aan het einde van het ononderbroken dienstverband en op extractiedatum − %d dagen (van een geval dat later begint, kan nog niet bekend zijn dat het zo lang duurt), wat het eerst komt, en wordt daar gecensureerd. Een geval dat op of vóór de peildatum begon, telt niet. Een groep wordt verborgen als ze minder dan {min_employees} medewerkers heeft of haar medewerkers in het venster minder dan {min_cases} verzuimgevallen hadden; de twee groepen verdelen de medewerkers, dus als de een verborgen is, is de ander het ook.", LongAbsenceDays),
			Interval:    kmComplmentNL,
			Unit:        "fractie (0–1)",
			Summary:     fmt.Sprintf("Van de medewerkers die op de peildatum frequent verzuimer waren ({frequent_threshold} of meer ziekmeldingen in de {frequent_window_months} maanden ervoor) en van de overige medewerkers: welk deel binnen 12, 24 en 48 maanden een verzuimgeval van meer dan %d dagen begon. Wie uit dienst gaat, telt vanaf dat moment niet meer mee.", LongAbsenceDays)},
		Sources: []string{"Koopmans, RUG 2009 (frequent absentees and long-term absence); R survival, survfit"}},
}
