package analytics

import (
	"testing"
)

// The conventions fixture (datasets/fixtures/analytics/conventions_*.csv)
// puts each convention of the issue in its own department, so the
// department breakdown, computed without suppression, gives each one's
// figures. Extract date 2025-01-31; P = 2024 unless a test says otherwise.
// 2024 is a leap year: N = 366, and 29 February is a day like any other.

const conventionsExtract = "2025-01-31"

type deptWant struct {
	dept                     string
	employees                int64
	avgHeadcount, fte        float64
	zvp, zmf                 float64
	gzvd                     *float64 // nil: no closed case
	zero                     float64
	newCases, closed, open   int64
	sickDays                 float64
	zvpInclPreg, zvpExclPart *float64 // nil: equal to zvp
}

func pf(v float64) *float64 { return &v }

func TestConventionsPerDepartment2024(t *testing.T) {
	s := openStore(t, conventionsExtract, "conventions_employments.csv", "conventions_absence.csv")
	got := rawGroups(t, s, Filter{From: date("2024-01-01"), To: date("2024-12-31")}, Options{}, ByDepartment)
	tests := []deptWant{
		// F01 40/40 all year; sick 4–13 March: the recovery date 14 March is
		// exclusive, so 10 days. ZMF = 1 / (366/366) × 365/366: the issue
		// annualises with 365 days, also in a leap year.
		{dept: "fulltime", employees: 1, avgHeadcount: 1, fte: 1,
			zvp: 100 * 10.0 / 366, zmf: 1 * 365.0 / 366, gzvd: pf(10), zero: 0,
			newCases: 1, closed: 1, sickDays: 10},
		// Part-timers: P01 20/40 sick 10 days, P02 30/40 never sick.
		{dept: "parttime", employees: 2, avgHeadcount: 2, fte: (366*0.5 + 366*0.75) / 366,
			zvp: 100 * (10 * 0.5) / (366*0.5 + 366*0.75), zmf: 1 * 365.0 / (2 * 366), gzvd: pf(10), zero: 50,
			newCases: 1, closed: 1, sickDays: 10 * 0.5},
		// Contract change inside P: 40/40 to 30 June (182 days), 24/40 from
		// 1 July (184 days); sick 21 June–10 July = 10 days at 1.0 + 10 at 0.6.
		{dept: "contract_change", employees: 1, avgHeadcount: 1, fte: (182*1.0 + 184*0.6) / 366,
			zvp: 100 * (10*1.0 + 10*0.6) / (182*1.0 + 184*0.6), zmf: 365.0 / 366, gzvd: pf(20), zero: 0,
			newCases: 1, closed: 1, sickDays: 10*1.0 + 10*0.6},
		// Joining and leaving: J01 from 1 Sep (122 days, 40/40, sick 5);
		// J02 to 30 Apr (121 days, 32/40, sick 5). Headcount days 122 + 121.
		{dept: "join_leave", employees: 2, avgHeadcount: (122 + 121) / 366.0, fte: (122*1.0 + 121*0.8) / 366,
			zvp: 100 * (5*1.0 + 5*0.8) / (122*1.0 + 121*0.8), zmf: 2 * 365.0 / (122 + 121), gzvd: pf(5), zero: 0,
			newCases: 2, closed: 2, sickDays: 5*1.0 + 5*0.8},
		// Cases crossing the start: S01 sick 20 Dec 2023–9 Jan 2024 (9 days
		// in P, 21 in all); S02 sick all December 2023, back on 1 January:
		// closed in P with no sick day in P, so S02 is zero-absence.
		// GZVD counts the days before P: (21 + 31) / 2. No new case.
		{dept: "cross_start", employees: 2, avgHeadcount: 2, fte: 2,
			zvp: 100 * 9.0 / (2 * 366), zmf: 0, gzvd: pf((21 + 31) / 2.0), zero: 50,
			newCases: 0, closed: 2, sickDays: 9},
		// Cases crossing the end: E01 sick 20 Dec 2024–5 Jan 2025 (12 days in
		// P); E02 sick 29–31 Dec, back on 1 Jan 2025: recovery date outside P,
		// so not closed in P, but open at the end of 31 December.
		{dept: "cross_end", employees: 2, avgHeadcount: 2, fte: 2,
			zvp: 100 * (12 + 3.0) / (2 * 366), zmf: 2 * 365.0 / (2 * 366), gzvd: nil, zero: 0,
			newCases: 2, open: 2, sickDays: 15},
		// Open case with partial recovery: O01 (36/36) 100% in October (31
		// days), 50% from 1 November, open at the extract date (61 days in
		// P). O02 100% 1–14 Feb, 25% 15–29 Feb (leap day included), back on
		// 1 March: duration 29 days.
		{dept: "open_partial", employees: 2, avgHeadcount: 2, fte: 2,
			zvp: 100 * (31*1 + 61*0.5 + 14*1 + 15*0.25) / (366 + 366), zmf: 2 * 365.0 / (2 * 366), gzvd: pf(29), zero: 0,
			newCases: 2, closed: 1, open: 1, sickDays: 31*1 + 61*0.5 + 14*1 + 15*0.25,
			zvpExclPart: pf(100 * (92 + 29.0) / (366 + 366))},
		// Pregnancy: W01 (28/40) sick because of pregnancy 10 days (counts),
		// pregnancy leave 1 Feb–22 May (112 days: never sickness), sick 9
		// days right after the leave (a new case). W02's absence of type
		// "other" is not sickness: W02 is zero-absence.
		{dept: "pregnancy", employees: 2, avgHeadcount: 2, fte: (366*0.7 + 366*1.0) / 366,
			zvp: 100 * (10 + 9) * 0.7 / (366*0.7 + 366*1.0), zmf: 2 * 365.0 / (2 * 366), gzvd: pf((10 + 9) / 2.0), zero: 50,
			newCases: 2, closed: 2, sickDays: (10 + 9) * 0.7,
			zvpInclPreg: pf(100 * (10 + 112 + 9) * 0.7 / (366*0.7 + 366*1.0))},
		// Sick days outside employment: X01 leaves on 30 June, sick 24 June–
		// 14 July; only 24–30 June (7 days) count, in a denominator of 182.
		// The case is still closed in P with its full 21 days.
		{dept: "outside_employment", employees: 1, avgHeadcount: 182 / 366.0, fte: 182 / 366.0,
			zvp: 100 * 7.0 / 182, zmf: 1 * 365.0 / 182, gzvd: pf(21), zero: 0,
			newCases: 1, closed: 1, sickDays: 7},
		// Durations: six full-timers, case lengths at every class boundary
		// (see TestDurationClasses). Sick days in P: 7+8+14+15+42+43 (K01),
		// 91+92 (K02), 366 (K03), 366 (K04, open), 365 (K05), 365 (K06).
		// Closed in P: 7,8,14,15,42,43,91,92,365,366.
		{dept: "durations", employees: 6, avgHeadcount: 6, fte: 6,
			zvp: 100 * 1774.0 / (6 * 366), zmf: 9 * 365.0 / (6 * 366), gzvd: pf(1043 / 10.0), zero: 0,
			newCases: 9, closed: 10, open: 2, sickDays: 1774},
		// Frequent: 12 short cases in 2024 (Q03's first and Q02's first
		// started in 2023); sick days 10 + 4 + 5 + 6. Closed in P: 13 cases of
		// 3,2,3,2 | 2,2 | 4 (Q03 from 30 Dec 2023),1,1,1 | 2,2,2 days = 27.
		{dept: "frequent", employees: 4, avgHeadcount: 4, fte: 4,
			zvp: 100 * 25.0 / (4 * 366), zmf: 12 * 365.0 / (4 * 366), gzvd: pf(27 / 13.0), zero: 0,
			newCases: 12, closed: 13, sickDays: 25},
		// Tenure: T01 all year, T02 rehired 1 March (306 days), T03 30/40 all
		// year; T01 sick 25 June–4 July.
		{dept: "tenure", employees: 3, avgHeadcount: (366 + 306 + 366) / 366.0, fte: (366 + 306 + 366*0.75) / 366,
			zvp: 100 * 10.0 / (366 + 306 + 366*0.75), zmf: 1 * 365.0 / (366 + 306 + 366), gzvd: pf(10), zero: 200 / 3.0,
			newCases: 1, closed: 1, sickDays: 10},
	}
	for _, w := range tests {
		t.Run(w.dept, func(t *testing.T) {
			g, ok := got[w.dept]
			if !ok {
				t.Fatalf("no group %q", w.dept)
			}
			checkI(t, "employees", g.Employees, w.employees)
			checkF(t, "avg_headcount", g.AvgHeadcount, w.avgHeadcount)
			checkF(t, "fte", g.FTE, w.fte)
			checkF(t, "zvp_pct", g.ZVP, w.zvp)
			checkF(t, "zmf", g.ZMF, w.zmf)
			if w.gzvd == nil {
				checkNil(t, "gzvd_days", g.GZVD)
			} else {
				checkF(t, "gzvd_days", g.GZVD, *w.gzvd)
			}
			checkF(t, "zero_absence_pct", g.ZeroAbsence, w.zero)
			checkI(t, "new_cases", g.NewCases, w.newCases)
			checkI(t, "closed_cases", g.ClosedCases, w.closed)
			checkI(t, "open_cases", g.OpenCases, w.open)
			checkF(t, "sick_days", g.SickDays, w.sickDays)
			preg, part := w.zvp, w.zvp
			if w.zvpInclPreg != nil {
				preg = *w.zvpInclPreg
			}
			if w.zvpExclPart != nil {
				part = *w.zvpExclPart
			}
			checkF(t, "zvp_incl_pregnancy_pct", g.ZVPInclPregnancy, preg)
			checkF(t, "zvp_excl_partial_pct", g.ZVPExclPartial, part)
		})
	}
}

// TestPeriodShorterThanAYear pins the annualisation: Q1 2024 has 91 days, and
// ZMF = cases / average headcount × 365 / 91.
func TestPeriodShorterThanAYear(t *testing.T) {
	s := openStore(t, conventionsExtract, "conventions_employments.csv", "conventions_absence.csv")
	got := rawGroups(t, s, Filter{From: date("2024-01-01"), To: date("2024-03-31")}, Options{}, ByDepartment)
	fr := got["frequent"]
	// New in Q1: Q01 5 and 8 Feb, Q02 4 Mar, Q04 1, 3 and 5 Mar = 6; four
	// employees all quarter: average headcount 4 × 91 / 91.
	checkF(t, "frequent avg_headcount", fr.AvgHeadcount, 4*91/91.0)
	checkF(t, "frequent zmf", fr.ZMF, 6/(4*91/91.0)*365/91)
	// Sick days: Q01 3+2, Q02 2, Q03 2 (1–2 Jan), Q04 6.
	checkF(t, "frequent zvp", fr.ZVP, 100*15.0/(4*91))
	ft := got["fulltime"]
	checkF(t, "fulltime zmf", ft.ZMF, 1/(91/91.0)*365/91)
	checkF(t, "fulltime zvp", ft.ZVP, 100*10.0/91)
}

// TestExclusiveRecoveryDate: F01 is sick 4–13 March and back on 14 March.
func TestExclusiveRecoveryDate(t *testing.T) {
	s := openStore(t, conventionsExtract, "conventions_employments.csv", "conventions_absence.csv")
	one := func(d string) Group {
		return rawGroups(t, s, Filter{From: date(d), To: date(d), Units: []Unit{{Department: "fulltime"}}}, Options{})[TotalKey]
	}
	last := one("2024-03-13")
	checkF(t, "13 March zvp", last.ZVP, 100)
	checkI(t, "13 March closed", last.ClosedCases, 0)
	checkI(t, "13 March open at end", last.OpenCases, 1)
	back := one("2024-03-14")
	checkF(t, "14 March zvp", back.ZVP, 0)
	checkF(t, "14 March zero absence", back.ZeroAbsence, 100)
	checkI(t, "14 March closed", back.ClosedCases, 1) // the recovery date lies in P
	checkI(t, "14 March open", back.OpenCases, 0)
	first := one("2024-03-04")
	checkI(t, "4 March new", first.NewCases, 1)
	checkF(t, "4 March zmf", first.ZMF, 1/(1/1.0)*365/1)
}

// TestExtractDate: open cases run through the extract date, inclusive, and a
// period is cut back to it.
func TestExtractDate(t *testing.T) {
	s := openStore(t, conventionsExtract, "conventions_employments.csv", "conventions_absence.csv")
	ctx := t.Context()
	dur := []Unit{{Department: "durations"}}
	k, err := KPIs(ctx, s.DB, Filter{From: date("2025-01-01"), To: date("2025-12-31"), Units: dur}, Options{MinEmployees: 5})
	if err != nil {
		t.Fatal(err)
	}
	if !k.Period.CutAtExtract || !k.Period.To.Equal(date("2025-01-31")) || k.Period.Days != 31 || !k.ExtractDate.Equal(date("2025-01-31")) {
		t.Errorf("period = %+v, extract %v; want cut at 2025-01-31, 31 days", k.Period, k.ExtractDate)
	}
	got := rawGroups(t, s, Filter{From: date("2025-01-01"), To: date("2025-12-31"), Units: dur}, Options{})[TotalKey]
	// K03 sick 1–19 January (back on the 20th), K04 open: sick through the
	// extract date 31 January inclusive = 31 days. Six employees × 31 days.
	checkF(t, "zvp", got.ZVP, 100*(19+31.0)/(6*31))
	checkI(t, "closed", got.ClosedCases, 1)
	checkF(t, "gzvd (K03: 2 Jan 2023 – 20 Jan 2025)", got.GZVD, 364+366+19)
	checkI(t, "open", got.OpenCases, 1)

	early := rawGroups(t, s, Filter{From: date("2025-01-01"), To: date("2025-12-31"), ExtractDate: date("2025-01-10"), Units: dur}, Options{})[TotalKey]
	// Extract date set to 10 January: P = 1–10 January, both cases open.
	checkF(t, "zvp at extract 10 Jan", early.ZVP, 100*(10+10.0)/(6*10))
	checkI(t, "closed at extract 10 Jan", early.ClosedCases, 0)
	checkI(t, "open at extract 10 Jan", early.OpenCases, 2)

	if _, err := KPIs(ctx, s.DB, Filter{From: date("2025-02-01"), To: date("2025-12-31")}, Options{}); err == nil {
		t.Error("a period starting after the extract date gave no error")
	}
}

// TestDayLevelAttribution: attributes are those of the contract valid on
// each day; the hours band changes with the contract, tenure bands at a
// service anniversary (unbroken service only), age bands on 1 January.
func TestDayLevelAttribution(t *testing.T) {
	s := openStore(t, conventionsExtract, "conventions_employments.csv", "conventions_absence.csv")
	year := Filter{From: date("2024-01-01"), To: date("2024-12-31")}

	cc := year
	cc.Units = []Unit{{Department: "contract_change"}}
	hours := rawGroups(t, s, cc, Options{}, ByHoursBand)
	full, part := hours["35+"], hours["20-<35"]
	checkF(t, "35+ zvp", full.ZVP, 100*10.0/182)
	checkF(t, "20-<35 zvp", part.ZVP, 100*(10*0.6)/(184*0.6))
	checkF(t, "20-<35 fte_days", part.FTEDays, 184*0.6)
	checkI(t, "35+ new (the case starts under the 40-hour contract)", full.NewCases, 1)
	checkI(t, "20-<35 new", part.NewCases, 0)
	checkI(t, "20-<35 employees", part.Employees, 1)

	ten := year
	ten.Units = []Unit{{Department: "tenure"}}
	tb := rawGroups(t, s, ten, Options{}, ByTenureBand)
	// <1: T01 1 Jan–30 Jun (182 days) + T02 after the rehire on 1 March,
	// which restarts service (306 days); T01 is sick 25–30 June there.
	checkI(t, "<1 employed_days", tb["<1"].EmployedDays, 182+306)
	checkF(t, "<1 sick_days", tb["<1"].SickDays, 6)
	checkI(t, "<1 new", tb["<1"].NewCases, 1)
	// 1-<2: T01 from its first anniversary, 1 July (184 days, sick 1–4 July).
	checkI(t, "1-<2 employed_days", tb["1-<2"].EmployedDays, 184)
	checkF(t, "1-<2 sick_days", tb["1-<2"].SickDays, 4)
	// T03 started 1 May 2014; its contract change on 1 January 2024 does
	// not break service: 5-<10 until 30 April (121 days), 10+ after (245).
	checkF(t, "5-<10 fte_days", tb["5-<10"].FTEDays, 121*0.75)
	checkF(t, "10+ fte_days", tb["10+"].FTEDays, 245*0.75)
	if _, ok := tb["2-<5"]; ok {
		t.Error("a 2-<5 tenure group exists; nobody is in it")
	}

	ft := Filter{From: date("2024-07-01"), To: date("2025-01-31"), Units: []Unit{{Department: "fulltime"}}}
	age := rawGroups(t, s, ft, Options{}, ByAgeBand)
	// F01, born 1980: 44 in 2024, 45 in 2025.
	checkI(t, "35-44 employed_days", age["35-44"].EmployedDays, 184)
	checkI(t, "45-54 employed_days", age["45-54"].EmployedDays, 31)
	checkI(t, "35-44 employees", age["35-44"].Employees, 1)
	checkI(t, "total employees", age[TotalKey].Employees, 1)
}

// TestDurationClasses pins both sets of bounds with cases at every boundary.
// A class holds a case by its length up to its recovery date or the end of P,
// whichever comes first, and the ZVP of the class's sick days in P.
func TestDurationClasses(t *testing.T) {
	s := openStore(t, conventionsExtract, "conventions_employments.csv", "conventions_absence.csv")
	f := Filter{From: date("2024-01-01"), To: date("2024-12-31"), Units: []Unit{{Department: "durations"}}}
	den := 6 * 366.0
	tests := []struct {
		name    string
		classes []DurationClass
		cases   []int64
		days    []float64 // sick days in P per class (all full-time, 100%)
	}{
		// Lengths: 7 | 8, 14, 15, 42 | 43, 91, 92, 365 | K03 730 (to the end
		// of P; it recovers in 2025), K04 762 (open), K06 366.
		{"default", DefaultDurationClasses, []int64{1, 4, 4, 3},
			[]float64{7, 8 + 14 + 15 + 42, 43 + 91 + 92 + 365, 366 + 366 + 365}},
		// Vernet: 7, 8, 14 | 15, 42, 43, 91 | 92, 365 | 366, 730 and 762
		// (longer than 730: counted in the last class).
		{"vernet", VernetDurationClasses, []int64{3, 4, 2, 3},
			[]float64{7 + 8 + 14, 15 + 42 + 43 + 91, 92 + 365, 366 + 366 + 365}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := rawGroups(t, s, f, Options{DurationClasses: tt.classes})[TotalKey]
			if len(g.DurationClasses) != len(tt.classes) {
				t.Fatalf("%d classes, want %d", len(g.DurationClasses), len(tt.classes))
			}
			for i, c := range g.DurationClasses {
				if c.Label != tt.classes[i].Label {
					t.Errorf("class %d label %q, want %q", i, c.Label, tt.classes[i].Label)
				}
				checkI(t, c.Label+" cases", c.Cases, tt.cases[i])
				checkF(t, c.Label+" zvp", c.ZVP, 100*tt.days[i]/den)
			}
		})
	}
	// Cases crossing the start and end fall in a class by their length up to
	// the end of P: S01 21 days, E01 12 (8-42), E02 3 (1-7); S02 has no sick
	// day in P and is in no class.
	cs := rawGroups(t, s, Filter{From: date("2024-01-01"), To: date("2024-12-31"), Units: []Unit{{Department: "cross_start"}, {Department: "cross_end"}}}, Options{})[TotalKey]
	want := []int64{1, 2, 0, 0}
	for i, c := range cs.DurationClasses {
		checkI(t, "crossing "+c.Label, c.Cases, want[i])
	}
}

func TestGZVDMedianAndFigureSuppression(t *testing.T) {
	s := openStore(t, conventionsExtract, "conventions_employments.csv", "conventions_absence.csv")
	f := Filter{From: date("2024-01-01"), To: date("2024-12-31"), Units: []Unit{{Department: "durations"}}}
	g := rawGroups(t, s, f, Options{})[TotalKey]
	// Closed durations sorted: 7 8 14 15 42 | 43 91 92 365 366.
	checkF(t, "median", g.GZVDMedian, (42+43)/2.0)
	// The public group() hides a mean over fewer than MinCases closed cases.
	opt, _ := Options{}.withDefaults()
	r := rawRow{employees: 20, employedDays: 20 * 366, x: 20 * 366, closed: 4, durSum: 40, cases: 10,
		classY: make([]float64, 4), classN: make([]int64, 4)}
	checkNil(t, "gzvd over 4 closed cases", r.group("g", "", 366, opt, false).GZVD)
	r.closed, r.durSum = 5, 50
	checkF(t, "gzvd over 5 closed cases", r.group("g", "", 366, opt, false).GZVD, 10)
}
