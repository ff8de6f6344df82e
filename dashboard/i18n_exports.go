package dashboard

// The texts of the downloads (file names, XLSX headers and the Toelichting
// sheet) and of the freshness line, merged into messages.
var exportMessages = map[string]map[string]string{
	"nl": {
		"file_absence":       "verzuim",
		"file_absentees":     "frequent-verzuim",
		"file_rejects":       "afgekeurd",
		"export_what":        "Inhoud",
		"export_period":      "Periode",
		"export_period_text": "%s t/m %s",
		"export_filter":      "Filter",
		"export_no_filter":   "geen: alle medewerkers",
		"export_employer":    "Werkgever",
		"export_extract":     "Gegevens t/m",
		"export_made":        "Gemaakt op",
		"export_empty":       "Lege cellen",
		"export_empty_text":  "Een lege cel is een cijfer dat er niet is of dat verborgen is omdat de groep te klein is om te tonen; het is nooit een nul.",
		"export_parent":      "Valt onder",
		"export_suppressed":  "Verborgen (te kleine groep)",
		"export_ci_low":      "95%-interval ondergrens",
		"export_ci_high":     "95%-interval bovengrens",
		"export_cases":       "Gevallen",
		"export_import":      "Import",
		"export_line":        "Regel",
		"export_column":      "Kolom",
		"export_value":       "Waarde",
		"export_reason":      "Reden",
		"rejected_rows":      "Afgekeurde regels",
		"download_as":        "Downloaden als",
		"freshness":          "gegevens t/m %s · laatste import %s",
		"freshness_none":     "nog geen gegevens geïmporteerd",
		"extract_date":       "Gegevens t/m",
	},
	"en": {
		"file_absence":       "absence",
		"file_absentees":     "frequent-absence",
		"file_rejects":       "rejected",
		"export_what":        "Contents",
		"export_period":      "Period",
		"export_period_text": "%s to %s",
		"export_filter":      "Filter",
		"export_no_filter":   "none: all employees",
		"export_employer":    "Employer",
		"export_extract":     "Data up to",
		"export_made":        "Made on",
		"export_empty":       "Empty cells",
		"export_empty_text":  "An empty cell is a figure that does not exist or is hidden because its group is too small to show; it is never a zero.",
		"export_parent":      "Part of",
		"export_suppressed":  "Hidden (group too small)",
		"export_ci_low":      "95% interval low",
		"export_ci_high":     "95% interval high",
		"export_cases":       "Cases",
		"export_import":      "Import",
		"export_line":        "Line",
		"export_column":      "Column",
		"export_value":       "Value",
		"export_reason":      "Reason",
		"rejected_rows":      "Rejected rows",
		"download_as":        "Download as",
		"freshness":          "data up to %s · last import %s",
		"freshness_none":     "no data imported yet",
		"extract_date":       "Data up to",
	},
}

func init() {
	for lang, m := range exportMessages {
		for k, v := range m {
			messages[lang][k] = v
		}
	}
}
