package analytics

import (
	"fmt"
	"strings"

	"github.com/verzuim/absence/analytics/poortwachter"
)

// The outcome analyses in the catalogue: survival (Kaplan–Meier),
// progression, Poortwachter tracks, interventions and the landmark
// comparisons; how cases end, relapse and frequent-to-long are in
// figures_case_ends.go. Their results carry these definitions; the figures
// themselves are curves and tables, read from the result types.

// Texts that the outcome definitions share.
const (
	populationEN = "Sickness cases (absence types sickness, sickness_pregnancy and organ_donation; pregnancy leave and type other are never sickness) whose first sick day lies in the period P, attributed to the contract valid on the first sick day, which the population filter applies to."
	populationNL = "Verzuimgevallen (verzuimsoorten ziekte, ziekte door zwangerschap of bevalling en orgaandonatie; zwangerschapsverlof en de soort overig zijn nooit ziekte) met hun eerste ziektedag in de periode P, toegerekend aan het contract dat op de eerste ziektedag geldt, waarop het populatiefilter werkt."
	durationEN   = "The time of a case is recovery date − first sick day in calendar days (its GZVD duration): the recovery date is the first day fully back, so partial recovery does not end a case."
	durationNL   = "De tijd van een geval is hersteldatum − eerste ziektedag in kalenderdagen (de duur van de GZVD): de hersteldatum is de eerste dag volledig terug, dus gedeeltelijk herstel beëindigt een geval niet."
	censoringEN  = "A case without a recovery date on or before the extract date is open: it is censored at extract date − first sick day, because it is known to last more than that many days (sick on the extract date, it can recover the next day at the earliest). With the usual convention a case censored at t is still at risk at t."
	censoringNL  = "Een geval zonder hersteldatum op of vóór de extractiedatum loopt nog: het wordt gecensureerd op extractiedatum − eerste ziektedag, omdat het bekend is dat het langer duurt dan zoveel dagen (ziek op de extractiedatum, kan het op zijn vroegst de dag erna herstellen). Volgens de gebruikelijke afspraak is een geval dat op t gecensureerd wordt op t nog at risk."
	kmSource     = "R survival, survfit (Therneau); Kaplan & Meier, J Am Stat Assoc 1958; Greenwood 1926"
)

var outcomeFigures = []Figure{
	{Key: "survival",
		EN: Text{Label: "Time to the end of the case", Name: "Time to the end of the case (Kaplan–Meier)",
			Formula:     "S(t) = Π over times tᵢ ≤ t of (1 − dᵢ / nᵢ): surv is the estimated share of cases still absent after t days, i.e. lasting more than t days",
			Numerator:   "dᵢ (n_event): cases that ended after exactly tᵢ days, in any way (back at work, another employer, WIA, end of employment: see case_outcomes for each way).",
			Denominator: "nᵢ (n_risk): cases observed for at least tᵢ days (time ≥ tᵢ, ended or still open); n_censor counts the open cases censored at tᵢ.",
			Convention:  sentences(populationEN, durationEN, censoringEN, "One row per time at which a case ended or was censored. Unlike GZVD, which averages closed cases only and is biased short, open cases count for as long as they have been observed."),
			Unit:        "share (0–1) per day t",
			Interval:    "Pointwise 95% interval on the log scale, R survival's default conf.type = \"log\": se(log S) = √Σ dᵢ/(nᵢ(nᵢ − dᵢ)) (Greenwood), interval S·exp(±1.96·se), the upper end capped at 1; undefined (null) once S = 0. std_err = S·se(log S), Greenwood's standard error of S."},
		NL: Text{Label: "Verzuimduur tot het einde", Name: "verzuimduur tot het einde van het verzuimgeval, met lopende gevallen (overlevingscurve)",
			Formula:     "S(t) = Π over de tijden tᵢ ≤ t van (1 − dᵢ / nᵢ): surv is het geschatte deel van de gevallen dat na t dagen nog verzuimt, dus langer dan t dagen duurt",
			Numerator:   "dᵢ (n_event): gevallen die na precies tᵢ dagen eindigden, op welke manier ook (terug aan het werk, andere werkgever, WIA, einde dienstverband: zie case_outcomes voor elke manier).",
			Denominator: "nᵢ (n_risk): gevallen die minstens tᵢ dagen gevolgd zijn (tijd ≥ tᵢ, geëindigd of nog lopend); n_censor telt de lopende gevallen die op tᵢ gecensureerd zijn.",
			Convention:  sentences(populationNL, durationNL, censoringNL, "Eén rij per tijd waarop een geval eindigde of gecensureerd werd. Anders dan de GZVD, die alleen afgesloten gevallen middelt en daardoor te kort uitvalt, tellen lopende gevallen mee zolang ze gevolgd zijn."),
			Unit:        "aandeel (0–1) per dag t",
			Interval:    "Puntsgewijs 95%-interval op de logschaal, de standaard van R survival (conf.type = \"log\"): se(log S) = √Σ dᵢ/(nᵢ(nᵢ − dᵢ)) (Greenwood), interval S·exp(±1,96·se), de bovengrens afgekapt op 1; niet gedefinieerd (null) zodra S = 0. std_err = S·se(log S), de standaardfout van S volgens Greenwood."},
		Sources: []string{kmSource}},
	{Key: "median",
		EN: Text{Label: "Median duration", Name: "Median duration (time to the end of the case)",
			Formula:    "the first t with S(t) ≤ 0.5; where S is exactly 0.5 over a stretch, the midpoint of that stretch (R quantile.survfit); null when S never reaches 0.5",
			Convention: "Computed on the curve, so open cases count. Median and interval are in days.",
			Interval:   "The same rule applied to the lower limit gives the low end and to the upper limit the high end (R quantile.survfit, after Brookmeyer & Crowley); an end is null when that limit never reaches 0.5.",
			Unit:       "days"},
		NL: Text{Label: "Mediane verzuimduur", Name: "mediane verzuimduur (Kaplan–Meier)",
			Formula:    "de eerste t met S(t) ≤ 0,5; waar S over een stuk precies 0,5 is, het midden van dat stuk (R quantile.survfit); null als S nooit 0,5 bereikt",
			Convention: "Berekend op de curve, dus lopende gevallen tellen mee. Mediaan en interval zijn in dagen.",
			Interval:   "Dezelfde regel op de ondergrens geeft het lage eind en op de bovengrens het hoge eind (R quantile.survfit, naar Brookmeyer & Crowley); een eind is null als die grens nooit 0,5 bereikt.",
			Unit:       "dagen"},
		Sources: []string{kmSource}},
	{Key: "log_rank",
		EN: Text{Label: "Log-rank test", Name: "Log-rank test",
			Formula:    "χ² = (O − E)ᵀ V⁻¹ (O − E) over the groups with expected events > 0, one group left out; O observed, E expected events per group (E = Σ n_group·d/n over the event times), V the hypergeometric covariance; df = groups − 1; p = Q(df/2, χ²/2), the regularised upper incomplete gamma function",
			Convention: "Tests equal durations in the groups shown; suppressed groups are left out of the test (R survdiff with rho = 0)."},
		NL: Text{Label: "Log-rank-toets", Name: "log-rank-toets",
			Formula:    "χ² = (O − E)ᵀ V⁻¹ (O − E) over de groepen met verwachte gebeurtenissen > 0, één groep weggelaten; O waargenomen, E verwachte gebeurtenissen per groep (E = Σ n_groep·d/n over de tijden met gebeurtenissen), V de hypergeometrische covariantie; df = groepen − 1; p = Q(df/2, χ²/2), de geregulariseerde bovenste onvolledige gammafunctie",
			Convention: "Toetst of de duur in de getoonde groepen gelijk is; verborgen groepen doen niet mee aan de toets (R survdiff met rho = 0)."},
		Sources: []string{"Mantel 1966; Peto & Peto 1972; R survival, survdiff"}},
	{Key: "outcome_suppressed",
		EN: Text{Label: "Small-group protection", Name: "Small-group protection (curves, cohorts, arms)",
			Formula:    "a curve, cohort, intervention group or arm is hidden when its cases come from fewer than {min_employees} employees or number fewer than {min_cases}",
			Convention: "Counted over the cases (interventions: linked cases) the figure is computed from. Strata of a dimension and cohorts partition their total, so complementary suppression hides the next-smallest until the hidden ones together reach both thresholds (teams within their department); providers likewise within their type. A value the statistics' breakdown hides under the same filter is hidden here too, and a filter that selects a hidden value hides the whole result. Landmark arms are not a partition of anything shown; a small arm is hidden with the comparison's test, hazard ratio and median difference. Thresholds as for the statistics (never below 5; DOMAIN.md §4)."},
		NL: Text{Label: "Bescherming kleine groepen", Name: "bescherming van kleine groepen (curves, cohorten, armen)",
			Formula:    "een curve, cohort, interventiegroep of arm wordt verborgen als haar gevallen van minder dan {min_employees} medewerkers komen of minder dan {min_cases} zijn",
			Convention: "Geteld over de gevallen (bij interventies: de gekoppelde gevallen) waaruit het cijfer berekend wordt. Strata van een dimensie en cohorten verdelen hun totaal, dus aanvullende onderdrukking verbergt de eerstvolgende kleinste tot de verborgen samen beide drempels halen (teams binnen hun afdeling); aanbieders net zo binnen hun type. Een waarde die de uitsplitsing van de statistieken onder hetzelfde filter verbergt, wordt ook hier verborgen, en een filter dat een verborgen waarde kiest, verbergt het hele resultaat. Landmarkarmen verdelen niets wat getoond wordt; een kleine arm wordt verborgen samen met de toets, de hazardratio en het verschil in mediaan van de vergelijking. Drempels als bij de statistieken (nooit onder 5; DOMAIN.md §4)."},
		Sources: []string{"AVG art. 9; AP Beleidsregels De zieke werknemer (2016)"}},
	{Key: "still_absent_pct",
		EN: Text{Label: "Progression to long-term absence", Name: "Progression to long-term absence",
			Formula:    fmt.Sprintf("100 × S(d) at d = %v days (1 week, 6 weeks, 13 weeks, 1 year, 104 weeks): the %% of new cases lasting more than d days", ProgressionDays),
			Convention: populationEN + " Estimated on the Kaplan–Meier curve, so cases still open count for as long as they were observed; null when no case of the group was observed for d days (and the curve has not reached 0). n_risk is the number of cases observed for at least d days. Cohorts are the month or quarter of the first sick day.",
			Unit:       "%", Interval: "The curve's 95% interval at d (Greenwood, log scale), in %."},
		NL: Text{Label: "Doorstroom naar langdurig verzuim", Name: "doorstroom naar langdurig verzuim",
			Formula:    fmt.Sprintf("100 × S(d) op d = %v dagen (1 week, 6 weken, 13 weken, 1 jaar, 104 weken): het %% nieuwe gevallen dat langer dan d dagen duurt", ProgressionDays),
			Convention: populationNL + " Geschat op de Kaplan–Meier-curve, dus lopende gevallen tellen mee zolang ze gevolgd zijn; null als geen geval van de groep d dagen gevolgd is (en de curve niet 0 bereikt heeft). n_risk is het aantal gevallen dat minstens d dagen gevolgd is. Cohorten zijn de maand of het kwartaal van de eerste ziektedag.",
			Unit:       "%", Interval: "Het 95%-interval van de curve op d (Greenwood, logschaal), in %."},
		Sources: []string{kmSource}},
	{Key: "cohort_grid",
		EN: Text{Label: "Cohort grid", Name: "Cohort grid",
			Formula:    "per cohort of first sick day, 100 × S(7w) for weeks w = 1 … N: the % still absent after w weeks",
			Convention: "Null beyond a cohort's follow-up (no case of the cohort observed for 7w days), so recent cohorts have shorter rows.",
			Unit:       "%"},
		NL: Text{Label: "Cohorttabel", Name: "cohorttabel verzuimduur",
			Formula:    "per cohort van eerste ziektedag, 100 × S(7w) voor de weken w = 1 … N: het % dat na w weken nog verzuimt",
			Convention: "Null voorbij de volgtijd van een cohort (geen geval van het cohort 7w dagen gevolgd), dus recente cohorten hebben kortere rijen.",
			Unit:       "%"}},
	{Key: "track",
		EN: Text{Label: "Poortwachter track", Name: "Poortwachter track",
			Formula:    fmt.Sprintf("periods of incapacity of one employee chained while fewer than %d days lie between a recovery date and the next first sick day, or, when a period adjoins pregnancy or maternity leave (its recovery date is the leave's first day), between the end of that leave and the next first sick day; week104_end = first sick day + %d + Σ days between the periods", poortwachter.SamentellingGapDays, poortwachter.WageContinuationDays),
			Convention: "Sickness, pregnancy-related sickness and organ donation each form tracks of their own: the last two are paid by the Ziektewet (art. 29a ZW; orgaandonatie) and are never added to other sickness (issue 10). The days between the periods (a leave included) do not count as sick days and move every later date by their number; the leave bridges only a period that adjoins it. A track is open when its last case is open on the extract date; its later dates assume the case continues. This is the legal layer only: ZMF, GZVD and the other statistics count cases. The population filter applies to the contract valid on the track's first sick day. Example (Stb. 2005, 65): sick 3-1-2022 to 3-7-2022, well 4–24 July, sick from 25-7-2022: the end moves from 1-1-2024 to 22-1-2024."},
		NL: Text{Label: "Wachttijdtraject", Name: "wachttijdtraject (samentelling, art. 7:629 lid 10 BW)",
			Formula:    fmt.Sprintf("perioden van arbeidsongeschiktheid van één medewerker aaneengeschakeld zolang er minder dan %d dagen liggen tussen een hersteldatum en de volgende eerste ziektedag, of, als een periode aansluit op zwangerschaps- of bevallingsverlof (haar hersteldatum is de eerste dag van het verlof), tussen het einde van dat verlof en de volgende eerste ziektedag; week104_end = eerste ziektedag + %d + Σ dagen tussen de perioden", poortwachter.SamentellingGapDays, poortwachter.WageContinuationDays),
			Convention: "Ziekte, ziekte door zwangerschap of bevalling en orgaandonatie vormen elk eigen trajecten: de laatste twee betaalt de Ziektewet (art. 29a ZW; orgaandonatie) en ze worden nooit bij andere ziekte opgeteld (issue 10). De dagen tussen de perioden (een verlof inbegrepen) tellen niet als ziektedagen en verschuiven elke latere datum met hun aantal; het verlof overbrugt alleen een periode die erop aansluit. Een traject loopt als zijn laatste geval op de extractiedatum loopt; de latere data gaan ervan uit dat het geval doorloopt. Dit is alleen de wettelijke laag: ZMF, GZVD en de andere statistieken tellen gevallen. Het populatiefilter werkt op het contract dat op de eerste ziektedag van het traject geldt. Voorbeeld (Stb. 2005, 65): ziek 3-1-2022 tot 3-7-2022, beter 4–24 juli, ziek vanaf 25-7-2022: het einde schuift van 1-1-2024 naar 22-1-2024."},
		Sources: []string{"art. 7:629 lid 10 BW; Stb. 2005, 65; rviregister.nl (samenstellen van ziekteperiodes)"}},
	{Key: "track_milestones",
		EN: Text{Label: "Milestone due dates", Name: "Milestone due dates",
			Formula:    "week n ends on sick day 7n of the track (first sick day + 7n − 1 without gaps): " + milestoneRulesText(),
			Convention: "Week numbers count sick days, so a gap moves every milestone after it exactly as it moves the 104-week end (our choice, consistent with the samentelling rule; whether milestones shift is not settled, DOMAIN.md §7). A milestone is due only in a track that reaches its sick day. Deadlines: milestones of open tracks due in the N weeks after the extract date and not yet recorded, listed once the track is within the milestone's lead of it (" + milestoneLeadText() + " sick days), so a case is not flagged for steps it is too young to need. The WIA application window follows UWV's 'by week 93'; the UWV ERD page says 13 weeks before the end (week 91)."},
		NL: Text{Label: "Poortwachter-termijnen", Name: "Poortwachter-termijnen",
			Formula:    "week n eindigt op ziektedag 7n van het traject (eerste ziektedag + 7n − 1 zonder onderbrekingen): " + milestoneRulesTextNL(),
			Convention: "Weeknummers tellen ziektedagen, dus een onderbreking verschuift elke latere stap precies zoals ze het einde van week 104 verschuift (onze keuze, in lijn met de samentellingsregel; of stappen meeschuiven is niet beslist, DOMAIN.md §7). Een stap is alleen verschuldigd in een traject dat zijn ziektedag bereikt. Termijnen: stappen van lopende trajecten die in de N weken na de extractiedatum verschuldigd zijn en nog niet vastgelegd, getoond zodra het traject binnen de aanlooptijd van de stap is (" + milestoneLeadText() + " ziektedagen), zodat een geval niet gemeld wordt voor stappen waarvoor het nog te jong is. Het venster van de WIA-aanvraag volgt UWV's 'uiterlijk in week 93'; de ERD-pagina van UWV zegt 13 weken voor het einde (week 91)."},
		Sources: milestoneSources()},
	{Key: "milestone_status",
		EN: Text{Label: "Milestone compliance", Name: "Milestone compliance",
			Formula:    "per milestone due in P (each evaluation of the action plan once): on_time (recorded on or before the due date), early (recorded before its window opened), late (recorded after the due date), missing (due date passed, nothing recorded)",
			Convention: "Only with imported milestone dates (native-milestones profile); a milestone row names a case of the track, the earliest date per track and milestone counts, and for the evaluations each recorded date answers the next one due. Without milestone data nothing is 'missing': past dates are 'unknown'. Open tracks list every milestone with its status (upcoming when due after the extract date). Compliance counts the tracks of at least 7 sick days; it is hidden when those come from too few employees or are too few (see outcome_suppressed)."},
		NL: Text{Label: "Tijdigheid Poortwachter-stappen", Name: "tijdigheid Poortwachter-stappen",
			Formula:    "per stap die in P verschuldigd is (elke evaluatie van het plan van aanpak één keer): on_time (vastgelegd op of vóór de uiterste datum), early (vastgelegd voordat het venster openging), late (vastgelegd na de uiterste datum), missing (uiterste datum voorbij, niets vastgelegd)",
			Convention: "Alleen met geïmporteerde data van stappen (profiel native-milestones); een rij noemt een geval van het traject, de vroegste datum per traject en stap telt, en bij de evaluaties beantwoordt elke vastgelegde datum de eerstvolgende die verschuldigd is. Zonder gegevens over stappen is niets 'missing': verstreken data zijn 'unknown'. Lopende trajecten tonen elke stap met zijn status (upcoming als hij na de extractiedatum verschuldigd is). De tijdigheid telt de trajecten van minstens 7 ziektedagen; ze wordt verborgen als die van te weinig medewerkers komen of te weinig zijn (zie outcome_suppressed)."}},
	{Key: "intervention_link",
		EN: Text{Label: "Linking interventions to cases", Name: "Linking interventions to cases",
			Formula:    fmt.Sprintf("an intervention belongs to the sickness case of the same employee that is open on its start date (first sick day ≤ start < recovery date, or still open); a return_talk (werkbalansgesprek) belongs to the sickness case that started on or before its start and whose recovery date lies within %d days of it, before or after (the nearest; the earlier when two are equally near), and otherwise to the case open on its start date", ReturnTalkWindowDays),
			Convention: "Interventions whose start date lies in P. Cases do not overlap, so there is at most one open case. Interventions that cannot be linked are in no group and are counted by reason (unlinked_reasons): no_case (no sickness case open on the start date and, for a return talk, none recovered within the window: before, between or after cases), not_sickness (during pregnancy or maternity leave, or an absence of type other), no_contract (no contract on the start date; counted only without a population filter, since it belongs to no department). The population filter applies to the contract valid on the linked case's first sick day (the start date when unlinked). Figures per type and per provider of the type (a missing provider is '(not recorded)')."},
		NL: Text{Label: "Koppeling interventie – verzuimgeval", Name: "koppeling interventie – verzuimgeval",
			Formula:    fmt.Sprintf("een interventie hoort bij het verzuimgeval van dezelfde medewerker dat op haar startdatum loopt (eerste ziektedag ≤ start < hersteldatum, of nog lopend); een return_talk (werkbalansgesprek) hoort bij het verzuimgeval dat op of vóór de start begon en waarvan de hersteldatum binnen %d dagen ervan ligt, ervoor of erna (het dichtstbijzijnde; het eerdere als twee even dichtbij liggen), en anders bij het geval dat op de startdatum loopt", ReturnTalkWindowDays),
			Convention: "Interventies met hun startdatum in P. Gevallen overlappen niet, dus er loopt hooguit één geval. Interventies die niet te koppelen zijn, vallen in geen groep en worden per reden geteld (unlinked_reasons): no_case (geen verzuimgeval op de startdatum en, bij een werkbalansgesprek, geen hersteld binnen het venster: vóór, tussen of na gevallen), not_sickness (tijdens zwangerschaps- of bevallingsverlof, of een verzuim van de soort overig), no_contract (geen contract op de startdatum; alleen geteld zonder populatiefilter, omdat het bij geen afdeling hoort). Het populatiefilter werkt op het contract dat op de eerste ziektedag van het gekoppelde geval geldt (de startdatum als er geen is). Cijfers per type en per aanbieder van het type (een ontbrekende aanbieder is '(not recorded)')."}},
	{Key: "days_to_start",
		EN: Text{Label: "Days to start", Name: "Days from first sick day to start",
			Formula: "start date − first sick day of the linked case; median and mean over the group's interventions", Unit: "days"},
		NL: Text{Label: "Dagen tot inzet", Name: "tijd tot inzet interventie",
			Formula: "startdatum − eerste ziektedag van het gekoppelde geval; mediaan en gemiddelde over de interventies van de groep", Unit: "dagen"}},
	{Key: "outcomes",
		EN: Text{Label: "Outcome mix", Name: "Outcome mix",
			Formula:    "the end reasons of the group's distinct linked cases, with 'open' for cases not closed on the extract date and 'not_recorded' for closed cases without a reason",
			Convention: "Descriptive: cases that receive an intervention are longer and different from those that do not.", Unit: "cases, %"},
		NL: Text{Label: "Wijze van beëindiging", Name: "wijze van beëindiging",
			Formula:    "de redenen van einde van de verschillende gekoppelde gevallen van de groep, met 'open' voor gevallen die op de extractiedatum niet afgesloten zijn en 'not_recorded' voor afgesloten gevallen zonder reden",
			Convention: "Beschrijvend: gevallen die een interventie krijgen zijn langer en anders dan gevallen zonder.", Unit: "gevallen, %"}},
	{Key: "recovery_from_start",
		EN: Text{Label: "Time from start to end", Name: "Time from start to the end of the case",
			Formula:    "Kaplan–Meier of recovery date − start date per intervention (0 for a return talk held on or after the recovery date); an open linked case is censored at extract date − start date",
			Convention: "Per intervention (a case with two interventions of the group counts twice). Every way of ending counts here; return_to_work counts the returns to the own employer. Descriptive, not a measure of effect: see landmark.", Unit: "share (0–1) per day t"},
		NL: Text{Label: "Tijd van inzet tot einde", Name: "tijd van inzet tot het einde van het verzuimgeval",
			Formula:    "Kaplan–Meier van hersteldatum − startdatum per interventie (0 voor een werkbalansgesprek op of na de hersteldatum); een lopend gekoppeld geval wordt gecensureerd op extractiedatum − startdatum",
			Convention: "Per interventie (een geval met twee interventies van de groep telt twee keer). Elke manier van eindigen telt hier; return_to_work telt de terugkeer bij de eigen werkgever. Beschrijvend, geen maat voor effect: zie landmark.", Unit: "aandeel (0–1) per dag t"}},
	{Key: "return_to_work",
		EN: Text{Label: "Back at the own employer", Name: "Back at the own employer after the start",
			Formula:    fmt.Sprintf("100 × F_own_employer(d) at d = %v days after the start (about 3, 6 and 12 months): the Aalen–Johansen estimate of case_outcomes on the time recovery date − start date of each intervention (as recovery_from_start)", ReturnToWorkDays),
			Convention: "Only own_employer counts as a return; the other ways a case ends (second track, WIA/IVA, end of employment, other) compete with it and are not returns. Null when no intervention of the group was followed for d days.", Unit: "%",
			Interval: "As case_outcomes (infinitesimal jackknife, log scale), in %.",
			Summary:  "The share of the cases with this intervention back at the own employer within 3, 6 and 12 months after its start. A placement elsewhere, WIA/IVA and leaving employment are not a return."},
		NL: Text{Label: "Terug bij de eigen werkgever", Name: "terug bij de eigen werkgever na de inzet",
			Formula:    fmt.Sprintf("100 × F_own_employer(d) op d = %v dagen na de start (ongeveer 3, 6 en 12 maanden): de Aalen–Johansen-schatting van case_outcomes op de tijd hersteldatum − startdatum van elke interventie (als recovery_from_start)", ReturnToWorkDays),
			Convention: "Alleen own_employer telt als terugkeer; de andere manieren waarop een geval eindigt (tweede spoor, WIA/IVA, einde dienstverband, anders) concurreren ermee en zijn geen terugkeer. Null als geen interventie van de groep d dagen gevolgd is.", Unit: "%",
			Interval: "Als case_outcomes (infinitesimale jackknife, logschaal), in %.",
			Summary:  "Welk deel van de gevallen met deze interventie binnen 3, 6 en 12 maanden na de start terugkeerde bij de eigen werkgever. Plaatsing elders, WIA/IVA en uit dienst tellen niet als terugkeer."}},
	{Key: "landmark",
		EN: Text{Label: "Landmark comparison", Name: "Landmark comparison",
			Formula:    "at landmark day L: the cases known to last more than L days (ended after more than L days, or open with extract date − first sick day ≥ L), followed from day L to the end of the case: Kaplan–Meier of (time − L) per arm and the log-rank test between the arms",
			Convention: populationEN + " A case that ended on or before day L (time ≤ L) is left out, and so is an open case observed for fewer than L days. An intervention counts when it started on or after the first sick day and before day L (start − first sick day < L); one that started on day L or later counts as none. This removes the bias of comparing cases with and without an intervention, where the intervened cases had to last long enough to get one."},
		NL: Text{Label: "Landmarkanalyse", Name: "landmarkanalyse (zonder 'immortal time bias')",
			Formula:    "op landmarkdag L: de gevallen waarvan bekend is dat ze langer dan L dagen duren (geëindigd na meer dan L dagen, of lopend met extractiedatum − eerste ziektedag ≥ L), gevolgd van dag L tot het einde van het geval: Kaplan–Meier van (tijd − L) per arm en de log-rank-toets tussen de armen",
			Convention: populationNL + " Een geval dat op of vóór dag L eindigde (tijd ≤ L) valt weg, en ook een lopend geval dat minder dan L dagen gevolgd is. Een interventie telt als ze op of na de eerste ziektedag en vóór dag L begon (start − eerste ziektedag < L); een die op dag L of later begon telt als geen. Zo verdwijnt de vertekening van het vergelijken van gevallen met en zonder interventie, waarbij de gevallen met interventie lang genoeg moesten duren om er een te krijgen."},
		Sources: []string{"Anderson, Cain & Gelber, J Clin Oncol 1983 (landmark method); Dafni, Circ Cardiovasc Qual Outcomes 2011"}},
	{Key: "landmark_arms",
		EN: Text{Label: "Arms", Name: "Arms: intervention versus none",
			Formula:    "arm 'intervention': intervention type X started before day L; arm 'none': no intervention of any type before day L",
			Convention: "Cases that received only other types before L are in neither arm, so the comparison is X against no help at all, not against other help. Cases in several types' arms count in each of those types' comparisons. Rates are the % still absent 28, 91, 182 and 365 days after the landmark."},
		NL: Text{Label: "Armen", Name: "armen: interventie tegenover geen",
			Formula:    "arm 'intervention': interventietype X begon vóór dag L; arm 'none': geen interventie van welk type ook vóór dag L",
			Convention: "Gevallen die vóór L alleen andere typen kregen, zitten in geen van beide armen, dus de vergelijking is X tegenover helemaal geen hulp, niet tegenover andere hulp. Gevallen in de armen van meerdere typen tellen in de vergelijking van elk van die typen. De percentages zijn het % dat 28, 91, 182 en 365 dagen na de landmark nog verzuimt."}},
	{Key: "early_vs_late",
		EN: Text{Label: "Early versus late start", Name: "Early versus late start",
			Formula:    "at a landmark L later than the early limit E (default 42 days): arm 'early': X first started before day E; arm 'late': X first started on day E … L − 1",
			Convention: "Both arms are still absent at L and classified by what happened before L, so the early arm gets no credit for the weeks the late arm had to wait."},
		NL: Text{Label: "Vroege tegenover late inzet", Name: "vroege tegenover late inzet",
			Formula:    "op een landmark L later dan de vroege grens E (standaard 42 dagen): arm 'early': X begon voor het eerst vóór dag E; arm 'late': X begon voor het eerst op dag E … L − 1",
			Convention: "Beide armen verzuimen op L nog en worden ingedeeld naar wat er vóór L gebeurde, dus de vroege arm krijgt geen voordeel van de weken dat de late arm moest wachten."}},
	{Key: "hazard_ratio",
		EN: Text{Label: "Hazard ratio", Name: "Hazard ratio (Peto)",
			Formula:    "HR = exp((O₁ − E₁) / V₁) for the first arm, from the log-rank sums",
			Convention: "The ratio of the rates of the event (the end of the case) in the first arm to the second: above 1, the first arm's event comes sooner. median_difference_days = the second arm's median − the first's: positive when the first arm's absence is shorter.",
			Interval:   "exp((O₁ − E₁)/V₁ ± 1.96/√V₁); the Peto approximation is good when the ratio is not far from 1 and the arms are not very unequal."},
		NL: Text{Label: "Hazardratio", Name: "hazardratio (Peto)",
			Formula:    "HR = exp((O₁ − E₁) / V₁) voor de eerste arm, uit de sommen van de log-rank-toets",
			Convention: "De verhouding van de snelheid van de gebeurtenis (het einde van het geval) in de eerste arm tot die in de tweede: boven 1 komt de gebeurtenis in de eerste arm eerder. median_difference_days = de mediaan van de tweede arm − die van de eerste: positief als het verzuim in de eerste arm korter is.",
			Interval:   "exp((O₁ − E₁)/V₁ ± 1,96/√V₁); de benadering van Peto is goed als de verhouding niet ver van 1 ligt en de armen niet erg ongelijk zijn."},
		Sources: []string{"Yusuf, Peto et al., Prog Cardiovasc Dis 1985"}},
}

// milestoneRulesText renders the rules of package poortwachter for the
// track_milestones definition.
func milestoneRulesText() string {
	var parts []string
	for _, m := range poortwachter.Milestones {
		var p string
		switch {
		case m.Recurring:
			p = fmt.Sprintf("%s %d sick days after %s (its recorded date, else its due date) and again after each one", m.Name, m.AfterDays, m.After)
		case m.WindowFrom > 0:
			p = fmt.Sprintf("%s from sick day %d to %d (weeks %d–%d)", m.Name, m.WindowFrom, m.DueBy, (m.WindowFrom+6)/7, m.DueBy/7)
		case m.DayAfter && m.WorkingDay:
			p = fmt.Sprintf("%s on the first working day after sick day %d (week %d; weekends skipped, public holidays not)", m.Name, m.DueBy, m.DueBy/7)
		case m.DayAfter:
			p = fmt.Sprintf("%s the day after sick day %d", m.Name, m.DueBy)
		default:
			p = fmt.Sprintf("%s by sick day %d", m.Name, m.DueBy)
		}
		if m.After != "" && !m.Recurring {
			p += fmt.Sprintf(", or %d sick days after the recorded %s when that comes earlier", m.AfterDays, m.After)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

// milestoneRulesTextNL is milestoneRulesText in Dutch.
func milestoneRulesTextNL() string {
	var parts []string
	for _, m := range poortwachter.Milestones {
		var p string
		switch {
		case m.Recurring:
			p = fmt.Sprintf("%s %d ziektedagen na %s (de vastgelegde datum, anders de uiterste datum) en opnieuw na elke keer", m.Name, m.AfterDays, m.After)
		case m.WindowFrom > 0:
			p = fmt.Sprintf("%s van ziektedag %d tot %d (weken %d–%d)", m.Name, m.WindowFrom, m.DueBy, (m.WindowFrom+6)/7, m.DueBy/7)
		case m.DayAfter && m.WorkingDay:
			p = fmt.Sprintf("%s op de eerste werkdag na ziektedag %d (week %d; weekenden overgeslagen, feestdagen niet)", m.Name, m.DueBy, m.DueBy/7)
		case m.DayAfter:
			p = fmt.Sprintf("%s de dag na ziektedag %d", m.Name, m.DueBy)
		default:
			p = fmt.Sprintf("%s uiterlijk op ziektedag %d", m.Name, m.DueBy)
		}
		if m.After != "" && !m.Recurring {
			p += fmt.Sprintf(", of %d ziektedagen na de vastgelegde %s als dat eerder is", m.AfterDays, m.After)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

func milestoneLeadText() string {
	var parts []string
	for _, m := range poortwachter.Milestones {
		parts = append(parts, fmt.Sprintf("%s %d", m.Name, m.Lead))
	}
	return strings.Join(parts, ", ")
}

func milestoneSources() []string {
	var out []string
	for _, m := range poortwachter.Milestones {
		out = append(out, m.Name+": "+m.Source)
	}
	return out
}
