package analytics

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The suppression fixture (datasets/fixtures/analytics/suppression_*.csv):
// 51 full-timers employed all of 2024, 23 of them with one 3-day sickness
// case in 2024. Group sizes (employees/cases):
//
//	department  Alpha 14/6 (team A1 11/5 all F, team A2 3/1 all M)
//	            Beta  22/10 (no teams; F 12/5, M 10/5)
//	            Gamma 11/5 (team G1; F 8/4, M 3/1)
//	            Delta  4/2 (team D1; F 2/1, M 2/1)
//	location    Utrecht 19/12, Amersfoort 12/8, Zwolle 20/3
//	age band    <25 3/1, 25-34 13/6, 35-44 12/6, 45-54 11/5, 55-64 10/5, 65+ 2/0
//	gender      F 33/15, M 18/8
//
// Defaults: a group needs 10 employees and 5 cases.

func suppressionStore(t testing.TB) Querier {
	t.Helper()
	return openStore(t, conventionsExtract, "suppression_employments.csv", "suppression_absence.csv").DB
}

var year2024 = Filter{From: date("2024-01-01"), To: date("2024-12-31")}

// visibleGroups lists "key" or "parent/key" of the visible groups, and checks
// that suppressed groups carry no figure at all.
func visibleGroups(t *testing.T, b BreakdownResult) []string {
	t.Helper()
	var vis []string
	for _, g := range b.Groups {
		name := g.Key
		if g.Parent != "" {
			name = g.Parent + "/" + g.Key
		}
		if g.Suppressed {
			assertNoFigures(t, name, g)
			continue
		}
		if g.Employees == nil {
			t.Errorf("%s is visible without figures", name)
		}
		vis = append(vis, name)
	}
	return vis
}

// assertNoFigures: every pointer of a suppressed group is nil (never zero).
func assertNoFigures(t *testing.T, name string, g Group) {
	t.Helper()
	v := reflect.ValueOf(g.Figures)
	for i := range v.NumField() {
		fv := v.Field(i)
		if fv.Kind() == reflect.Pointer && !fv.IsNil() {
			t.Errorf("suppressed %s has %s = %v", name, v.Type().Field(i).Name, fv.Elem())
		}
	}
	for _, c := range g.DurationClasses {
		if c.Cases != nil || c.ZVP != nil {
			t.Errorf("suppressed %s has duration class %s figures", name, c.Label)
		}
	}
}

func TestSuppressionInBreakdowns(t *testing.T) {
	db := suppressionStore(t)
	tests := []struct {
		dim     Dimension
		opt     Options
		visible []string
	}{
		// Delta (4 employees) is small; alone it could be worked out as the
		// total minus the others, so the next-smallest, Gamma (11/5, big
		// enough itself), is suppressed too.
		{ByDepartment, Options{}, []string{"Alpha", "Beta"}},
		// Zwolle has 20 employees but 3 cases; Amersfoort goes with it.
		{ByLocation, Options{}, []string{"Utrecht"}},
		// <25 and 65+ are small; together only 5 employees and 1 case, so
		// the next-smallest (55-64, 10/5) is added until the hidden groups
		// reach 15 employees and 6 cases.
		{ByAgeBand, Options{}, []string{"25-34", "35-44", "45-54"}},
		// Nothing small: nothing suppressed.
		{ByGender, Options{}, []string{"F", "M"}},
		// Teams are judged within their department: A2 is small, so A1 goes
		// too; G1 and D1 belong to suppressed departments.
		{ByTeam, Options{}, []string{"Beta/" + NotRecorded}},
		// Thresholds cannot go below 5: Delta's 4 employees stay hidden (and
		// Gamma with it).
		{ByDepartment, Options{MinEmployees: 1, MinCases: 1}, []string{"Alpha", "Beta"}},
		// Raised to 15 employees: Alpha (14) is small as well.
		{ByDepartment, Options{MinEmployees: 15}, []string{"Beta"}},
		// Raised to 7 cases: Alpha (6), Gamma and Delta small; Beta remains.
		{ByDepartment, Options{MinCases: 7}, []string{"Beta"}},
	}
	for _, tt := range tests {
		name := string(tt.dim)
		if tt.opt.MinEmployees != 0 || tt.opt.MinCases != 0 {
			name += "/thresholds"
		}
		t.Run(name, func(t *testing.T) {
			b, err := Breakdown(t.Context(), db, year2024, tt.dim, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if b.Total.Suppressed {
				t.Fatal("total suppressed")
			}
			checkI(t, "total employees", b.Total.Employees, 51)
			if d := cmp.Diff(tt.visible, visibleGroups(t, b)); d != "" {
				t.Errorf("visible groups (-want +got):\n%s", d)
			}
		})
	}
}

// TestSuppressionCannotBeBypassedWithFilters: a filtered total is a group of
// the breakdown of that dimension; it is shown only if every selected value
// is visible there.
func TestSuppressionCannotBeBypassedWithFilters(t *testing.T) {
	db := suppressionStore(t)
	tests := []struct {
		name       string
		f          Filter
		suppressed bool
		employees  int64
	}{
		{"Alpha", Filter{Units: []Unit{{Department: "Alpha"}}}, false, 14},
		// Gamma itself has 11 employees and 5 cases, but showing it would
		// reveal Delta = total − Alpha − Beta − Gamma.
		{"Gamma", Filter{Units: []Unit{{Department: "Gamma"}}}, true, 0},
		{"Delta", Filter{Units: []Unit{{Department: "Delta"}}}, true, 0},
		{"Alpha+Delta", Filter{Units: []Unit{{Department: "Alpha"}, {Department: "Delta"}}}, true, 0},
		// Alpha+Beta leaves Gamma+Delta (15/7) as the rest: fine.
		{"Alpha+Beta", Filter{Units: []Unit{{Department: "Alpha"}, {Department: "Beta"}}}, false, 36},
		// Team A1 (11/5) would reveal A2 (3/1) = Alpha − A1.
		{"Alpha/A1", Filter{Units: []Unit{{Department: "Alpha", Team: "A1"}}}, true, 0},
		{"Beta/no team", Filter{Units: []Unit{{Department: "Beta", Team: NotRecorded}}}, false, 22},
		// G1 is all of Gamma, which is suppressed.
		{"Gamma/G1", Filter{Units: []Unit{{Department: "Gamma", Team: "G1"}}}, true, 0},
		{"Utrecht", Filter{Locations: []string{"Utrecht"}}, false, 19},
		{"Amersfoort", Filter{Locations: []string{"Amersfoort"}}, true, 0},
		// Utrecht+Amersfoort would reveal Zwolle (3 cases).
		{"Utrecht+Amersfoort", Filter{Locations: []string{"Utrecht", "Amersfoort"}}, true, 0},
		{"45-54", Filter{AgeBands: []string{"45-54"}}, false, 11},
		{"55-64", Filter{AgeBands: []string{"55-64"}}, true, 0},
		{"F", Filter{Genders: []string{"F"}}, false, 33},
		// Beta ∩ F (12/5): visible in the gender split of Beta (M 10/5) and
		// in the department split within F.
		{"Beta∩F", Filter{Units: []Unit{{Department: "Beta"}}, Genders: []string{"F"}}, false, 12},
		// Alpha ∩ F (11/5) is big enough, but within Alpha the men (3/1) are
		// small, so Alpha ∩ F would reveal them.
		{"Alpha∩F", Filter{Units: []Unit{{Department: "Alpha"}}, Genders: []string{"F"}}, true, 0},
		// A selected value without data hides nothing.
		{"Alpha+Nowhere", Filter{Units: []Unit{{Department: "Alpha"}, {Department: "Nowhere"}}}, false, 14},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.f
			f.From, f.To = year2024.From, year2024.To
			k, err := KPIs(t.Context(), db, f, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if k.Total.Suppressed != tt.suppressed {
				t.Fatalf("suppressed = %v, want %v", k.Total.Suppressed, tt.suppressed)
			}
			if tt.suppressed {
				assertNoFigures(t, tt.name, k.Total)
				return
			}
			checkI(t, "employees", k.Total.Employees, tt.employees)
		})
	}
}

// TestSuppressionWithinFilteredBreakdown: breakdown groups under a filter are
// cells of two dimensions, protected along both.
func TestSuppressionWithinFilteredBreakdown(t *testing.T) {
	db := suppressionStore(t)
	f := year2024
	f.Genders = []string{"F"}
	b, err := Breakdown(t.Context(), db, f, ByDepartment, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if b.Total.Suppressed {
		t.Fatal("total (all women) suppressed")
	}
	checkI(t, "total employees", b.Total.Employees, 33)
	// Within F: Gamma-F (8/4) and Delta-F (2/1) are small and together
	// 10/5, so Alpha-F and Beta-F stay visible among the departments; but
	// Alpha-F would reveal Alpha's 3 men, so it is suppressed as well.
	if d := cmp.Diff([]string{"Beta"}, visibleGroups(t, b)); d != "" {
		t.Errorf("visible (-want +got):\n%s", d)
	}
	// A breakdown under a suppressed filter shows nothing.
	f = year2024
	f.Units = []Unit{{Department: "Gamma"}}
	b, err = Breakdown(t.Context(), db, f, ByGender, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !b.Total.Suppressed || len(visibleGroups(t, b)) != 0 {
		t.Errorf("under Gamma: total suppressed %v, visible %v", b.Total.Suppressed, visibleGroups(t, b))
	}
	// Drill-down into a visible department: Alpha's teams are both hidden.
	f.Units = []Unit{{Department: "Alpha"}}
	b, err = Breakdown(t.Context(), db, f, ByTeam, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if b.Total.Suppressed || len(b.Groups) != 2 || len(visibleGroups(t, b)) != 0 {
		t.Errorf("Alpha's teams: total suppressed %v, %d groups, visible %v", b.Total.Suppressed, len(b.Groups), visibleGroups(t, b))
	}
}

func TestSuppressionInSeries(t *testing.T) {
	db := suppressionStore(t)
	f := year2024
	f.Units = []Unit{{Department: "Gamma"}}
	s, err := Series(t.Context(), db, f, Yearly, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Points) != 1 || !s.Points[0].Current.Suppressed || s.Points[0].Current.ZVP != nil {
		t.Errorf("Gamma's 2024 should be suppressed in a series too: %+v", s.Points)
	}
	f.Units = []Unit{{Department: "Beta"}}
	s, err = Series(t.Context(), db, f, Yearly, Options{})
	if err != nil {
		t.Fatal(err)
	}
	k, err := KPIs(t.Context(), db, f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := s.Points[0].Current
	if p.Suppressed || k.Total.Suppressed {
		t.Fatalf("Beta 2024 suppressed: series %v, KPIs %v", p.Suppressed, k.Total.Suppressed)
	}
	checkF(t, "series zvp = KPIs zvp", p.ZVP, *k.Total.ZVP)
	// Beta's 10 cases start weekly from 14 March to 16 May (3, 4 and 3 a
	// month): every month has fewer than 5 cases and is suppressed.
	m, err := Series(t.Context(), db, f, Monthly, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range m.Points {
		if !p.Current.Suppressed {
			t.Errorf("Beta %s visible with fewer than 5 cases", p.Label)
		}
	}
}

// TestSuppressionAlongTime: months are cells too. In the suppression fixture
// the 23 cases start weekly from 1 February to 4 July; as lower bounds a
// month counts the cases running on its first day plus those starting later
// in it: Feb 5, Mar 5 (29 Feb–2 Mar runs into March), Apr 4, May 5, Jun 5
// (30 May–1 Jun), Jul 1, other months 0.
func TestSuppressionAlongTime(t *testing.T) {
	db := suppressionStore(t)
	s, err := Series(t.Context(), db, year2024, Monthly, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var visible []string
	for _, p := range s.Points {
		if !p.Current.Suppressed {
			visible = append(visible, p.Label)
		} else if p.Current.ZVP != nil || p.Current.NewCases != nil {
			t.Errorf("%s suppressed with figures", p.Label)
		}
	}
	// The small months together have at most 4 cases for certain (months
	// share cases, so their union is only known to be as big as the
	// biggest), so the next-smallest month, February, is hidden too.
	if d := cmp.Diff([]string{"2024-03", "2024-05", "2024-06"}, visible); d != "" {
		t.Errorf("visible months (-want +got):\n%s", d)
	}
	// A filter on another dimension is checked per period as well:
	// Amersfoort (12 employees, 8 cases in 2024) is hidden along with
	// Zwolle in the location breakdown, so also in a series.
	f := year2024
	f.Locations = []string{"Amersfoort"}
	s, err = Series(t.Context(), db, f, Yearly, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Points[0].Current.Suppressed {
		t.Error("Amersfoort's 2024 is visible in a series")
	}
	f.Locations = []string{"Utrecht"}
	s, err = Series(t.Context(), db, f, Yearly, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Points[0].Current.Suppressed {
		t.Error("Utrecht's 2024 is suppressed in a series")
	}
}

// TestSuppressedJSON: null values and the suppressed flag, under the
// report's field names.
func TestSuppressedJSON(t *testing.T) {
	db := suppressionStore(t)
	b, err := Breakdown(t.Context(), db, year2024, ByDepartment, Options{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(b.Report())
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		By     string           `json:"by"`
		Total  map[string]any   `json:"total"`
		Groups []map[string]any `json:"groups"`
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	fields := []string{"zvp_pct", "zmf", "gzvd_days", "zero_absence_pct", "employees", "avg_headcount", "fte",
		"new_cases", "closed_cases", "open_cases", "sick_days", "duration_classes", "frequent_absentees", "suppressed", "group"}
	for _, k := range fields {
		if _, ok := rep.Total[k]; !ok {
			t.Errorf("total lacks field %q", k)
		}
	}
	if rep.By != "department" || len(rep.Groups) != 4 {
		t.Fatalf("by %q, %d groups", rep.By, len(rep.Groups))
	}
	for _, g := range rep.Groups {
		if g["group"] == "Delta" {
			if g["suppressed"] != true || g["zvp_pct"] != nil || g["employees"] != nil {
				t.Errorf("Delta in JSON: %v", g)
			}
			classes := g["duration_classes"].(map[string]any)
			if c := classes["1-7"].(map[string]any); c["cases"] != nil || c["zvp_pct"] != nil {
				t.Errorf("Delta duration class in JSON: %v", c)
			}
		}
		if g["group"] == "Alpha" && (g["suppressed"] != false || g["employees"] != 14.0) {
			t.Errorf("Alpha in JSON: %v", g)
		}
	}
	if !strings.Contains(string(raw), `"duration_classes":{"1-7":`) {
		t.Errorf("duration classes are not an object keyed by label in class order: %s", raw)
	}
}

func TestSuppressSiblings(t *testing.T) {
	th := thresholds{10, 5}
	tests := []struct {
		name        string
		cells       []cell
		overlapping bool
		want        []string
	}{
		{"none small", []cell{{"a", 20, 9}, {"b", 10, 5}}, false, nil},
		{"one small takes the next-smallest", []cell{{"a", 20, 9}, {"b", 12, 6}, {"c", 3, 1}, {"d", 40, 20}}, false, []string{"b", "c"}},
		{"ties broken by cases then key", []cell{{"a", 12, 7}, {"b", 12, 6}, {"c", 3, 1}}, false, []string{"b", "c"}},
		// a and b together are 7 employees and 2 cases: c is added.
		{"union still small", []cell{{"a", 4, 1}, {"b", 3, 1}, {"c", 11, 5}, {"d", 50, 20}}, false, []string{"a", "b", "c"}},
		{"everything small", []cell{{"a", 4, 1}, {"b", 3, 1}}, false, []string{"a", "b"}},
		{"single cell small", []cell{{"a", 4, 1}}, false, []string{"a"}},
		// Periods share employees: a union counts as its largest member.
		{"overlapping union", []cell{{"jan", 30, 3}, {"feb", 30, 4}, {"mar", 30, 6}, {"apr", 30, 9}}, true, []string{"feb", "jan", "mar"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := suppressSiblings(tt.cells, th, tt.overlapping)
			var keys []string
			for k := range got {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			if d := cmp.Diff(tt.want, keys); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// TestBreakdownCountsMatchCellCounts: a breakdown judges its groups from its
// own counts; they must be the counts a filter on one of its values is
// judged by, or the two could hide different groups.
func TestBreakdownCountsMatchCellCounts(t *testing.T) {
	for name, s := range map[string]*testStore{
		"suppression": openStore(t, conventionsExtract, "suppression_employments.csv", "suppression_absence.csv"),
		"conventions": openStore(t, conventionsExtract, "conventions_employments.csv", "conventions_absence.csv"),
		"generated":   generatedStore(t, 300),
	} {
		for _, d := range []Dimension{ByDepartment, ByLocation, ByAgeBand, ByGender, ByHoursBand, ByTenureBand} {
			f, _, err := resolvePeriod(t.Context(), s.DB, Filter{From: date("2024-03-01"), To: date("2025-02-28")})
			if err != nil {
				t.Fatal(err)
			}
			opt, _ := Options{}.withDefaults()
			raw, err := computeRaw(t.Context(), s.DB, f, opt, []Dimension{d})
			if err != nil {
				t.Fatal(err)
			}
			counts, err := cellCounts(t.Context(), s.DB, f, [][]string{d.cols()})
			if err != nil {
				t.Fatal(err)
			}
			want := map[string][2]int64{}
			for _, c := range counts[0] {
				want[c.keys[0]] = [2]int64{c.emp, c.cases}
			}
			got := map[string][2]int64{}
			for _, r := range raw.groups {
				if r.employees > 0 {
					got[r.key()] = [2]int64{r.employees, r.cases}
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s by %s (-cellCounts +KPI query):\n%s", name, d, diff)
			}
		}
	}
}
