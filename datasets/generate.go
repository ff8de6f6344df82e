// Package datasets generates realistic synthetic absence data and holds shared test fixtures.
//
// Generate simulates a Dutch organisation person by person: contract periods
// with hires, leavers, rehires and contract changes; sickness cases from an
// overdispersed, seasonal onset process with a calibrated duration mix,
// partial recovery, relapses and the Poortwachter horizon of 104 weeks;
// pregnancy leave; and occupational-health interventions. The figures it is
// tuned to are those of DOMAIN.md §5 (ZVP ≈ 5%, about one sick report per
// employee per year, about half the employees without absence).
//
// Every employee draws from its own random stream derived from Config.Seed and
// its index, so output is byte-identical for the same Config and employees can
// be generated in parallel while being delivered in ID order.
//
// The writers (see WriteFiles and the New*Writer functions) render the same
// organisation in the native, AFAS and Visma layouts that ingest/profiles
// describes.
package datasets

import (
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Config describes the organisation to generate. Zero fields take defaults.
type Config struct {
	Employees   int       // number of persons generated over the whole history (default 1000)
	Seed        uint64    // same seed => byte-identical output
	ExtractDate time.Time // data runs up to this date; cases open on it are open (no recovery date). Default 2026-06-30.
	Years       int       // years of history before ExtractDate (default 3)
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
}

// Calibration knobs. The tests in calibration_test.go pin the resulting
// figures; change these only together with a run of those tests.
const (
	onsetPerYear     = 1.06  // sick reports per person-year at frailty 1, risk 1, season 1
	frailtyShape     = 1.0   // gamma shape of the per-person frailty; lower = more overdispersion
	seasonAmplitude  = 0.22  // onset rate swings ±22% around mid-January / mid-July
	leaveRate        = 0.10  // leavers per person-year (exponential tenure)
	rehireShare      = 0.07  // leavers who come back later
	changePerYear    = 0.12  // contract changes (hours or team/department) per person-year
	warmupDays       = 730   // simulated before the window, so long cases run into it
	earlyShare       = 0.55  // cases passing week 4 that get an intervention before week 6
	earlyEffect      = 0.75  // early intervention shortens the time after week 4 to this factor
	relapseNoTalk    = 0.10  // relapse within 28 days after a long case without return_talk
	relapseAfterTalk = 0.035 // and with one
	pregnancyLeave   = 112   // WAZO: 16 weeks
	wiaDays          = 728   // 104 weeks of wage continuation
)

// day counts days since 1970-01-01; the simulation works on these, not time.Time.
type day int32

const farFuture day = math.MaxInt32 / 2

func toDay(t time.Time) day {
	y, m, d := t.Date()
	return day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func (d day) time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

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
	return c, nil
}

type generator struct {
	cfg       Config
	extract   day
	histStart day // first day of the window; cases closed before it are not reported
	simStart  day
	idBase    int
	pInitial  float64   // share of persons already employed at histStart
	season    []float64 // onset multiplier per day from simStart
	seasonMax float64
	deptCum   []float64
}

func newGenerator(cfg Config) (*generator, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	g := &generator{cfg: cfg, extract: toDay(cfg.ExtractDate)}
	g.histStart = toDay(cfg.ExtractDate.AddDate(-cfg.Years, 0, 1))
	g.simStart = g.histStart - warmupDays
	// With hires at a constant rate and leavers at leaveRate, the headcount is
	// steady when the initial staff is 1/(1+rate·years) of everyone seen.
	g.pInitial = 1 / (1 + leaveRate*float64(g.extract-g.histStart)/365.25)
	// IDs all have the same number of digits, so text order is ID order.
	g.idBase = 100000
	for g.idBase < 10*cfg.Employees {
		g.idBase *= 10
	}
	g.season = make([]float64, g.extract-g.simStart+2)
	for i := range g.season {
		t := (g.simStart + day(i)).time()
		g.season[i] = 1 + seasonAmplitude*math.Cos(2*math.Pi*float64(t.YearDay()-15)/365.25)
	}
	g.seasonMax = 1 + seasonAmplitude
	sum := 0.0
	for _, d := range departments {
		sum += d.weight
		g.deptCum = append(g.deptCum, sum)
	}
	return g, nil
}

// Generate calls fn once per employee, in ID order. Employees are generated in
// parallel in small batches and handed over one at a time, so memory stays
// bounded however many employees Config asks for. fn may keep the *Employee.
// An error from fn stops generation and is returned.
func Generate(cfg Config, fn func(*Employee) error) error {
	g, err := newGenerator(cfg)
	if err != nil {
		return err
	}
	n := g.cfg.Employees
	const batch = 256
	workers := min(runtime.GOMAXPROCS(0), 8)
	if workers <= 1 || n <= batch {
		p := newPerson(g)
		for i := range n {
			if err := fn(p.generate(i)); err != nil {
				return err
			}
		}
		return nil
	}

	type job struct {
		from, to int
		out      chan []*Employee
	}
	jobs := make(chan job)
	order := make(chan chan []*Employee, 2*workers)
	done := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := newPerson(g)
			for j := range jobs {
				es := make([]*Employee, 0, j.to-j.from)
				for i := j.from; i < j.to; i++ {
					es = append(es, p.generate(i))
				}
				j.out <- es
			}
		}()
	}
	go func() {
		defer close(order)
		defer close(jobs)
		for from := 0; from < n; from += batch {
			j := job{from, min(from+batch, n), make(chan []*Employee, 1)}
			select {
			case order <- j.out: // bounds the batches in flight
			case <-done:
				return
			}
			select {
			case jobs <- j:
			case <-done:
				return
			}
		}
	}()
	var ferr error
	for out := range order {
		if ferr != nil {
			continue // drain so the producer can finish
		}
		for _, e := range <-out {
			if ferr = fn(e); ferr != nil {
				close(done)
				break
			}
		}
	}
	wg.Wait()
	return ferr
}

// person holds the scratch state for generating one employee at a time.
type person struct {
	g   *generator
	src *rand.PCG
	r   *rand.Rand
	// msrc, mr: the separate stream of the milestone records
	msrc *rand.PCG
	mr   *rand.Rand

	birth  day
	female bool
	frail  float64
	rows   []irow
	cases  []icase
}

type irow struct {
	start, end      day // end inclusive; farFuture while employed
	dept, team, loc int
	hours           float64
}

type spell struct{ start, end day }

type icase struct {
	first, rec day // rec exclusive; rec > extract means open
	typ        string
	reason     string
	accident   bool
	segs       []iseg
	ivs        []iiv
}

type iseg struct {
	from day
	pct  float64
}

type iiv struct {
	typ        int
	provider   string
	start, end day // end < start: none
	sessions   int
	outcome    string
	cost       float64
}

func newPerson(g *generator) *person {
	src, msrc := rand.NewPCG(0, 0), rand.NewPCG(0, 0)
	return &person{g: g, src: src, r: rand.New(src), msrc: msrc, mr: rand.New(msrc)}
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func (p *person) generate(i int) *Employee {
	g, r := p.g, p.r
	p.src.Seed(splitmix(g.cfg.Seed), splitmix(g.cfg.Seed^splitmix(uint64(i)+1)))
	p.rows, p.cases = p.rows[:0], p.cases[:0]

	e := &Employee{ID: strconv.Itoa(g.idBase + i + 1)}
	var first []string
	switch u := r.Float64(); {
	case u < 0.54:
		e.Gender, first, p.female = "F", firstNamesF, true
	case u < 0.99:
		e.Gender, first, p.female = "M", firstNamesM, false
	default:
		e.Gender, first, p.female = "X", firstNamesX, false
	}
	e.Name = first[r.IntN(len(first))] + " " + lastNames[r.IntN(len(lastNames))]
	e.BSN = fakeBSN(r)
	p.frail = gammaMean1(r, frailtyShape)

	// Spells of employment. Initial staff were hired before the window, the
	// rest during it; tenure is exponential with mean 1/leaveRate years.
	var hire, from day
	var age float64
	if r.Float64() < g.pInitial {
		age = 21 + 44*r.Float64()*(0.6+0.4*r.Float64())
		tenure := math.Min(r.ExpFloat64()*8, age-18)
		hire = g.histStart - day(tenure*365.25) - 1
		from = g.histStart
		p.birth = g.histStart - day(age*365.25)
	} else {
		hire = g.histStart + day(r.IntN(int(g.extract-g.histStart)+1))
		age = 18 + 42*math.Pow(r.Float64(), 1.5)
		from = hire
		p.birth = hire - day(age*365.25)
	}
	p.birth -= day(r.IntN(365))
	e.BirthDate = p.birth.time()
	retire := toDay(e.BirthDate.AddDate(67, 0, 0)) - 1 // AOW age
	var spells [2]spell
	spells[0] = spell{hire, min(from+day(r.ExpFloat64()/leaveRate*365.25), retire)}
	ns := 1
	if end := spells[0].end; end < g.extract && r.Float64() < rehireShare {
		back := end + 60 + day(r.IntN(480))
		if back <= g.extract && back < retire-365 {
			spells[1] = spell{back, min(back+day(r.ExpFloat64()/leaveRate*365.25), retire)}
			ns = 2
		}
	}

	dept := p.pickDept()
	for s := range ns {
		sp := &spells[s]
		if s == 1 && r.Float64() < 0.5 {
			dept = p.pickDept()
		}
		p.addRows(sp, dept)
		if p.simulate(sp, &departments[dept]) {
			break // left through WIA or spoor 2: no rehire
		}
	}
	p.finish(e)
	p.milestones(e, i)
	return e
}

func (p *person) pickDept() int {
	u := p.r.Float64() * p.g.deptCum[len(p.g.deptCum)-1]
	i, _ := slices.BinarySearch(p.g.deptCum, u)
	return min(i, len(departments)-1)
}

func (p *person) pickHours(d *department) float64 {
	hs, ws := hours40, hours40Men
	switch {
	case d.fulltime == 36 && p.female:
		hs, ws = hours36, hours36Women
	case d.fulltime == 36:
		hs, ws = hours36, hours36Men
	case p.female:
		ws = hours40Women
	}
	return hs[pickWeighted(p.r, ws)]
}

// addRows lays out the contract periods of one spell: a first row, then a new
// row at every change of hours, team or department.
func (p *person) addRows(sp *spell, dept int) {
	g, r := p.g, p.r
	d := &departments[dept]
	row := irow{start: sp.start, end: sp.end, dept: dept, team: r.IntN(len(d.teams)), loc: d.location[0], hours: p.pickHours(d)}
	if len(d.location) > 1 && r.Float64() < 0.4 {
		row.loc = d.location[r.IntN(len(d.location))]
	}
	t := float64(max(sp.start, g.simStart))
	for {
		t += 1 + r.ExpFloat64()/changePerYear*365.25
		c := day(t)
		if c > sp.end || c > g.extract {
			break
		}
		next := row
		next.start = c
		row.end = c - 1
		p.rows = append(p.rows, row)
		switch u := r.Float64(); {
		case u < 0.6:
			for next.hours == row.hours {
				next.hours = p.pickHours(&departments[next.dept])
			}
		case u < 0.8:
			nd := &departments[next.dept]
			next.team = r.IntN(len(nd.teams))
		default:
			next.dept = p.pickDept()
			nd := &departments[next.dept]
			next.team = r.IntN(len(nd.teams))
			if !slices.Contains(nd.location, next.loc) {
				next.loc = nd.location[0]
			}
			next.hours = p.pickHours(nd)
		}
		row = next
	}
	p.rows = append(p.rows, row)
}

func (p *person) ageAt(d day) float64 { return float64(d-p.birth) / 365.25 }

// simulate generates the cases of one spell. It reports whether the person
// left because of the outcome of a long case (no rehire after that).
func (p *person) simulate(sp *spell, dept *department) (forcedLeave bool) {
	g, r := p.g, p.r
	from := max(sp.start, g.simStart)
	to := min(sp.end, g.extract) // last possible onset
	if from > to {
		return false
	}
	firstCase := len(p.cases)
	if p.female {
		p.planPregnancies(sp, from, to)
	}
	blocks := slices.Clone(p.cases[firstCase:]) // pregnancy cases, sorted

	const maxAgeFactor = 1.15
	rateMax := onsetPerYear / 365.25 * p.frail * dept.risk * g.seasonMax * maxAgeFactor
	cursor := float64(from)
	forced := day(-1) // onset of a relapse, when one is due
	for {
		var onset day
		relapse := forced >= 0
		if relapse {
			onset, forced = forced, -1
		} else {
			cursor += r.ExpFloat64() / rateMax
			onset = day(cursor)
			if onset > to {
				break
			}
			accept := g.season[onset-g.simStart] / g.seasonMax * ageFactor(p.ageAt(onset)) / maxAgeFactor
			if r.Float64() >= accept {
				continue
			}
		}
		if onset > to {
			break
		}
		// Keep at least one day at work between cases; skip over pregnancy cases.
		nextBlock := farFuture
		blocked := false
		for _, b := range blocks {
			if onset >= b.first-1 && onset <= b.rec {
				cursor = float64(b.rec + 1)
				blocked = true
				break
			}
			if b.first > onset {
				nextBlock = min(nextBlock, b.first)
			}
		}
		if blocked {
			continue
		}

		c := icase{first: onset, typ: TypeSickness}
		switch u := r.Float64(); {
		case u < 0.025:
			c.typ = TypeOther
		case u < 0.055:
			c.accident = true
		}
		class := drawClass(r, p.ageAt(onset))
		if relapse {
			class = min(class+1, 3) // a relapse tends to be longer
		}
		dur, wia := drawDuration(r, class)
		early := dur > 28 && !wia && r.Float64() < earlyShare
		if early {
			dur = 28 + int(float64(dur-28)*earlyEffect+0.5)
		}
		c.rec = onset + day(dur)
		c.reason = ReasonWIA
		if !wia {
			c.reason = drawReason(r, dur)
		}
		p.segments(&c, dur)
		if c.rec > nextBlock-1 { // a case ends when pregnancy leave is near
			c.rec, c.reason = nextBlock-1, ReasonOther
		}
		if sp.end < g.extract && c.rec > sp.end+1 {
			c.rec, c.reason = sp.end+1, ReasonEmploymentEnded
		}
		if c.rec <= c.first {
			cursor = float64(nextBlock)
			continue
		}
		open := c.rec > g.extract
		p.interventions(&c, dur, early, open)
		c.trimSegments(g.extract)
		p.cases = append(p.cases, c)
		if open {
			break
		}
		// WIA and a spoor 2 placement usually end the employment (not in the
		// warm-up: everyone generated must be employed inside the window).
		if c.rec > g.histStart && (c.reason == ReasonWIA && r.Float64() < 0.7 || c.reason == ReasonSecondTrack) {
			p.endSpell(sp, c.rec-1)
			forcedLeave = true
			break
		}
		cursor = float64(c.rec + 1)
		if dur > 42 && c.reason != ReasonEmploymentEnded && c.reason != ReasonOther {
			// After a long case: a guided return, then either a relapse within
			// four weeks (less likely after a return_talk) or the normal process.
			rel := relapseNoTalk
			if c.hasIntervention(ivReturn) {
				rel = relapseAfterTalk
			}
			if r.Float64() < rel {
				forced = c.rec + 1 + day(r.IntN(27))
			} else {
				cursor = float64(c.rec + 28)
			}
		}
	}
	if forcedLeave {
		// Drop pregnancy cases after the leave.
		kept := p.cases[:firstCase]
		for _, c := range p.cases[firstCase:] {
			if c.first <= sp.end {
				kept = append(kept, c)
			}
		}
		p.cases = kept
	}
	return forcedLeave
}

func (c *icase) hasIntervention(t int) bool {
	for _, iv := range c.ivs {
		if iv.typ == t {
			return true
		}
	}
	return false
}

// endSpell makes last the last day employed of the spell and its rows.
func (p *person) endSpell(sp *spell, last day) {
	sp.end = last
	kept := p.rows[:0]
	for _, row := range p.rows {
		if row.start > last {
			continue
		}
		if row.end > last {
			row.end = last
		}
		kept = append(kept, row)
	}
	p.rows = kept
}

// ageFactor: young employees report sick more often (drawClass makes their cases shorter).
func ageFactor(age float64) float64 {
	switch {
	case age < 30:
		return 1.15
	case age < 50:
		return 1.0
	default:
		return 0.92
	}
}

// drawClass picks the duration class: ≤7, 8–42, 43–365, >365 days; older
// employees have more long cases.
func drawClass(r *rand.Rand, age float64) int {
	long, vlong, mid := 0.095, 0.0105, 0.195
	switch {
	case age < 30:
		long, vlong = 0.065, 0.006
	case age >= 50:
		long, vlong = 0.13, 0.016
	}
	u := r.Float64()
	switch {
	case u < vlong:
		return 3
	case u < vlong+long:
		return 2
	case u < vlong+long+mid:
		return 1
	}
	return 0
}

var shortWeights = []float64{0.10, 0.17, 0.20, 0.17, 0.13, 0.10, 0.13}

// drawDuration returns the natural case length in days (recovery − first day)
// and whether the case runs the full 104 weeks to a WIA/IVA decision.
func drawDuration(r *rand.Rand, class int) (int, bool) {
	switch class {
	case 0:
		return 1 + pickWeighted(r, shortWeights), false
	case 1:
		return int(math.Exp(math.Log(8) + r.Float64()*math.Log(43.0/8))), false
	case 2:
		for {
			d := int(math.Exp(math.Log(70) + 0.75*r.NormFloat64()))
			if d >= 43 && d <= 365 {
				return d, false
			}
		}
	}
	if r.Float64() < 0.35 {
		return wiaDays, true
	}
	return 366 + r.IntN(wiaDays-366-20), false
}

// drawReason: the longer the case, the less often it ends in a plain return to own work.
func drawReason(r *rand.Rand, dur int) string {
	u := r.Float64()
	switch {
	case dur <= 7:
		if u < 0.98 {
			return ReasonFullReturn
		}
	case dur <= 42:
		switch {
		case u < 0.90:
			return ReasonFullReturn
		case u < 0.96:
			return ReasonAdaptedOwnWork
		}
	case dur <= 365:
		switch {
		case u < 0.70:
			return ReasonFullReturn
		case u < 0.85:
			return ReasonAdaptedOwnWork
		case u < 0.91:
			return ReasonOtherWork
		}
	default:
		switch {
		case u < 0.35:
			return ReasonFullReturn
		case u < 0.60:
			return ReasonAdaptedOwnWork
		case u < 0.75:
			return ReasonOtherWork
		case u < 0.95 && dur > 420:
			return ReasonSecondTrack
		}
	}
	return ReasonOther
}

// partial recovery schemes (absence % per step) for long cases.
var stepSchemes = [][]float64{
	{100, 50, 25},
	{100, 50},
	{100, 75, 50, 25},
	{100, 62.5, 25},
	{100, 75, 50},
}

// segments lays out the absence percentages over the natural length dur:
// about half of the cases past six weeks step down before full recovery.
func (p *person) segments(c *icase, dur int) {
	r := p.r
	c.segs = c.segs[:0]
	switch {
	case dur > 42 && r.Float64() < 0.5:
		scheme := stepSchemes[r.IntN(len(stepSchemes))]
		full := int(float64(dur) * (0.35 + 0.3*r.Float64()))
		full = max(full, 14)
		rest := dur - full
		steps := len(scheme) - 1
		c.segs = append(c.segs, iseg{c.first, 100})
		at := full
		for k := 1; k <= steps; k++ {
			c.segs = append(c.segs, iseg{c.first + day(at), scheme[k]})
			at += rest / steps
		}
	case dur > 14 && r.Float64() < 0.12:
		c.segs = append(c.segs, iseg{c.first, 100}, iseg{c.first + day(dur*2/3), 50})
	case r.Float64() < 0.03:
		c.segs = append(c.segs, iseg{c.first, 50}) // partly sick from day one
	default:
		c.segs = append(c.segs, iseg{c.first, 100})
	}
}

// trimSegments drops segments that start after the case ended or after the extract date.
func (c *icase) trimSegments(extract day) {
	n := 0
	for _, s := range c.segs {
		if s.from < c.rec && s.from <= extract {
			c.segs[n] = s
			n++
		}
	}
	c.segs = c.segs[:n]
}

// planPregnancies adds pregnancy leave (and sometimes pregnancy-related
// sickness before it) for women aged about 24–41.
func (p *person) planPregnancies(sp *spell, from, to day) {
	r := p.r
	const maxRate = 0.10
	t := float64(from)
	prevEnd := from - 1
	for {
		t += r.ExpFloat64() / maxRate * 365.25
		start := day(t)
		if start > to {
			return
		}
		if r.Float64()*maxRate >= pregnancyRate(p.ageAt(start)) {
			continue
		}
		if r.Float64() < 0.3 {
			rec := start - 2 - day(r.IntN(30))
			first := rec - 5 - day(r.IntN(50))
			if first > prevEnd+1 && first >= from {
				p.cases = append(p.cases, icase{first: first, rec: rec, typ: TypeSicknessPregnancy,
					reason: ReasonFullReturn, segs: []iseg{{first, 100}}})
			}
		}
		length := pregnancyLeave
		if r.Float64() < 0.04 {
			length += 28 // multiple birth: 20 weeks
		}
		c := icase{first: start, rec: start + day(length), typ: TypePregnancyLeave,
			reason: ReasonFullReturn, segs: []iseg{{start, 100}}}
		if sp.end < p.g.extract && c.rec > sp.end+1 {
			c.rec, c.reason = sp.end+1, ReasonEmploymentEnded
		}
		p.cases = append(p.cases, c)
		prevEnd = c.rec
		t = float64(c.rec + 300)
	}
}

func pregnancyRate(age float64) float64 {
	switch {
	case age < 24 || age >= 42:
		return 0
	case age < 27:
		return 0.04
	case age < 35:
		return 0.10
	case age < 39:
		return 0.05
	default:
		return 0.015
	}
}

// interventions adds the occupational-health interventions of a case. dur is
// the planned length; only interventions starting before the case ends (and
// by the extract date) are kept.
func (p *person) interventions(c *icase, dur int, early, open bool) {
	r, g := p.r, p.g
	c.ivs = c.ivs[:0]
	limit := c.rec // starts must fall before this day
	if open {
		limit = g.extract + 1
	}
	elapsed := int(limit - c.first)
	add := func(t, off, sessions, span int, costPer float64) *iiv {
		if off >= elapsed || sessions <= 0 {
			return nil
		}
		prov := providers[t]
		iv := iiv{typ: t, provider: prov[r.IntN(len(prov))], start: c.first + day(off), sessions: sessions, outcome: "completed"}
		iv.end = iv.start + day(span)
		iv.cost = math.Round(float64(sessions)*costPer*100) / 100
		c.ivs = append(c.ivs, iv)
		return &c.ivs[len(c.ivs)-1]
	}
	// Cases without an early intervention get nothing before week 6, so the
	// effect of early intervention is measurable against comparable cases.
	minStart := 42
	if early {
		minStart = 14
		s := 1 + r.IntN(2)
		add(ivTalk, 14+r.IntN(min(28, dur-14)), s, 14*(s-1), 150+125*r.Float64())
	} else if dur > 42 && r.Float64() < 0.6 {
		s := 1 + r.IntN(2)
		add(ivTalk, 42+r.IntN(28), s, 14*(s-1), 150+125*r.Float64())
	}
	if dur > 42 && r.Float64() < 0.3 {
		s := 6 + r.IntN(7)
		iv := add(ivPsych, max(minStart, 21)+r.IntN(60), s, s*(7+r.IntN(8)), 95+40*r.Float64())
		if done := 2 + r.IntN(4); iv != nil && r.Float64() < 0.15 && iv.start+day(done*10) <= g.extract {
			iv.outcome = "stopped"
			iv.sessions = done
			iv.end = iv.start + day(done*10)
			iv.cost = math.Round(float64(done)*(iv.cost/float64(s))*100) / 100
		}
	}
	if dur > 90 && r.Float64() < 0.45 {
		s := 1 + r.IntN(3)
		add(ivLabour, 56+r.IntN(min(125, dur-56)), s, 7+r.IntN(36), (650+800*r.Float64())/float64(s))
	}
	if dur > 42 && r.Float64() < 0.05 {
		s := 2 + r.IntN(4)
		add(ivMediate, max(minStart, 28)+r.IntN(80), s, 7*s, 160+60*r.Float64())
	}
	if dur > 400 && (c.reason == ReasonSecondTrack || r.Float64() < 0.7) {
		s := 8 + r.IntN(17)
		off := 330 + r.IntN(70)
		span := 120 + r.IntN(245)
		if c.reason == ReasonSecondTrack {
			span = min(span, dur-off)
		}
		iv := add(ivSecond, off, s, span, (2500+3000*r.Float64())/float64(s))
		if iv != nil && !open && c.reason != ReasonSecondTrack && iv.end >= c.rec {
			iv.outcome = "stopped"
			iv.end = c.rec - 1
		}
	}
	returned := c.reason == ReasonFullReturn || c.reason == ReasonAdaptedOwnWork || c.reason == ReasonOtherWork
	if !open && dur > 42 && returned && r.Float64() < 0.5 {
		add(ivReturn, max(elapsed-1-r.IntN(14), minStart), 1, 0, 95+60*r.Float64())
	}
	for k := range c.ivs {
		iv := &c.ivs[k]
		if iv.end > g.extract {
			iv.end, iv.outcome = -1, "ongoing"
		}
	}
	slices.SortStableFunc(c.ivs, func(a, b iiv) int { return int(a.start - b.start) })
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
				Sessions: iv.sessions, Outcome: iv.outcome, Cost: iv.cost}
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

// fakeBSN returns 9 digits that fail the elfproef, which every real BSN passes.
func fakeBSN(r *rand.Rand) string {
	for {
		n := 100000000 + r.IntN(900000000)
		var b [9]byte
		strconv.AppendInt(b[:0], int64(n), 10)
		sum := 0
		for k := range 8 {
			sum += (9 - k) * int(b[k]-'0')
		}
		sum -= int(b[8] - '0')
		if sum%11 != 0 {
			return string(b[:])
		}
	}
}

// gammaMean1 draws from a gamma distribution with the given shape and mean 1
// (Marsaglia–Tsang, boosted for shape < 1).
func gammaMean1(r *rand.Rand, shape float64) float64 {
	boost := 1.0
	k := shape
	if k < 1 {
		boost = math.Pow(r.Float64(), 1/k)
		k++
	}
	d := k - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v * boost / shape
		}
	}
}

func pickWeighted(r *rand.Rand, w []float64) int {
	u := r.Float64()
	for i, x := range w {
		if u < x {
			return i
		}
		u -= x
	}
	return len(w) - 1
}
