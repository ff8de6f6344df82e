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
	"math"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"time"
)

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
	payer      string
}

func newPerson(g *generator) *person {
	src, msrc := rand.NewPCG(0, 0), rand.NewPCG(0, 0)
	return &person{g: g, src: src, r: rand.New(src), msrc: msrc, mr: rand.New(msrc)}
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

func (p *person) ageAt(d day) float64 { return float64(d-p.birth) / 365.25 }
