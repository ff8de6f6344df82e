package dashboard

// The axis titles of the charts and the progression's hint, merged into
// messages.
var chartMessages = map[string]map[string]string{
	"nl": {
		"axis_month":             "Maand",
		"axis_year":              "Jaar",
		"axis_week_since_report": "Week sinds ziekmelding",
		"axis_cohort":            "Maand van ziekmelding",
		"axis_intervention_type": "Soort interventie",
		"axis_duration_class":    "Duurklasse",
		"axis_duration":          "Verzuimduur",
		"progression_hint":       "Verzuimgevallen met eerste ziektedag van %s t/m %s: per mijlpaal het deel dat dan nog verzuimt (Kaplan–Meier, lopende gevallen tellen mee zolang ze gevolgd zijn). Een mijlpaal die de gevallen nog niet konden bereiken, blijft leeg.",
	},
	"en": {
		"axis_month":             "Month",
		"axis_year":              "Year",
		"axis_week_since_report": "Week since sick report",
		"axis_cohort":            "Month of sick report",
		"axis_intervention_type": "Type of intervention",
		"axis_duration_class":    "Duration class",
		"axis_duration":          "Duration of absence",
		"progression_hint":       "Cases with a first sick day from %s to %s: at each milestone the share still absent (Kaplan–Meier; open cases count as long as they were followed). A milestone the cases could not reach yet stays empty.",
	},
}

func init() {
	for lang, m := range chartMessages {
		for k, v := range m {
			messages[lang][k] = v
		}
	}
}
