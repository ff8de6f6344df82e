package datasets

// Format names accepted by WriteFiles.
const (
	FormatNative = "native" // employments, absence_periods, absence_events, interventions, milestones
	FormatAFAS   = "afas"   // afas_dienstverband, afas_verzuim
	FormatVisma  = "visma"  // visma_medewerkers, visma_verzuim
)

// Formats lists the format names in the order WriteFiles writes them.
var Formats = []string{FormatNative, FormatAFAS, FormatVisma}

// layout is one file: its encoding conventions, header and row emitter. The
// headers are the [columns] values of the matching ingest/profiles/*.toml.
type layout struct {
	file    string
	format  string
	profile string // name of the ingest profile that reads it
	header  []string
	delim   byte
	crlf    bool // line ends
	bom     bool // UTF-8 byte order mark
	cp1252  bool // Windows-1252 instead of UTF-8
	dmy     bool // dd-mm-yyyy instead of yyyy-mm-dd
	comma   bool // decimal comma
	emit    func(w *Writer, e *Employee)
}

var (
	layNativeEmployments = &layout{file: "employments.csv", profile: "native-employments", format: FormatNative, delim: ',',
		header: []string{"employee_id", "start_date", "end_date", "department", "team", "location", "contract_hours", "fulltime_hours", "birth_year", "gender"},
		emit:   emitEmployments}
	layNativePeriods = &layout{file: "absence_periods.csv", profile: "native-periods", format: FormatNative, delim: ',',
		header: []string{"employee_id", "case_ref", "start_date", "end_date", "absence_pct", "absence_type", "end_reason", "vangnet"},
		emit:   emitPeriods}
	layNativeEvents = &layout{file: "absence_events.csv", profile: "native-events", format: FormatNative, delim: ',',
		header: []string{"employee_id", "first_sick_day", "event_date", "event", "absence_pct", "absence_type", "end_reason", "vangnet"},
		emit:   emitEvents}
	layNativeInterventions = &layout{file: "interventions.csv", profile: "native-interventions", format: FormatNative, delim: ',',
		header: []string{"employee_id", "intervention_type", "provider", "start_date", "end_date", "sessions", "outcome", "cost", "payer"},
		emit:   emitInterventions}
	layNativeMilestones = &layout{file: "milestones.csv", profile: "native-milestones", format: FormatNative, delim: ',',
		header: []string{"employee_id", "first_sick_day", "milestone", "done_date"},
		emit:   emitMilestones}
	layAFASEmployments = &layout{file: "afas_dienstverband.csv", profile: "afas-dienstverband", format: FormatAFAS, delim: ';', crlf: true, cp1252: true, dmy: true, comma: true,
		header: []string{"Medewerker", "Naam", "BSN", "Begindatum", "Einddatum", "Afdeling", "Team", "Standplaats", "Uren per week", "Fulltime uren", "Geboortedatum", "Geslacht"},
		emit:   emitEmployments}
	layAFASAbsence = &layout{file: "afas_verzuim.csv", profile: "afas-verloop", format: FormatAFAS, delim: ';', crlf: true, cp1252: true, dmy: true, comma: true,
		header: []string{"Medewerker", "Eerste ziektedag", "Datum", "Soort regel", "Aanwezigheid %", "Verzuimtype", "Reden herstel"},
		emit:   emitEvents}
	layVismaEmployments = &layout{file: "visma_medewerkers.csv", profile: "visma-medewerkers", format: FormatVisma, delim: ',', bom: true,
		header: []string{"Personeelsnummer", "Afdeling", "Team", "Vestiging", "Datum in dienst", "Datum uit dienst", "Uren per week", "Deeltijdfactor", "Geboortejaar", "Geslacht"},
		emit:   emitEmployments}
	layVismaAbsence = &layout{file: "visma_verzuim.csv", profile: "visma-perioden", format: FormatVisma, delim: ',', bom: true,
		header: []string{"Personeelsnummer", "Verzuimnummer", "Begindatum", "Einddatum", "Verzuimpercentage", "Verzuimsoort", "Reden einde", "Vangnet"},
		emit:   emitPeriods}

	layouts = []*layout{layNativeEmployments, layNativePeriods, layNativeEvents, layNativeInterventions, layNativeMilestones,
		layAFASEmployments, layAFASAbsence, layVismaEmployments, layVismaAbsence}
)
