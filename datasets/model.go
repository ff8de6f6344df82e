package datasets

import (
	"errors"
	"slices"
	"time"
)

// The exported records of a generated organisation, and how the simulation
// state of one person becomes them.

// Config describes the organisation to generate. Zero fields take defaults.
type Config struct {
	Employees   int       // number of persons generated over the whole history (default 1000)
	Seed        uint64    // same seed => byte-identical output
	ExtractDate time.Time // data runs up to this date; cases open on it are open (no recovery date). Default 2026-06-30.
	Years       int       // years of history before ExtractDate (default 3)
	// Effect, when set, gives the sickness cases durations with a known
	// intervention effect and confounding by indication (effect.go).
	Effect *KnownEffect
}

// Employee is one person with their whole history inside the generated window.
type Employee struct {
	ID            string // personnel number, e.g. "100042" (raw, the importer pseudonymises it)
	Name          string // fake full name, only written to the AFAS employment export (which the importer must drop)
	BSN           string // fake 9-digit citizen number that fails the elfproef, so it can never be a real BSN; AFAS export only
	BirthDate     time.Time
	Gender        string       // "M", "F", "X"
	Employments   []Employment // contiguous or gapped contract periods, sorted
	Cases         []Case       // sorted by FirstSickDay, never overlapping, all within employment
	Interventions []Intervention
	Milestones    []Milestone // recorded Poortwachter steps of the sickness tracks
}

// Employment is one contract period with constant terms.
type Employment struct {
	Start, End                   time.Time // End = last day employed (inclusive); zero = still employed at ExtractDate
	Department, Team, Location   string
	ContractHours, FulltimeHours float64
}

// Case is one statistical absence case (verzuimgeval).
type Case struct {
	FirstSickDay time.Time
	RecoveryDate time.Time // first day fully back (exclusive end); zero = open at ExtractDate
	Type         string    // "sickness" | "sickness_pregnancy" | "pregnancy_leave" | "other"
	EndReason    string    // "" while open; else full_return | adapted_own_work | other_work_own_employer | second_track | wia_iva | employment_ended | other
	Segments     []Segment // first segment starts at FirstSickDay; each runs to the next one's From, the last to RecoveryDate (or open)
	WorkAccident bool      // sickness caused by a work accident; AFAS labels it "Bedrijfsongeval", every other layout plain sickness
}

// Segment is a stretch of a case with a constant absence percentage.
type Segment struct {
	From       time.Time
	AbsencePct float64 // percentage of working time absent, 0 < pct <= 100
}

// Intervention is one occupational-health intervention, always started during a case.
type Intervention struct {
	Type       string // intervention_talk | labour_expert | psychological_coaching | mediation | second_track | return_talk
	Provider   string
	Start, End time.Time // End zero = ongoing
	Sessions   int
	Outcome    string  // completed | stopped | ongoing
	Cost       float64 // euros, 2 decimals
	Payer      string  // employer | erd_zw | erd_wga | zorgverzekeraar | uwv | other; "" not recorded
}

func (c Config) withDefaults() (Config, error) {
	if c.Employees < 0 || c.Years < 0 {
		return c, errors.New("datasets: Employees and Years must not be negative")
	}
	if c.Employees == 0 {
		c.Employees = 1000
	}
	if c.Years == 0 {
		c.Years = 3
	}
	if c.ExtractDate.IsZero() {
		c.ExtractDate = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	}
	c.ExtractDate = toDay(c.ExtractDate).time()
	var err error
	c.Effect, err = c.Effect.withDefaults()
	return c, err
}

// finish drops what lies before the window and converts to the exported types.
func (p *person) finish(e *Employee) *Employee {
	g := p.g
	slices.SortFunc(p.cases, func(a, b icase) int { return int(a.first - b.first) })
	keepFrom := g.histStart
	nc, niv := 0, 0
	for _, c := range p.cases {
		if c.rec > g.histStart {
			keepFrom = min(keepFrom, c.first)
			nc++
			niv += len(c.ivs)
		}
	}
	e.Cases = make([]Case, 0, nc)
	if niv > 0 {
		e.Interventions = make([]Intervention, 0, niv)
	}
	for _, c := range p.cases {
		if c.rec <= g.histStart {
			continue
		}
		out := Case{FirstSickDay: c.first.time(), Type: c.typ, WorkAccident: c.accident,
			Segments: make([]Segment, len(c.segs))}
		if c.rec <= g.extract {
			out.RecoveryDate, out.EndReason = c.rec.time(), c.reason
		}
		for k, s := range c.segs {
			out.Segments[k] = Segment{s.from.time(), s.pct}
		}
		e.Cases = append(e.Cases, out)
		for _, iv := range c.ivs {
			x := Intervention{Type: interventionTypes[iv.typ], Provider: iv.provider, Start: iv.start.time(),
				Sessions: iv.sessions, Outcome: iv.outcome, Cost: iv.cost, Payer: iv.payer}
			if iv.end >= iv.start {
				x.End = iv.end.time()
			}
			e.Interventions = append(e.Interventions, x)
		}
	}
	slices.SortStableFunc(e.Interventions, func(a, b Intervention) int { return a.Start.Compare(b.Start) })
	for _, row := range p.rows {
		if row.end < keepFrom {
			continue
		}
		d := &departments[row.dept]
		emp := Employment{Start: row.start.time(), Department: d.name, Team: d.teams[row.team],
			Location: locations[row.loc], ContractHours: row.hours, FulltimeHours: d.fulltime}
		if row.end < g.extract {
			emp.End = row.end.time()
		}
		e.Employments = append(e.Employments, emp)
	}
	return e
}
