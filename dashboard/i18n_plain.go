package dashboard

// The texts of error pages and API errors, roles, milestone statuses and
// the imports page, merged into messages.
var plainMessages = map[string]map[string]string{
	"nl": {
		"not_found":         "Deze pagina bestaat niet.",
		"server_failed":     "Er ging iets mis op de server; de fout is vastgelegd. Probeer het later opnieuw of meld het bij de beheerder.",
		"form_expired":      "Dit formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.",
		"log_in_first":      "Log eerst in.",
		"too_many_api":      "Te veel pogingen. Wacht een minuut en probeer het opnieuw.",
		"role_installation": "beheerder",
		"role_admin":        "beheerder werkgever",
		"role_hr":           "HR",
		"role_manager":      "leidinggevende",
		"role_provider":     "zorgaanbieder",
		"st_on_time":        "op tijd",
		"st_early":          "te vroeg",
		"st_late":           "te laat",
		"st_missing":        "ontbreekt",
		"st_upcoming":       "komt nog",
		"st_unknown":        "onbekend (geen mijlpalen geïmporteerd)",
		"st_passed":         "verstreken",
		"import_committed":  "geïmporteerd",
		"import_failed":     "mislukt",
		"import_undone":     "ongedaan gemaakt",
		"import_undo":       "ongedaan maken",
		"import_dry_run":    "alleen gecontroleerd",
		"import_running":    "bezig",
		"line":              "Regel",
		"column":            "Kolom",
		"value":             "Waarde",
		"reason":            "Reden",
		"detected":          "Herkend",
		"profile_auto":      "Profiel: automatisch",
		"choose_file":       "Kies een bestand om te uploaden.",
		"preview_expired":   "Deze controle is verlopen; upload het bestand opnieuw.",
	},
	"en": {
		"not_found":         "This page does not exist.",
		"server_failed":     "Something went wrong on the server; the error was logged. Try again later or tell your administrator.",
		"form_expired":      "This form has expired. Reload the page and try again.",
		"log_in_first":      "Log in first.",
		"too_many_api":      "Too many attempts. Wait a minute and try again.",
		"role_installation": "administrator",
		"role_admin":        "employer administrator",
		"role_hr":           "HR",
		"role_manager":      "manager",
		"role_provider":     "provider",
		"st_on_time":        "on time",
		"st_early":          "too early",
		"st_late":           "late",
		"st_missing":        "missing",
		"st_upcoming":       "upcoming",
		"st_unknown":        "unknown (no milestones imported)",
		"st_passed":         "passed",
		"import_committed":  "imported",
		"import_failed":     "failed",
		"import_undone":     "undone",
		"import_undo":       "undo",
		"import_dry_run":    "checked only",
		"import_running":    "running",
		"line":              "Line",
		"column":            "Column",
		"value":             "Value",
		"reason":            "Reason",
		"detected":          "Detected",
		"profile_auto":      "Profile: automatic",
		"choose_file":       "Choose a file to upload.",
		"preview_expired":   "This preview has expired; upload the file again.",
	},
}

func init() {
	for lang, m := range plainMessages {
		for k, v := range m {
			messages[lang][k] = v
		}
	}
}
