package dashboard

// The texts of the monthly report pack and the alerts, merged into
// messages.
var packMessages = map[string]map[string]string{
	"nl": {
		"pack":             "Verzuimrapportage",
		"pack_title":       "Verzuimrapportage %s",
		"pack_scope":       "Medewerkers: %s. Gegevens t/m %s.",
		"pack_month":       "Maand",
		"pack_rolling":     "Voortschrijdend 12 maanden",
		"pack_filter":      "Medewerkers",
		"pack_extract":     "Gegevens t/m",
		"pack_suppression": "Lege cel",
		"pack_figure":      "Kengetal",
		"pack_period":      "Maand",
		"pack_total":       "Totaal",
		"pack_class":       "Duurklasse",
		"pack_count":       "Aantal",
		"pack_type":        "Soort interventie",
		"pack_employees":   "Medewerkers",
		"pack_rolling_of":  "12 maanden %s t/m %s",
		"pack_tracks_hint": "Aantallen op %s; de namen staan op de Poortwachter-pagina.",
		"pack_iv_hint":     "Interventies met start in de drie jaar t/m %s.",
		"bad_month":        "Onbekende maand %q; schrijf de maand als JJJJ-MM, bijvoorbeeld 2026-10.",
		"month_after_data": "De maand %s ligt na de gegevens (t/m %s); kies een eerdere maand.",
		"month_1":          "januari",
		"month_2":          "februari",
		"month_3":          "maart",
		"month_4":          "april",
		"month_5":          "mei",
		"month_6":          "juni",
		"month_7":          "juli",
		"month_8":          "augustus",
		"month_9":          "september",
		"month_10":         "oktober",
		"month_11":         "november",
		"month_12":         "december",
	},
	"en": {
		"pack":             "Absence report",
		"pack_title":       "Absence report %s",
		"pack_scope":       "Employees: %s. Data up to %s.",
		"pack_month":       "Month",
		"pack_rolling":     "Rolling 12 months",
		"pack_filter":      "Employees",
		"pack_extract":     "Data up to",
		"pack_suppression": "Empty cell",
		"pack_figure":      "Figure",
		"pack_period":      "Month",
		"pack_total":       "Total",
		"pack_class":       "Duration class",
		"pack_count":       "Number",
		"pack_type":        "Type of intervention",
		"pack_employees":   "Employees",
		"pack_rolling_of":  "12 months %s to %s",
		"pack_tracks_hint": "Counts on %s; the names are on the Poortwachter page.",
		"pack_iv_hint":     "Interventions started in the three years up to %s.",
		"bad_month":        "Unknown month %q; write the month as YYYY-MM, for example 2026-10.",
		"month_after_data": "The month %s lies after the data (up to %s); choose an earlier month.",
		"month_1":          "January",
		"month_2":          "February",
		"month_3":          "March",
		"month_4":          "April",
		"month_5":          "May",
		"month_6":          "June",
		"month_7":          "July",
		"month_8":          "August",
		"month_9":          "September",
		"month_10":         "October",
		"month_11":         "November",
		"month_12":         "December",
	},
}

func init() {
	for lang, m := range packMessages {
		for k, v := range m {
			messages[lang][k] = v
		}
	}
}
