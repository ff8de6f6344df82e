package dashboard

// The texts of how cases end, relapse and frequent absence followed by long
// absence (Verzuimduur, Interventies, Frequent verzuim), merged into
// messages.
var outcomeMessages = map[string]map[string]string{
	"nl": {
		"outcomes_title":             "Hoe verzuimgevallen eindigen",
		"outcomes_hint":              "Verzuimgevallen met eerste ziektedag van %s t/m %s: per dag het deel dat nog verzuimt en het deel dat op elke manier is geëindigd, samen 100%%. Lopende gevallen tellen mee zolang ze gevolgd zijn.",
		"outcome_total":              "Totaal",
		"state_still_absent":         "Nog verzuimend",
		"state_own_employer":         "Terug bij eigen werkgever",
		"state_second_track":         "Andere werkgever (spoor 2)",
		"state_wia_iva":              "WIA/IVA",
		"state_employment_ended":     "Uit dienst",
		"state_other":                "Overig",
		"long_cases_title":           "Langer dan een jaar verzuimd: hoe liep het af?",
		"long_cases_n":               "Gevallen langer dan een jaar",
		"returns":                    "Terugkeer",
		"relapse_arm_return_talk":    "met werkbalansgesprek (14 dagen vóór tot 14 dagen na de hersteldatum)",
		"relapse_arm_no_return_talk": "zonder werkbalansgesprek",
		"relapse_arm_all_returns":    "alle terugkeer (basis)",
		"log_rank_p":                 "Log-rank-toets: p =",
		"unlinked":                   "Niet aan een verzuimgeval gekoppeld",
		"unlinked_no_case":           "geen verzuimgeval open op de startdatum",
		"unlinked_not_sickness":      "tijdens zwangerschaps- of bevallingsverlof of ander niet-ziekteverzuim",
		"unlinked_no_contract":       "geen dienstverband op de startdatum",
		"frequent_long_title":        "Worden frequent verzuimers later langdurig ziek?",
		"frequent_long_hint":         "Peildatum %s: medewerkers met %d of meer ziekmeldingen in de 12 maanden ervoor, tegenover de overige medewerkers. Het deel dat daarna een verzuimgeval van meer dan 42 dagen begon; gevolgd tot %s.",
		"reference_date":             "Peildatum",
		"group_frequent":             "Frequent verzuimers",
		"group_other":                "Overige medewerkers",
		"within_months":              "binnen %d maanden",
	},
	"en": {
		"outcomes_title":             "How absence cases end",
		"outcomes_hint":              "Absence cases with their first sick day from %s to %s: per day the share still absent and the share ended in each way, together 100%%. Open cases count for as long as they have been followed.",
		"outcome_total":              "Total",
		"state_still_absent":         "Still absent",
		"state_own_employer":         "Back at own employer",
		"state_second_track":         "Other employer (second track)",
		"state_wia_iva":              "WIA/IVA",
		"state_employment_ended":     "Employment ended",
		"state_other":                "Other",
		"long_cases_title":           "Absent for more than a year: how did it end?",
		"long_cases_n":               "Cases longer than a year",
		"returns":                    "Returns",
		"relapse_arm_return_talk":    "with a return-to-work talk (14 days before to 14 days after the return)",
		"relapse_arm_no_return_talk": "without a return-to-work talk",
		"relapse_arm_all_returns":    "all returns (baseline)",
		"log_rank_p":                 "Log-rank test: p =",
		"unlinked":                   "Not linked to an absence case",
		"unlinked_no_case":           "no absence case open on the start date",
		"unlinked_not_sickness":      "during pregnancy or maternity leave or other absence that is not sickness",
		"unlinked_no_contract":       "no contract on the start date",
		"frequent_long_title":        "Do frequent absentees become long-term absent?",
		"frequent_long_hint":         "Reference date %s: employees with %d or more sick reports in the 12 months before it, against the other employees. The share that then started an absence of more than 42 days; followed up to %s.",
		"reference_date":             "Reference date",
		"group_frequent":             "Frequent absentees",
		"group_other":                "Other employees",
		"within_months":              "within %d months",
	},
}

func init() {
	for lang, m := range outcomeMessages {
		for k, v := range m {
			messages[lang][k] = v
		}
	}
}
