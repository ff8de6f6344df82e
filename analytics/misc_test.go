package analytics

import (
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestPoissonInterval(t *testing.T) {
	// Closed forms: k = 0 upper = −ln 0.025; k = 1 lower = −ln 0.975 (the
	// Gamma(1) quantiles), both per person-year.
	zero := zmfInterval(0, 365)
	checkF(t, "k=0 low", &zero.Low, 0)
	checkF(t, "k=0 high", &zero.High, -math.Log(0.025))
	one := zmfInterval(1, 2*365) // two person-years
	checkF(t, "k=1 low", &one.Low, -math.Log(0.975)/2)
	// Published exact limits (e.g. Ulm 1990 tables), to their 4 decimals.
	for _, tt := range []struct {
		k      int64
		lo, hi float64
	}{{1, 0.0253, 5.5716}, {5, 1.6235, 11.6683}, {10, 4.7954, 18.3904}} {
		ci := zmfInterval(tt.k, 365)
		if math.Abs(ci.Low-tt.lo) > 5e-5 || math.Abs(ci.High-tt.hi) > 5e-5 {
			t.Errorf("k=%d: [%.5f, %.5f], want [%.4f, %.4f]", tt.k, ci.Low, ci.High, tt.lo, tt.hi)
		}
	}
	// Independently: the limits solve the Poisson tail equations
	// P(X ≥ k | lo) = 0.025 and P(X ≤ k | hi) = 0.025, summed term by term.
	poissonCDF := func(k int64, mu float64) float64 {
		term, sum := math.Exp(-mu), 0.0
		for i := int64(0); i <= k; i++ {
			sum += term
			term *= mu / float64(i+1)
		}
		return sum
	}
	for _, k := range []int64{1, 2, 7, 30, 120} {
		ci := zmfInterval(k, 365)
		if hi := poissonCDF(k, ci.High); math.Abs(hi-0.025) > 1e-9 {
			t.Errorf("k=%d: P(X ≤ k | %v) = %v, want 0.025", k, ci.High, hi)
		}
		if lo := 1 - poissonCDF(k-1, ci.Low); math.Abs(lo-0.025) > 1e-9 {
			t.Errorf("k=%d: P(X ≥ k | %v) = %v, want 0.025", k, ci.Low, lo)
		}
	}
	if zmfInterval(3, 0) != nil {
		t.Error("an interval without exposure")
	}
	// The incomplete gamma function on both of its branches.
	for _, x := range []float64{0.1, 1.5, 2.9, 3.1, 8, 30} {
		p1, p2 := gammaP(1, x), gammaP(2, x)
		w1, w2 := 1-math.Exp(-x), 1-math.Exp(-x)*(1+x)
		if math.Abs(p1-w1) > 1e-13 || math.Abs(p2-w2) > 1e-13 {
			t.Errorf("P(1,%v)=%v want %v; P(2,%v)=%v want %v", x, p1, w1, x, p2, w2)
		}
	}
}

func TestZVPInterval(t *testing.T) {
	// Three employees: x = 100, 200, 300 FTE days, y = 10, 0, 30.
	// R = 40/600; residuals y − R·x = 10−20/3, −40/3, 30−20.
	r := 40.0 / 600
	ss := math.Pow(10-r*100, 2) + math.Pow(0-r*200, 2) + math.Pow(30-r*300, 2)
	se := math.Sqrt(3.0/2*ss) / 600
	got := zvpInterval(40, 600, 10*10+30*30, 100*100+200*200+300*300, 10*100+30*300, 3)
	// On the logit scale: logit(R) ± 1.96·se/(R(1 − R)), back-transformed.
	l, h := math.Log(r/(1-r)), z975*se/(r*(1-r))
	checkF(t, "low", &got.Low, 100/(1+math.Exp(-(l-h))))
	checkF(t, "high", &got.High, 100/(1+math.Exp(-(l+h))))
	if zvpInterval(5, 100, 25, 10000, 500, 1) != nil {
		t.Error("an interval from one employee")
	}
	if zvpInterval(0, 600, 0, 100*100+200*200+300*300, 0, 3) != nil {
		t.Error("an interval without any sick day")
	}
}

func TestOptions(t *testing.T) {
	o, err := Options{MinEmployees: 2, MinCases: 4}.withDefaults()
	if err != nil || o.MinEmployees != 5 || o.MinCases != 5 {
		t.Errorf("thresholds below 5: %+v %v", o, err)
	}
	o, _ = Options{}.withDefaults()
	if o.MinEmployees != 10 || o.MinCases != 5 || o.FrequentThreshold != 3 || o.FrequentWindowMonths != 12 || len(o.DurationClasses) != 4 {
		t.Errorf("defaults: %+v", o)
	}
	bad := [][]DurationClass{
		{{"a", 2, 7}, {"b", 8, 0}},                              // does not start at day 1
		{{"a", 1, 7}, {"b", 9, 0}},                              // gap
		{{"a", 1, 0}, {"b", 8, 20}},                             // open-ended before the last
		{{"a", 1, 7}, {"", 8, 0}},                               // no label
		{{"a", 1, 7}, {"b", 8, 5}},                              // ends before it starts
		{{"a", 1, 7}, {"b", 5, 20}},                             // overlap
		{{"a", 1, 7}, {"b", 8, 42}, {"c", 43, 0}, {"d", 44, 0}}, // follows an open class
	}
	for _, cs := range bad {
		if _, err := (Options{DurationClasses: cs}).withDefaults(); err == nil {
			t.Errorf("classes %v accepted", cs)
		}
	}
	if _, err := (Options{BradfordGapDays: -1}).withDefaults(); err == nil {
		t.Error("negative gap accepted")
	}
}

func TestFilterValidation(t *testing.T) {
	p := Filter{From: date("2024-01-01"), To: date("2024-12-31")}
	bad := []Filter{
		{To: date("2024-12-31")},
		{From: date("2024-02-01"), To: date("2024-01-31")},
		{From: p.From, To: p.To, AgeBands: []string{"30-40"}},
		{From: p.From, To: p.To, HoursBands: []string{"full"}},
		{From: p.From, To: p.To, TenureBands: []string{"1-2"}},
		{From: p.From, To: p.To, Genders: []string{"V"}},
		{From: p.From, To: p.To, Units: []Unit{{Team: "A"}}},
	}
	for _, f := range bad {
		if err := f.validate(); err == nil {
			t.Errorf("%+v accepted", f)
		}
	}
	ok := Filter{From: p.From, To: p.To, AgeBands: []string{"<25", NotRecorded}, Genders: []string{"X", NotRecorded}, HoursBands: []string{"35+"}, TenureBands: []string{"10+"}}
	if err := ok.validate(); err != nil {
		t.Error(err)
	}
	// Values reach SQL only as parameters.
	f := Filter{Units: []Unit{{Department: "O'Brien'); DROP TABLE employments; --"}}}
	bound := params{}
	if got := f.predicate(bound, numFamilies); got != `(dept = $filter_unit_1_department)` || bound["filter_unit_1_department"] != f.Units[0].Department {
		t.Errorf("predicate %s with %v", got, bound)
	}
	if d, err := ParseDimension(" Team "); err != nil || d != ByTeam {
		t.Errorf("ParseDimension: %v %v", d, err)
	}
	if _, err := ParseDimension("cause"); err == nil {
		t.Error("unknown dimension accepted")
	}
}

func TestQuotedValuesReachTheData(t *testing.T) {
	s := openStore(t, conventionsExtract, "conventions_employments.csv", "conventions_absence.csv")
	g := rawGroups(t, s, Filter{From: date("2024-01-01"), To: date("2024-12-31"), Units: []Unit{{Department: "O'Brien"}}}, Options{})[TotalKey]
	checkI(t, "employees of a department that does not exist", g.Employees, 0)
	checkNil(t, "zvp without employees", g.ZVP)
}

func TestAddMonths(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"2024-02-29", "2023-02-28"}, {"2024-12-31", "2023-12-31"}, {"2025-03-31", "2024-03-31"},
	} {
		if got := day(addMonths(date(tt.in), -12)); got != tt.want {
			t.Errorf("%s − 12 months = %s, want %s", tt.in, got, tt.want)
		}
	}
	if got := day(addMonths(date("2024-03-31"), -1)); got != "2024-02-29" {
		t.Errorf("31 March − 1 month = %s", got)
	}
}

// TestEveryFigureIsDefined: each JSON field of Figures has a definition with
// a formula, and the report names of the issue are all there.
func TestEveryFigureIsDefined(t *testing.T) {
	defs := map[string]Definition{}
	for _, d := range Definitions(Options{DurationClasses: VernetDurationClasses}) {
		if d.Formula == "" || d.Name == "" {
			t.Errorf("definition %q lacks a name or formula", d.Key)
		}
		defs[d.Key] = d
	}
	typ := reflect.TypeOf(Figures{})
	for i := range typ.NumField() {
		key, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		base := strings.TrimSuffix(strings.TrimSuffix(key, "_ci95"), "_pct_ci95")
		if key == "zvp_pct_ci95" {
			base = "zvp_pct"
		}
		d, ok := defs[base]
		if !ok {
			t.Errorf("no definition for %q", key)
			continue
		}
		if strings.HasSuffix(key, "ci95") && d.Interval == "" {
			t.Errorf("%q has no interval method", base)
		}
	}
	for _, k := range []string{"zvp_pct", "zmf", "gzvd_days", "zero_absence_pct", "employees", "avg_headcount", "fte",
		"new_cases", "closed_cases", "open_cases", "sick_days", "duration_classes", "frequent_absentees", "bradford", "suppressed"} {
		if _, ok := defs[k]; !ok {
			t.Errorf("no definition for %q", k)
		}
	}
	if !strings.Contains(defs["duration_classes"].Formula, "1-14, 15-91, 92-365, 366-730") {
		t.Errorf("duration classes definition does not show the configured bounds: %s", defs["duration_classes"].Formula)
	}
	if d, ok := DefinitionOf("zmf"); !ok || !strings.Contains(d.Formula, "365") {
		t.Errorf("zmf definition: %+v", d)
	}
}

func TestKPIReportJSON(t *testing.T) {
	db := suppressionStore(t)
	k, err := KPIs(t.Context(), db, year2024, Options{Cost: CostRates{WagePerFTEDay: 250}})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(k.Report())
	if err != nil {
		t.Fatal(err)
	}
	var rep map[string]any
	json.Unmarshal(raw, &rep)
	if rep["from"] != "2024-01-01" || rep["to"] != "2024-12-31" || rep["extract_date"] != "2025-01-31" || rep["groups"] != nil || rep["by"] != nil {
		t.Errorf("report header: %s", raw)
	}
	total := rep["total"].(map[string]any)
	// 23 cases of 3 days, all full-time.
	if total["sick_days"] != 69.0 || total["cost"] != 69.0*250 || total["employees"] != 51.0 || total["suppressed"] != false {
		t.Errorf("total: %v", total)
	}
	// Sick days per FTE per year: sick days ÷ average FTE × 365 ÷ 366 days.
	fte, perFTE := total["fte"].(float64), total["sick_days_per_fte"].(float64)
	if want := 69 / fte * 365 / 366; math.Abs(perFTE-want) > 1e-12*want {
		t.Errorf("sick_days_per_fte %v, want %v", perFTE, want)
	}
}

func TestBenchmarks(t *testing.T) {
	for y := 2014; y <= 2023; y++ {
		b, ok := NationalZVP(y)
		if y == 2021 {
			if ok {
				t.Errorf("2021 has no sourced figure but one is embedded: %+v", b)
			}
			continue
		}
		if !ok || b.ZVP < 3 || b.ZVP > 7 || b.Source == "" || b.Period != strconv.Itoa(y) {
			t.Errorf("national %d: %+v %v", y, b, ok)
		}
	}
	if b, _ := NationalZVP(2022); b.ZVP != 5.6 {
		t.Errorf("2022 = %v, want 5.6 (DOMAIN.md §5)", b.ZVP)
	}
	// Like with like: a year gets an annual figure, a quarter one of the same
	// quarter, nearest in time; other periods none.
	for _, c := range []struct {
		key, from, to, want string
	}{
		{"zorg", "2025-01-01", "2025-12-31", "2020"},     // the Q1 figures of 2024 and 2025 are not annual
		{"zorg", "2025-01-01", "2025-03-31", "2025-Q1"},  // the flu quarter with the flu quarter
		{"zorg", "2025-07-01", "2025-09-30", ""},         // no Q3 figure for zorg
		{"national", "2021-01-01", "2021-12-31", "2022"}, // equally near 2020 and 2022: the later
		{"national", "2020-07-01", "2021-06-30", "2022"}, // twelve months ending in 2021: annual
		{"national", "2024-01-01", "2024-03-31", "2024-Q1"},
		{"national", "2026-04-01", "2026-06-30", "2023-Q2"},
		{"national", "2024-01-01", "2024-06-30", ""}, // half a year: nothing comparable
		{"national", "2024-02-01", "2024-04-30", ""}, // three months, not a calendar quarter
	} {
		b, ok := Comparable(c.key, date(c.from), date(c.to))
		if b.Period != c.want || ok != (c.want != "") {
			t.Errorf("%s %s–%s: %q %v, want %q", c.key, c.from, c.to, b.Period, ok, c.want)
		}
	}
	for _, b := range Benchmarks() {
		if b.Key == "" || b.Source == "" || b.Kind == "" || b.Year < 2014 || !strings.HasPrefix(b.Period, strconv.Itoa(b.Year)) {
			t.Errorf("incomplete benchmark %+v", b)
		}
	}
}
