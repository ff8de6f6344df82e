package datasets

// Fixed vocabularies of the synthetic organisation. Every string here must be
// encodable in Windows-1252 and free of ',', ';', '"' and line breaks (a test
// checks this), so the writers never need to quote.

type department struct {
	name     string
	teams    []string
	weight   float64 // share of the workforce
	fulltime float64 // full-time hours of its collective agreement
	risk     float64 // multiplier on the sickness onset rate
	femShare float64 // share of women hired
	location []int   // indices into locations; first one is the main site
}

// Care departments work on a 36-hour full-time week (as in the care CAOs),
// everyone else on 40; contract hours are drawn so the part-time factor has at
// most 4 decimals.
var departments = []department{
	{"Zorg & Welzijn", []string{"Zorg – Noord", "Zorg – Zuid", "Zorg – Oost", "Nachtdienst"}, 0.22, 36, 1.30, 0.82, []int{1, 0, 3}},
	{"Cliëntenservice", []string{"Klantcontact", "Klachten & Advies", "Cliëntadministratie"}, 0.10, 40, 1.15, 0.70, []int{0, 1}},
	{"Financiën", []string{"Crediteuren – €-betalingen", "Debiteuren", "Salarisadministratie"}, 0.07, 40, 0.85, 0.55, []int{0}},
	{"HR & Organisatie", []string{"Recruitment", "P&O-advies"}, 0.05, 40, 0.85, 0.72, []int{0}},
	{"ICT", []string{"Servicedesk", "Ontwikkeling", "Infrastructuur"}, 0.08, 40, 0.70, 0.25, []int{0, 2}},
	{"Logistiek", []string{"Magazijn", "Transport", "Inkoop"}, 0.12, 40, 1.10, 0.22, []int{2, 4}},
	{"Facilitair bedrijf", []string{"Restaurant ‘De Brug’", "Schoonmaak", "Beveiliging"}, 0.08, 40, 1.15, 0.50, []int{0, 1, 2, 3, 4}},
	{"Communicatie & Marketing", []string{"Online", "Pers & Publiciteit"}, 0.04, 40, 0.85, 0.65, []int{0}},
	{"Juridische zaken", []string{"Contracten", "Privacy & Compliance"}, 0.03, 40, 0.80, 0.60, []int{0}},
	{"Productie", []string{"Ploeg A", "Ploeg B", "Ploeg C", "Kwaliteit"}, 0.14, 40, 1.15, 0.20, []int{3, 4}},
	{"Onderzoek & Ontwikkeling", []string{"Laboratorium", "Productontwikkeling"}, 0.04, 40, 0.75, 0.45, []int{3}},
	{"Directie & Staf", []string{"Bestuurssecretariaat", "Controlling"}, 0.03, 40, 0.75, 0.50, []int{0}},
}

var locations = []string{"Utrecht", "’s-Hertogenbosch", "Zwolle", "Eindhoven", "Groningen"}

// Contract hours with their weights, for a 40- and a 36-hour full-time week.
// Dutch reality: many part-timers, especially women and in care.
var hours40 = []float64{40, 36, 32, 28, 24, 20, 16}
var hours40Men = []float64{0.62, 0.14, 0.12, 0.04, 0.04, 0.02, 0.02}
var hours40Women = []float64{0.22, 0.12, 0.25, 0.14, 0.16, 0.07, 0.04}
var hours36 = []float64{36, 31.5, 27, 22.5, 18}
var hours36Men = []float64{0.55, 0.20, 0.13, 0.07, 0.05}
var hours36Women = []float64{0.20, 0.22, 0.28, 0.18, 0.12}

var firstNamesF = []string{"Emma", "Julia", "Sophie", "Anna", "Zoë", "Chloë", "Loïs", "Noor", "Fleur", "Lisa", "Sanne", "Iris", "Thérèse", "Anaïs", "Fatima", "Yasmina", "Eline", "Marieke", "Ingrid", "Anke", "Hélène", "Marloes", "Esther", "Petra", "Saskia", "Naomi", "Linda", "Renée"}
var firstNamesM = []string{"Daan", "Sem", "Lucas", "Levi", "Finn", "Noël", "René", "Sébastien", "Mohamed", "Youssef", "Thijs", "Bram", "Ruben", "Jeroen", "Pieter", "Kees", "Henk", "Mark", "Sander", "Joost", "Wouter", "Gijs", "Jan", "Arjen", "Rik", "Stijn", "Mehmet", "André"}
var firstNamesX = []string{"Sam", "Robin", "Kim", "Charlie", "Noa", "Jip"}
var lastNames = []string{"de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn", "van Beek", "Schouten", "van ’t Hof", "El Amrani", "Ramdin", "Öztürk", "Nguyen", "Koç", "Gérard", "Mertens", "Hoekstra", "Wijnands", "Brinkman", "Kuipers"}

// Providers per intervention type (fake company names).
var providers = [...][]string{
	ivTalk:    {"ArboPlus Nederland", "Bedrijfsarts Direct B.V.", "Verzuimregie Midden"},
	ivLabour:  {"Arbeidsdeskundig Bureau Vos", "ADviesWerk B.V."},
	ivPsych:   {"Mentaal Vitaal Coaching", "PsyCare Werk & Balans", "Veerkracht Psychologen"},
	ivMediate: {"Mediationpraktijk De Brug", "Conflict & Co"},
	ivSecond:  {"Spoor2Werk B.V.", "ReIntegra Loopbaan"},
	ivReturn:  {"ArboPlus Nederland", "Werkbalans Coaches"},
}

// Intervention types, indices into interventionTypes.
const (
	ivTalk = iota
	ivLabour
	ivPsych
	ivMediate
	ivSecond
	ivReturn
)

var interventionTypes = [...]string{
	ivTalk:    "intervention_talk",
	ivLabour:  "labour_expert",
	ivPsych:   "psychological_coaching",
	ivMediate: "mediation",
	ivSecond:  "second_track",
	ivReturn:  "return_talk",
}

// Case types and end reasons in the canonical vocabulary, with the labels of
// the AFAS (afas-verloop.toml) and Visma (visma-perioden.toml) exports.
const (
	TypeSickness          = "sickness"
	TypeSicknessPregnancy = "sickness_pregnancy"
	TypePregnancyLeave    = "pregnancy_leave"
	TypeOther             = "other"

	ReasonFullReturn      = "full_return"
	ReasonAdaptedOwnWork  = "adapted_own_work"
	ReasonOtherWork       = "other_work_own_employer"
	ReasonSecondTrack     = "second_track"
	ReasonWIA             = "wia_iva"
	ReasonEmploymentEnded = "employment_ended"
	ReasonOther           = "other"
)

var afasType = map[string]string{
	TypeSickness:          "Ziek",
	TypeSicknessPregnancy: "Ziek a.g.v. zwangerschap of bevalling",
	TypePregnancyLeave:    "Zwangerschaps- en bevallingsverlof",
	TypeOther:             "Overig",
}

const afasAccident = "Bedrijfsongeval"

var afasReason = map[string]string{
	ReasonFullReturn:      "Volledig hersteld eigen werk",
	ReasonAdaptedOwnWork:  "Hersteld in aangepast eigen werk",
	ReasonOtherWork:       "Ander werk bij eigen werkgever",
	ReasonSecondTrack:     "Plaatsing spoor 2",
	ReasonWIA:             "WIA/IVA",
	ReasonEmploymentEnded: "Uit dienst",
	ReasonOther:           "Overig",
}

var vismaType = map[string]string{
	TypeSickness:          "Ziekte",
	TypeSicknessPregnancy: "Ziekte zwangerschap",
	TypePregnancyLeave:    "WAZO",
	TypeOther:             "Overig",
}

var vismaReason = map[string]string{
	ReasonFullReturn:      "Hersteld",
	ReasonAdaptedOwnWork:  "Aangepast werk",
	ReasonOtherWork:       "Ander werk intern",
	ReasonSecondTrack:     "Spoor 2",
	ReasonWIA:             "WIA",
	ReasonEmploymentEnded: "Uit dienst",
	ReasonOther:           "Overig",
}
