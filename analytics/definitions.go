package analytics

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Definition explains one figure for the dashboard to show next to it. Key is
// the figure's JSON name.
type Definition struct {
	Key         string
	Name        string // English name
	Dutch       string // the Dutch term
	Formula     string
	Numerator   string
	Denominator string
	Convention  string // counting rules and choices, with their source
	Unit        string
	Interval    string // how the 95% interval is computed, if there is one
	Sources     []string
	DutchText   string // what the figure counts, in plain Dutch for HR (shown on hover)
}

// Definitions lists the definition of every figure, with the settings of opt
// (duration-class bounds, thresholds) filled in.
func Definitions(opt Options) []Definition {
	opt, err := opt.withDefaults()
	if err != nil {
		opt, _ = Options{}.withDefaults()
	}
	var classes []string
	for _, c := range opt.DurationClasses {
		classes = append(classes, c.Label)
	}
	const (
		period   = "The period P runs from its first to its last day inclusive, in calendar days (weekends and holidays included). It never runs past the extract date."
		cases    = "A case covers its first sick day up to, not including, its recovery date (the first day fully back); an open case runs through the extract date, inclusive."
		ptf      = "Part-time factor = contract hours / full-time hours of the contract valid on that day."
		sickness = "Sickness = absence types sickness, sickness_pregnancy and organ_donation (incapacity for work, as CBS counts it); pregnancy and maternity leave (WAZO) is never sickness, nor is type other."
		vangnet  = "Vangnet cases: sickness the Ziektewet pays for: pregnancy-related sickness (art. 29a ZW), organ donation, and cases the export flags (vangnet = true, the no-risk polis; AFAS 'Vangnetindicatie')."
		equal    = "Only absence type sickness counts: pregnancy-related sickness never does (holding it against an employee is unequal treatment on grounds of sex: Algemene wet gelijke behandeling, art. 7:646 BW), nor does organ donation."
		standard = "Berekening van ziekteverzuim, standaard 1996 (CBS, Ctsv, NIA, SZW, Tica, TNO)"
		cbs      = "CBS, begrippen: ziekteverzuimpercentage, meldingsfrequentie, verzuimduur"
		vernet   = "Vernet, definities verzuim (vernet.nl/definities)"
	)
	attribution := "Days count for the contract valid on that day; cases for the contract valid on their first sick day."
	return []Definition{
		{Key: "zvp_pct", Name: "Absence rate", Dutch: "ziekteverzuimpercentage (ZVP)",
			Formula:     "100 × Σ sick days in P × ptf × % absent / 100 ÷ Σ days employed in P × ptf",
			Numerator:   "Sick FTE days: every day of P on which a sickness case runs and the employee is employed, weighted by the part-time factor and the percentage absent that day.",
			Denominator: "FTE days: every day of P on which the employee is employed, weighted by the part-time factor.",
			Convention:  strings.Join([]string{period, cases, ptf, sickness, "Every case running during P counts, new or not, long ones included (CBS includes absence over a year). Sick days outside employment count in neither sum.", attribution}, " "),
			Unit:        "%",
			Interval:    "95% interval: employees are clusters of days; the variance of the ratio estimator R = Σy/Σx (y = an employee's sick FTE days, x = FTE days) is linearised (delta method): Var(R) ≈ n/(n−1) · Σ(y − R·x)² / (Σx)². The interval is built on the logit scale, logit(R) ± 1.96·SE/(R(1 − R)) transformed back, so it stays inside 0–100% without clipping; it is undefined without any sick day or with fewer than two employees.",
			Sources:     []string{standard, cbs, "compucase.nl: ziekteverzuimpercentage"}},
		{Key: "zvp_incl_pregnancy_pct", Name: "Absence rate incl. pregnancy leave", Dutch: "ZVP inclusief zwangerschapsverlof",
			Formula:    "as zvp_pct, with pregnancy and maternity leave days counted as absent",
			Numerator:  "Sick FTE days plus pregnancy-leave FTE days.",
			Convention: "The 1996 standard prefers two versions, with and without WAZO leave; CBS publishes the one without. This is the labelled 'incl.' variant; compare zvp_pct with benchmarks.",
			Unit:       "%", Sources: []string{standard}},
		{Key: "zvp_excl_partial_pct", Name: "Absence rate without partial recovery", Dutch: "ZVP zonder deelherstel",
			Formula:    "as zvp_pct, with every day of an open case counted as 100% absent",
			Convention: "Some systems ignore partial return to work; this variant shows what they would report.",
			Unit:       "%", Sources: []string{"Stigas 2024 (DOMAIN.md §5)"}},
		{Key: "zmf", Name: "Notification frequency", Dutch: "(ziek)meldingsfrequentie (ZMF)",
			Formula:     "new sickness cases in P ÷ average headcount in P × 365 ÷ days in P, where average headcount = Σ days employed in P ÷ days in P",
			Numerator:   "Sickness cases whose first sick day lies in P.",
			Denominator: "Average headcount (persons, not FTE), weighted by the days employed in P.",
			Convention:  strings.Join([]string{period, sickness, "Going from full to partial absence is not a new case; a relapse after full recovery is, even within four weeks. A period shorter or longer than a year is annualised with 365 days, also in leap years.", attribution}, " "),
			Unit:        "cases per employee per year",
			Interval:    "95% exact (Garwood) Poisson interval on the case count k over the exposure T = Σ days employed / 365 person-years: [χ²(2k; 0.025)/2, χ²(2k+2; 0.975)/2] / T. It assumes cases occur independently; frequent absentees make the true spread wider.",
			Sources:     []string{standard, cbs, "Humanwave; compucase.nl: ziekmeldingsfrequentie"}},
		{Key: "gzvd_days", Name: "Average duration", Dutch: "gemiddelde ziekteverzuimduur (GZVD)",
			Formula:     "Σ (recovery date − first sick day) ÷ number of cases, over the sickness cases whose recovery date lies in P",
			Numerator:   "Calendar days of each closed case, including its days before P; partial sick days count as whole days, no part-time weighting.",
			Denominator: "Sickness cases closed in P (recovery date in P).",
			Convention:  fmt.Sprintf("Open cases are left out (see open_cases). Shown only over at least %d closed cases, so that a mean never shows one person's duration.", opt.MinCases),
			Unit:        "calendar days", Sources: []string{standard, vernet, "compucase.nl: gemiddelde ziekteverzuimduur"}},
		{Key: "gzvd_median_days", Name: "Median duration", Dutch: "mediane verzuimduur",
			Formula:    "median of (recovery date − first sick day) over the sickness cases closed in P",
			Convention: "Less sensitive to a few very long cases than GZVD; same cases and same minimum.",
			Unit:       "calendar days"},
		{Key: "zero_absence_pct", Name: "Zero absence", Dutch: "nulverzuim",
			Formula:     "100 × employees employed on a day of P without a sick day in P ÷ employees employed on a day of P",
			Numerator:   "Employees without any day of sickness in P while employed (a case running into P from before counts as sick; pregnancy leave and type other do not).",
			Denominator: "Every employee employed on at least one day of P, also those employed part of P.",
			Unit:        "%", Sources: []string{"omojaarverslag.nl (percentage nulverzuim)"}},
		{Key: "employees", Name: "Employees", Dutch: "aantal medewerkers",
			Formula: "employees employed on at least one day of P", Unit: "persons"},
		{Key: "avg_headcount", Name: "Average headcount", Dutch: "gemiddeld aantal medewerkers",
			Formula: "Σ days employed in P ÷ days in P", Unit: "persons"},
		{Key: "fte", Name: "Average FTE", Dutch: "gemiddeld aantal fte",
			Formula: "Σ days employed in P × ptf ÷ days in P", Convention: ptf, Unit: "FTE"},
		{Key: "fte_days", Name: "FTE days", Formula: "Σ days employed in P × ptf (the ZVP denominator)", Unit: "FTE days"},
		{Key: "employed_days", Name: "Employed days", Formula: "Σ days employed in P (the ZMF exposure)", Unit: "days"},
		{Key: "sick_days", Name: "Sick days lost", Dutch: "verzuimdagen",
			Formula: "Σ sick days in P × ptf × % absent / 100 (the ZVP numerator)", Convention: sickness, Unit: "FTE calendar days"},
		{Key: "cost", Name: "Cost of absence", Dutch: "verzuimkosten",
			Formula: "sick_days × the configured cost of one FTE calendar day", Convention: "Shown only when a day price is configured; it is a simple estimate, not wage costs plus replacement.", Unit: "euro"},
		{Key: "new_cases", Name: "New cases", Dutch: "nieuwe ziekmeldingen", Formula: "sickness cases with their first sick day in P", Unit: "cases"},
		{Key: "closed_cases", Name: "Closed cases", Dutch: "afgesloten verzuimgevallen (hersteld of anders beëindigd)", Formula: "sickness cases with their recovery date in P, however they ended (see case_outcomes)", Unit: "cases"},
		{Key: "open_cases", Name: "Open cases", Dutch: "lopende verzuimgevallen", Formula: "sickness cases that started by the end of P and are not recovered by then (recovery date after P, or none)", Unit: "cases"},
		{Key: "duration_classes", Name: "Duration classes", Dutch: "verzuimduurklassen",
			Formula:    fmt.Sprintf("each sickness case with a sick day in P falls in exactly one class (%s days) by its length up to its recovery date or the end of P, whichever comes first; per class: its cases and the ZVP of its sick days over the common denominator", strings.Join(classes, ", ")),
			Convention: "The classes' ZVPs add up to zvp_pct. Default bounds 1–7, 8–42, 43–365, 366+ (common arbo practice); Vernet's 1–14, 15–91, 92–365, 366–730 as a setting, where a case longer than 730 days counts in the last class.",
			Unit:       "cases, %", Sources: []string{vernet, "sazas.nl; verzuimservicedesk.nl (kort/middellang/lang)"}},
		{Key: "frequent_absentees", Name: "Frequent absentees", Dutch: "frequent verzuimers",
			Formula:    fmt.Sprintf("employees of the population with ≥ %d new sickness cases in the %d months ending at the end of P", opt.FrequentThreshold, opt.FrequentWindowMonths),
			Convention: "Cases by the ZMF rules. " + equal + " There is no official definition; ≥ 3 in 12 months is the most common (basisarbodienst.nl, sazas.nl, arboconcern.nl).",
			Unit:       "persons"},
		{Key: "bradford", Name: "Bradford factor", Dutch: "Bradford-factor",
			Formula:    "S² × D per employee over the same window: S spells with a sick day in the window, D calendar days of sickness in the window",
			Convention: fmt.Sprintf("Cases back to back (the next starts on the previous one's recovery date, or at most %d days later) are one spell. %s Guidance only, never grounds for sanctions.", opt.BradfordGapDays, equal),
			Unit:       "score"},
		{Key: "vangnet_zvp_pct", Name: "Absence rate paid by the Ziektewet (vangnet)", Dutch: "verzuimpercentage vangnet (Ziektewet)",
			Formula:     "100 × Σ sick days in P of vangnet cases × ptf × % absent / 100 ÷ Σ days employed in P × ptf",
			Numerator:   "Sick FTE days, as for zvp_pct, of vangnet cases only. " + vangnet,
			Denominator: "FTE days, as for zvp_pct.",
			Convention:  fmt.Sprintf("The part of zvp_pct the employer can claim back from UWV. These cases stay in zvp_pct, zmf and gzvd, as CBS counts them; they never count towards frequent absence or the Bradford factor, except sickness flagged no-risk. Shown only with none or at least %d vangnet cases, as fewer would point at a pregnancy or a donation in the group; which vangnet applies is never shown (AP: an employer may record whether a vangnet applies, not which).", opt.MinCases),
			Unit:        "%",
			Sources:     []string{"Ziektewet art. 29a (zwangerschap en bevalling); poortwachtersloket.nl (orgaandonatie); AP Beleidsregels De zieke werknemer (2016)"}},
		{Key: "vangnet_share_pct", Name: "Vangnet share of the absence", Dutch: "aandeel vangnet in het verzuim",
			Formula:    "100 × sick FTE days of vangnet cases ÷ sick FTE days (vangnet_zvp_pct ÷ zvp_pct)",
			Convention: vangnet + " Same minimum as vangnet_zvp_pct.",
			Unit:       "%"},
		{Key: "vangnet_cases", Name: "Vangnet cases", Dutch: "vangnetgevallen",
			Formula:    "vangnet cases with a sick day in P",
			Convention: vangnet + " Same minimum as vangnet_zvp_pct.",
			Unit:       "cases"},
		{Key: "rolling12", Name: "Rolling 12 months", Dutch: "voortschrijdend jaar",
			Formula: "the figure over the 12 months ending on the last day of the series period", Convention: "Computed with the same formulas and conventions as the period figures."},
		{Key: "suppressed", Name: "Small-group protection",
			Formula:    fmt.Sprintf("a group with fewer than %d employees or fewer than %d sickness cases with a sick day in P is hidden", opt.MinEmployees, opt.MinCases),
			Convention: "Complementary suppression: when a breakdown hides a group, the next-smallest groups are hidden too until the hidden groups together reach both thresholds, so no group can be worked out from the total. A filter shows figures only when every selected value would be visible in the breakdown of its dimension. Thresholds can be raised, never set below 5. There is no legal minimum; this is our choice (DOMAIN.md §4).",
			Sources:    []string{"AVG art. 9; AP Beleidsregels De zieke werknemer (2016)"}},
	}
}

// DefinitionOf returns the definition of the figure with the given JSON key,
// with default settings.
func DefinitionOf(key string) (Definition, bool) {
	for _, d := range Definitions(Options{}) {
		if d.Key == key {
			return d, true
		}
	}
	return Definition{}, false
}

// DefinitionList is a list of definitions; in JSON each one is an object
// with snake_case keys (key, name, dutch, dutch_text, formula, numerator,
// denominator, convention, unit, interval, sources), empty fields left out.
type DefinitionList []Definition

// MarshalJSON writes the definitions with snake_case keys.
func (ds DefinitionList) MarshalJSON() ([]byte, error) {
	type doc struct {
		Key         string   `json:"key"`
		Name        string   `json:"name"`
		Dutch       string   `json:"dutch,omitempty"`
		DutchText   string   `json:"dutch_text,omitempty"`
		Formula     string   `json:"formula,omitempty"`
		Numerator   string   `json:"numerator,omitempty"`
		Denominator string   `json:"denominator,omitempty"`
		Convention  string   `json:"convention,omitempty"`
		Unit        string   `json:"unit,omitempty"`
		Interval    string   `json:"interval,omitempty"`
		Sources     []string `json:"sources,omitempty"`
	}
	out := make([]doc, len(ds))
	for i, d := range ds {
		out[i] = doc{Key: d.Key, Name: d.Name, Dutch: d.Dutch, DutchText: d.DutchText, Formula: d.Formula, Numerator: d.Numerator,
			Denominator: d.Denominator, Convention: d.Convention, Unit: d.Unit, Interval: d.Interval, Sources: d.Sources}
	}
	return json.Marshal(out)
}
