package analytics

// The adjusted effect of interventions in the catalogue (adjusted.go): what
// is compared, and each method by name, in English and Dutch.

const (
	adjustedOutcomeEN    = "The event is the return to the own employer (spoor 1: full return, adapted own work, other work at the own employer; a closed case without end reason counts as such, see case_outcomes). Another ending — another employer (spoor 2), WIA/IVA, the end of the employment, other — is a competing outcome, not a success: it censors the case on the day it happens (cause-specific hazard), and an open case is censored on the extract date."
	adjustedOutcomeNL    = "De gebeurtenis is terugkeer bij de eigen werkgever (spoor 1: volledig herstel, aangepast eigen werk, ander werk bij de eigen werkgever; een afgesloten geval zonder reden telt zo, zie case_outcomes). Een ander einde — een andere werkgever (spoor 2), WIA/IVA, einde dienstverband, overig — is een concurrerende uitkomst, geen succes: het geval telt mee tot de dag waarop dat gebeurt (oorzaakspecifieke hazard), en een lopend geval tot de extractiedatum."
	adjustedCovariatesEN = "Covariates: the absence percentage on the landmark day (landmark methods only), whether the case started partial, the part-time factor of the contract, the sick reports of the employee in the 365 days before the first sick day, the department and the age band (indicators; a level with fewer than 10 cases counts with the most frequent one). Days absent are the same for everyone at a landmark and are the time scale of the time-varying model. A covariate that does not vary, or that others determine, is left out. Nothing the export does not record (diagnosis, workload, motivation) is adjusted for."
	adjustedCovariatesNL = "Gecorrigeerd voor: het verzuimpercentage op de landmarkdag (alleen de landmarkmethoden), of het geval gedeeltelijk begon, de deeltijdfactor van het contract, de ziekmeldingen van de medewerker in de 365 dagen vóór de eerste ziektedag, de afdeling en de leeftijdsklasse (indicatoren; een waarde met minder dan 10 gevallen telt mee met de meest voorkomende). De verzuimdagen zijn op een landmark voor iedereen gelijk en zijn de tijdschaal van het tijdsafhankelijke model. Een kenmerk dat niet varieert of door andere bepaald is, valt weg. Voor wat de export niet vastlegt (diagnose, werkdruk, motivatie) wordt niet gecorrigeerd."
	adjustedIntervalEN   = "95% Wald interval exp(β ± 1.96·se) with the robust (sandwich) standard error, employees as clusters (R coxph with cluster = employee)."
	adjustedIntervalNL   = "95%-Wald-interval exp(β ± 1,96·se) met de robuuste (sandwich-)standaardfout, medewerkers als clusters (R coxph met cluster = medewerker)."
	adjustedLandmarkEN   = "Landmark day L per intervention type: by default the day by which 75% of that type's interventions (the first of a case) had started, rounded up to a whole week; configurable (365 suits second-track trajectories). The cases still absent at L (landmark) with the intervention started before L (treated) against those with no intervention of any type before L (control); cases with only other types before L are in neither arm. Both arms are followed from L; a control that gets an intervention after L is followed until that day."
	adjustedLandmarkNL   = "Landmarkdag L per interventietype: standaard de dag waarop 75% van de interventies van dat type (de eerste van een geval) begonnen was, naar boven afgerond op een hele week; instelbaar (365 past bij tweedespoortrajecten). De gevallen die op L nog verzuimen (landmark) met de interventie begonnen vóór L (behandeld) tegenover die zonder interventie van welk type ook vóór L (controle); gevallen met vóór L alleen andere typen zitten in geen van beide. Beide armen worden vanaf L gevolgd; een controlegeval dat na L toch een interventie krijgt, telt mee tot die dag."
	coxSource            = "R survival, coxph (Therneau); Cox, J R Stat Soc B 1972; Efron, J Am Stat Assoc 1977; Lin & Wei, J Am Stat Assoc 1989"
)

var adjustedFigures = []Figure{
	{Key: "adjusted_effect",
		EN: Text{Label: "Adjusted effect", Name: "Adjusted effect of an intervention on the return to the own employer",
			Formula:    "hazard ratio of returning to the own employer with the intervention against without it, from a Cox proportional-hazards model (Efron ties); above 1: back at the own employer sooner. n_treated and n_control count cases; events the returns to the own employer in each arm. Per intervention type (provider and employer null) and per provider of it.",
			Convention: sentences(populationEN, adjustedOutcomeEN, adjustedCovariatesEN, "Three methods side by side: ipw_landmark, cox_landmark and cox_time_varying. They answer the same question in different ways; when they agree the answer is more credible. Observational data: the cases that get an intervention differ from those that do not, and only for what the export records can be corrected."),
			Interval:   adjustedIntervalEN,
			Unit:       "ratio"},
		NL: Text{Label: "Gecorrigeerd effect", Name: "gecorrigeerd effect van een interventie op terugkeer bij de eigen werkgever",
			Formula:    "hazardratio van terugkeer bij de eigen werkgever met de interventie tegenover zonder, uit een Cox-model met proportionele hazards (knopen volgens Efron); boven 1: eerder terug bij de eigen werkgever. n_treated en n_control tellen gevallen; events de terugkeer bij de eigen werkgever per arm. Per interventietype (aanbieder en werkgever null) en per aanbieder daarvan.",
			Convention: sentences(populationNL, adjustedOutcomeNL, adjustedCovariatesNL, "Drie methoden naast elkaar: ipw_landmark, cox_landmark en cox_time_varying. Ze beantwoorden dezelfde vraag op verschillende manieren; als ze overeenkomen is het antwoord geloofwaardiger. Observationele gegevens: gevallen die een interventie krijgen verschillen van gevallen die er geen krijgen, en alleen voor wat de export vastlegt kan worden gecorrigeerd."),
			Interval:   adjustedIntervalNL,
			Unit:       "verhouding"},
		Sources: []string{coxSource}},
	{Key: MethodIPWLandmark,
		EN: Text{Label: "Landmark, weighted (IPW)", Name: "ipw_landmark: landmark comparison weighted by the inverse probability of treatment",
			Formula:    "a logistic model of the arm on the covariates at L gives each case its propensity e; weight P(treated)/e for a treated case and P(control)/(1 − e) for a control (stabilised), cut off at the 1st and 99th percentile; a weighted Cox model with the arm alone. balance: the standardised mean difference of every covariate, (mean treated − mean control) / √((var treated + var control)/2), unweighted and weighted (the variances unweighted); below 0.1 counts as balanced.",
			Convention: sentences(adjustedLandmarkEN, "The hazard ratio is a marginal one: treated against control in a population like all cases at L. back_at_own_employer: the share back at the own employer 91, 182 and 365 days after L per arm, weighted Aalen–Johansen (other endings compete; null when no case of the arm was followed that long). median_days: the first day after L by which half the arm is back at the own employer on that curve; median_difference_days = control − treated (positive: the treated back sooner), its interval the 2.5th and 97.5th percentile over 200 bootstrap resamples of employees with the weights kept (null when over 5% of the resamples have no median)."),
			Interval:   adjustedIntervalEN},
		NL: Text{Label: "Landmark, gewogen (IPW)", Name: "ipw_landmark: landmarkvergelijking gewogen met de inverse kans op behandeling",
			Formula:    "een logistisch model van de arm op de kenmerken op L geeft elk geval zijn kans e op behandeling; gewicht P(behandeld)/e voor een behandeld geval en P(controle)/(1 − e) voor een controlegeval (gestabiliseerd), afgekapt op het 1e en 99e percentiel; een gewogen Cox-model met alleen de arm. balance: het gestandaardiseerde verschil in gemiddelde van elk kenmerk, (gemiddelde behandeld − gemiddelde controle) / √((var behandeld + var controle)/2), ongewogen en gewogen (de varianties ongewogen); onder 0,1 geldt als in balans.",
			Convention: sentences(adjustedLandmarkNL, "De hazardratio is een marginale: behandeld tegenover controle in een populatie zoals alle gevallen op L. back_at_own_employer: het deel terug bij de eigen werkgever 91, 182 en 365 dagen na L per arm, gewogen Aalen–Johansen (andere eindes concurreren; null als geen geval van de arm zo lang gevolgd is). median_days: de eerste dag na L waarop de helft van de arm terug is bij de eigen werkgever op die curve; median_difference_days = controle − behandeld (positief: de behandelden eerder terug), het interval het 2,5e en 97,5e percentiel over 200 bootstrap-trekkingen van medewerkers met de gewichten vast (null als meer dan 5% van de trekkingen geen mediaan heeft)."),
			Interval:   adjustedIntervalNL},
		Sources: []string{coxSource, "Robins, Hernán & Brumback, Epidemiology 2000 (stabilised weights); Austin & Stuart, Stat Med 2015 (balance); Aalen & Johansen, Scand J Stat 1978"}},
	{Key: MethodCoxLandmark,
		EN: Text{Label: "Landmark, Cox model", Name: "cox_landmark: landmark comparison in a Cox model with the covariates",
			Formula:    "a Cox model of the time from L with the arm and the covariates at L; the hazard ratio of the arm",
			Convention: sentences(adjustedLandmarkEN, "The hazard ratio is conditional: treated against control among cases alike in the covariates. back_at_own_employer and median_days as for ipw_landmark, unweighted.")},
		NL: Text{Label: "Landmark, Cox-model", Name: "cox_landmark: landmarkvergelijking in een Cox-model met de kenmerken",
			Formula:    "een Cox-model van de tijd vanaf L met de arm en de kenmerken op L; de hazardratio van de arm",
			Convention: sentences(adjustedLandmarkNL, "De hazardratio is voorwaardelijk: behandeld tegenover controle bij gevallen die gelijk zijn in de kenmerken. back_at_own_employer en median_days als bij ipw_landmark, ongewogen.")},
		Sources: []string{coxSource}},
	{Key: MethodCoxTimeVarying,
		EN: Text{Label: "Time-varying Cox model", Name: "cox_time_varying: the intervention as a time-varying exposure",
			Formula:    "a Cox model over every case from its first sick day, in start–stop rows split on the day the intervention starts (exposed from that day on) and on the day any other intervention starts (a second exposure, so other help is not credited to this one), with the covariates at the first sick day; the hazard ratio of the exposure",
			Convention: "Nobody is left out and no landmark is needed: a case counts as without the intervention until it starts. n_treated: cases that got it; n_control: the others; events: the returns to the own employer after it started, and of the cases without it. landmark_day is null."},
		NL: Text{Label: "Tijdsafhankelijk Cox-model", Name: "cox_time_varying: de interventie als tijdsafhankelijke blootstelling",
			Formula:    "een Cox-model over alle gevallen vanaf hun eerste ziektedag, in start–stoprijen gesplitst op de dag waarop de interventie begint (blootgesteld vanaf die dag) en op de dag waarop een andere interventie begint (een tweede blootstelling, zodat andere hulp niet aan deze wordt toegeschreven), met de kenmerken op de eerste ziektedag; de hazardratio van de blootstelling",
			Convention: "Niemand valt weg en er is geen landmark nodig: een geval telt als zonder de interventie tot ze begint. n_treated: gevallen die haar kregen; n_control: de andere; events: de terugkeer bij de eigen werkgever na de start, en van de gevallen zonder. landmark_day is null."},
		Sources: []string{coxSource, "Therneau, Crowson & Atkinson, Using time dependent covariates (R survival vignette)"}},
	{Key: "adjusted_timing",
		EN: Text{Label: "Early or late start", Name: "Timing: an early or a late start against none (time-varying Cox model)",
			Formula:    "cox_time_varying with the exposure in two levels: started before day E (early, default 42: six weeks) or on day E or later (late), each against no intervention of the type; a hazard ratio with interval for each",
			Convention: "Nobody is dropped: an early start is not credited with the time a late one had to wait, because every case counts as without the intervention until it starts."},
		NL: Text{Label: "Vroege of late start", Name: "timing: vroege of late start tegenover geen (tijdsafhankelijk Cox-model)",
			Formula:    "cox_time_varying met de blootstelling in twee niveaus: begonnen vóór dag E (vroeg, standaard 42: zes weken) of op dag E of later (laat), elk tegenover geen interventie van het type; per niveau een hazardratio met interval",
			Convention: "Niemand valt weg: een vroege start krijgt geen voordeel van de tijd die een late moest wachten, want elk geval telt als zonder de interventie tot ze begint."},
		Sources: []string{coxSource}},
}
