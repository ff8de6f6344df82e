package analytics

import (
	"context"
	"database/sql"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/verzuim/absence/datasets"
)

// The independent check: a generated organisation is imported through the
// real importer, its stored rows are read back, and every figure is
// recomputed with a plain day-by-day loop in Go, then compared with the SQL
// to 1e-9.

const refExtract = "2026-06-30" // datasets.Config's default extract date

func generatedStore(t testing.TB, employees int) *testStore {
	t.Helper()
	dir := t.TempDir()
	if _, err := datasets.WriteFiles(dir, datasets.Config{Employees: employees, Seed: 7}, datasets.FormatNative); err != nil {
		t.Fatal(err)
	}
	return openStore(t, refExtract, filepath.Join(dir, "employments.csv"), filepath.Join(dir, "absence_periods.csv"))
}

type refContract struct {
	s, e int // e exclusive; math.MaxInt32 when open
	ptf  float64
	dept string
}

type refSegment struct {
	from, to int // to exclusive; open: math.MaxInt32
	pct      float64
}

type refCase struct {
	fsd, rec int // rec: math.MaxInt32 when open
	typ      string
	segs     []refSegment
}

type refData struct {
	contracts map[string][]refContract
	cases     map[string][]refCase
}

const never = math.MaxInt32

func dayNum(t time.Time) int { return int(t.Unix() / 86400) }

func loadRef(t testing.TB, db Querier) refData {
	t.Helper()
	ctx := context.Background()
	d := refData{contracts: map[string][]refContract{}, cases: map[string][]refCase{}}
	rows, err := db.QueryContext(ctx, `SELECT pseudonym, start_date, end_date, contract_hours, fulltime_hours, department FROM employments JOIN employees USING (employee_key)`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var emp, dept string
		var s time.Time
		var e sql.NullTime
		var ch, fh float64
		if err := rows.Scan(&emp, &s, &e, &ch, &fh, &dept); err != nil {
			t.Fatal(err)
		}
		c := refContract{s: dayNum(s), e: never, ptf: ch / fh, dept: dept}
		if e.Valid {
			c.e = dayNum(e.Time) + 1
		}
		d.contracts[emp] = append(d.contracts[emp], c)
	}
	rows.Close()
	rows, err = db.QueryContext(ctx, `SELECT k.pseudonym, c.first_sick_day, c.recovery_date, c.absence_type, g.valid_from, g.valid_to, g.absence_pct
		FROM absence_cases c JOIN case_segments g USING (employee_key, first_sick_day) JOIN employees k USING (employee_key) ORDER BY 1, 2, 5`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var emp, typ string
		var fsd, from time.Time
		var rec, to sql.NullTime
		var pct float64
		if err := rows.Scan(&emp, &fsd, &rec, &typ, &from, &to, &pct); err != nil {
			t.Fatal(err)
		}
		cs := d.cases[emp]
		if len(cs) == 0 || cs[len(cs)-1].fsd != dayNum(fsd) {
			c := refCase{fsd: dayNum(fsd), rec: never, typ: typ}
			if rec.Valid {
				c.rec = dayNum(rec.Time)
			}
			cs = append(cs, c)
		}
		sg := refSegment{from: dayNum(from), to: never, pct: pct}
		if to.Valid {
			sg.to = dayNum(to.Time)
		}
		cs[len(cs)-1].segs = append(cs[len(cs)-1].segs, sg)
		d.cases[emp] = cs
	}
	rows.Close()
	return d
}

// refFigures are the loop's sums for one group.
type refFigures struct {
	employees, hd, newCases, closed, open, zero, frequent, running int64
	x, y, yPreg, dur                                               float64
	classY                                                         []float64
	classN                                                         []int64
	perEmp                                                         map[string][2]float64 // x, y
}

func sick(typ string) bool {
	return typ == "sickness" || typ == "sickness_pregnancy" || typ == "organ_donation"
}

// compute loops over every day of [ps, pe] for every employee.
func (d refData) compute(ps, pe, ex int, classes []DurationClass) map[string]*refFigures {
	out := map[string]*refFigures{}
	get := func(k string) *refFigures {
		if out[k] == nil {
			out[k] = &refFigures{classY: make([]float64, len(classes)), classN: make([]int64, len(classes)), perEmp: map[string][2]float64{}}
		}
		return out[k]
	}
	classOf := func(l int) int {
		for i, c := range classes {
			if c.Max == 0 || l <= c.Max || i == len(classes)-1 {
				return i
			}
		}
		return -1
	}
	windowFrom := dayNum(addMonths(time.Unix(int64(pe)*86400, 0).UTC(), -12)) // exclusive
	for emp, contracts := range d.contracts {
		employedIn := map[string]bool{}
		sickIn := map[string]bool{}
		caseIn := map[string]map[int]bool{}
		for day := ps; day <= pe; day++ {
			var c *refContract
			for i := range contracts {
				if contracts[i].s <= day && day < contracts[i].e {
					c = &contracts[i]
				}
			}
			if c == nil {
				continue
			}
			for _, k := range []string{TotalKey, c.dept} {
				g := get(k)
				g.hd++
				g.x += c.ptf
				xy := g.perEmp[emp]
				xy[0] += c.ptf
				g.perEmp[emp] = xy
				employedIn[k] = true
			}
			for _, cs := range d.cases[emp] {
				end := min(cs.rec, ex+1)
				if day < cs.fsd || day >= end {
					continue
				}
				for _, sg := range cs.segs {
					if day < sg.from || day >= sg.to {
						continue
					}
					w := c.ptf * sg.pct / 100
					for _, k := range []string{TotalKey, c.dept} {
						g := get(k)
						if sick(cs.typ) || cs.typ == "pregnancy_leave" {
							g.yPreg += w
						}
						if !sick(cs.typ) {
							continue
						}
						g.y += w
						xy := g.perEmp[emp]
						xy[1] += w
						g.perEmp[emp] = xy
						ci := classOf(min(cs.rec, pe+1) - cs.fsd)
						g.classY[ci] += w
						sickIn[k] = true
						if caseIn[k] == nil {
							caseIn[k] = map[int]bool{}
						}
						caseIn[k][cs.fsd] = true
					}
				}
			}
		}
		n := 0
		for _, cs := range d.cases[emp] {
			// Pregnancy-related sickness and organ donation never make a
			// frequent absentee.
			if cs.typ == "sickness" && cs.fsd > windowFrom && cs.fsd <= pe {
				n++
			}
		}
		for k := range employedIn {
			g := get(k)
			g.employees++
			if !sickIn[k] {
				g.zero++
			}
			if n >= 3 {
				g.frequent++
			}
			g.running += int64(len(caseIn[k]))
			for _, cs := range d.cases[emp] {
				if !caseIn[k][cs.fsd] || !sick(cs.typ) {
					continue
				}
				g.classN[classOf(min(cs.rec, pe+1)-cs.fsd)]++
			}
		}
		// Case-level figures go to the contract of the first sick day.
		for _, cs := range d.cases[emp] {
			if !sick(cs.typ) {
				continue
			}
			dept := ""
			for _, c := range contracts {
				if c.s <= cs.fsd && cs.fsd < c.e {
					dept = c.dept
				}
			}
			for _, k := range []string{TotalKey, dept} {
				g := get(k)
				if cs.fsd >= ps && cs.fsd <= pe {
					g.newCases++
				}
				if cs.rec >= ps && cs.rec <= pe {
					g.closed++
					g.dur += float64(cs.rec - cs.fsd)
				}
				if cs.fsd <= pe && cs.rec > pe {
					g.open++
				}
			}
		}
	}
	return out
}

func TestIndependentRecomputation(t *testing.T) {
	s := generatedStore(t, 300)
	ref := loadRef(t, s.DB)
	if len(ref.contracts) < 250 {
		t.Fatalf("only %d employees imported", len(ref.contracts))
	}
	ex := dayNum(date(refExtract))
	periods := []struct{ from, to string }{
		{"2025-01-01", "2025-12-31"},
		{"2024-03-15", "2024-11-20"},
		{"2026-01-01", "2026-06-30"}, // up to the extract date: open cases
		{"2024-02-29", "2024-02-29"},
	}
	for _, p := range periods {
		for _, classes := range [][]DurationClass{DefaultDurationClasses, VernetDurationClasses} {
			t.Run(p.from+"_"+p.to+"_"+classes[0].Label, func(t *testing.T) {
				ps, pe := dayNum(date(p.from)), dayNum(date(p.to))
				want := ref.compute(ps, pe, ex, classes)
				f := Filter{From: date(p.from), To: date(p.to)}
				got := rawGroups(t, s, f, Options{DurationClasses: classes}, ByDepartment)
				if len(got) != len(want) {
					t.Errorf("%d groups, want %d", len(got), len(want))
				}
				days := float64(pe - ps + 1)
				for k, w := range want {
					g := got[k]
					checkI(t, k+" employees", g.Employees, w.employees)
					checkF(t, k+" fte_days", g.FTEDays, w.x)
					checkF(t, k+" avg_headcount", g.AvgHeadcount, float64(w.hd)/days)
					checkF(t, k+" sick_days", g.SickDays, w.y)
					checkF(t, k+" zvp", g.ZVP, 100*w.y/w.x)
					checkF(t, k+" zvp incl pregnancy", g.ZVPInclPregnancy, 100*w.yPreg/w.x)
					checkF(t, k+" sick days per fte", g.SickDaysPerFTE, w.y/(w.x/days)*365/days)
					checkF(t, k+" zmf", g.ZMF, float64(w.newCases)/(float64(w.hd)/days)*365/days)
					checkI(t, k+" new", g.NewCases, w.newCases)
					checkI(t, k+" closed", g.ClosedCases, w.closed)
					checkI(t, k+" open", g.OpenCases, w.open)
					if w.closed > 0 {
						checkF(t, k+" gzvd", g.GZVD, w.dur/float64(w.closed))
					} else {
						checkNil(t, k+" gzvd", g.GZVD)
					}
					checkF(t, k+" zero absence", g.ZeroAbsence, 100*float64(w.zero)/float64(w.employees))
					checkI(t, k+" frequent", g.FrequentAbsentees, w.frequent)
					for i, c := range g.DurationClasses {
						checkF(t, k+" class "+c.Label+" zvp", c.ZVP, 100*w.classY[i]/w.x)
						checkI(t, k+" class "+c.Label+" cases", c.Cases, w.classN[i])
					}
					// ZVP interval, two-pass: Σ(y − R·x)² over employees.
					r := w.y / w.x
					var ss float64
					for _, xy := range w.perEmp {
						ss += (xy[1] - r*xy[0]) * (xy[1] - r*xy[0])
					}
					n := float64(len(w.perEmp))
					if n >= 2 {
						se := math.Sqrt(n/(n-1)*ss) / w.x
						l, h := math.Log(r/(1-r)), z975*se/(r*(1-r))
						switch {
						case r == 0:
							checkNil(t, k+" zvp ci without sick days", g.ZVPInterval)
						case g.ZVPInterval == nil:
							t.Errorf("%s: no ZVP interval", k)
						default:
							checkF(t, k+" zvp ci low", &g.ZVPInterval.Low, 100/(1+math.Exp(-(l-h))))
							checkF(t, k+" zvp ci high", &g.ZVPInterval.High, 100/(1+math.Exp(-(l+h))))
						}
					}
				}
				// Through the public API: the total is shown exactly when it is
				// big enough, and then with the same figures; every visible
				// department is big enough; suppression hides 0 or at least 2
				// departments, together big enough.
				b, err := Breakdown(t.Context(), s.DB, f, ByDepartment, Options{DurationClasses: classes})
				if err != nil {
					t.Fatal(err)
				}
				tot := want[TotalKey]
				if small := tot.employees < 10 || tot.running < 5; b.Total.Suppressed != small {
					t.Errorf("total suppressed %v with %d employees and %d cases", b.Total.Suppressed, tot.employees, tot.running)
				}
				if !b.Total.Suppressed {
					checkF(t, "public zvp", b.Total.ZVP, 100*tot.y/tot.x)
				}
				var hidden int
				var hiddenEmp, hiddenCases int64
				for _, g := range b.Groups {
					w := want[g.Key]
					if g.Suppressed {
						hidden++
						hiddenEmp += w.employees
						hiddenCases += w.running
						continue
					}
					if w.employees < 10 || w.running < 5 {
						t.Errorf("%s visible with %d employees and %d cases", g.Key, w.employees, w.running)
					}
					checkF(t, g.Key+" public zvp", g.ZVP, 100*w.y/w.x)
				}
				t.Logf("%d of %d departments hidden; total %d employees, %d cases", hidden, len(b.Groups), tot.employees, tot.running)
				if !b.Total.Suppressed && hidden > 0 && (hidden < 2 || hiddenEmp < 10 || hiddenCases < 5) {
					t.Errorf("%d departments hidden with %d employees and %d cases together", hidden, hiddenEmp, hiddenCases)
				}
			})
		}
	}
}
