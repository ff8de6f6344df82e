package analytics

import (
	"context"
	"fmt"
	"testing"
)

// Properties that must hold for any data: the groups of a breakdown add up to
// the total, the duration classes add up to the ZVP, and the series (a sweep
// over days) agrees with the KPI query (interval overlaps) on every period.

func checkAdditive(t *testing.T, s *testStore, f Filter, opt Options) {
	t.Helper()
	for _, d := range Dimensions {
		t.Run(string(d), func(t *testing.T) {
			g := rawGroups(t, s, f, opt, d)
			tot := g[TotalKey]
			var sick, fteDays float64
			var employed, newC, closed, open int64
			classes := make([]float64, len(tot.DurationClasses))
			for k, v := range g {
				if k == TotalKey {
					continue
				}
				sick += *v.SickDays
				fteDays += *v.FTEDays
				employed += *v.EmployedDays
				newC += *v.NewCases
				closed += *v.ClosedCases
				open += *v.OpenCases
				for i, c := range v.DurationClasses {
					if c.ZVP != nil {
						classes[i] += *c.ZVP * *v.FTEDays / 100
					}
				}
			}
			checkF(t, "Σ sick_days", &sick, *tot.SickDays)
			checkF(t, "Σ fte_days", &fteDays, *tot.FTEDays)
			checkI(t, "Σ employed_days", &employed, *tot.EmployedDays)
			checkI(t, "Σ new_cases", &newC, *tot.NewCases)
			checkI(t, "Σ closed_cases", &closed, *tot.ClosedCases)
			checkI(t, "Σ open_cases", &open, *tot.OpenCases)
			for i, c := range tot.DurationClasses {
				want := *c.ZVP * *tot.FTEDays / 100
				checkF(t, "Σ class "+c.Label+" sick days", &classes[i], want)
			}
			// Every group's classes add up to its ZVP.
			for k, v := range g {
				if v.ZVP == nil {
					continue
				}
				var sum float64
				for _, c := range v.DurationClasses {
					sum += *c.ZVP
				}
				checkF(t, k+" Σ class zvp", &sum, *v.ZVP)
			}
		})
	}
}

func TestBreakdownsAddUp(t *testing.T) {
	t.Run("conventions", func(t *testing.T) {
		s := openStore(t, conventionsExtract, "conventions_employments.csv", "conventions_absence.csv")
		checkAdditive(t, s, Filter{From: date("2024-01-01"), To: date("2024-12-31")}, Options{})
		checkAdditive(t, s, Filter{From: date("2023-07-01"), To: date("2025-01-31")}, Options{DurationClasses: VernetDurationClasses})
	})
	t.Run("generated", func(t *testing.T) {
		s := generatedStore(t, 300)
		checkAdditive(t, s, Filter{From: date("2024-07-01"), To: date("2026-06-30")}, Options{})
		checkAdditive(t, s, Filter{From: date("2025-01-01"), To: date("2025-12-31"), Genders: []string{"F"}}, Options{DurationClasses: VernetDurationClasses})
	})
}

// TestSeriesAgreesWithKPIs compares the sweep with the KPI query on months,
// a rolling year and filtered populations, without suppression.
func TestSeriesAgreesWithKPIs(t *testing.T) {
	s := generatedStore(t, 300)
	ctx := context.Background()
	filters := []Filter{
		{},
		{AgeBands: []string{"35-44", "45-54"}},
		{TenureBands: []string{"<1", "1-<2"}, HoursBands: []string{"20-<35"}},
		{Genders: []string{"M"}},
	}
	for i, base := range filters {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			base.ExtractDate = date(refExtract)
			var spans []span
			for m := date("2025-01-01"); m.Before(date("2026-07-01")); m = m.AddDate(0, 1, 0) {
				spans = append(spans, span{from: m, to: m.AddDate(0, 1, -1)})
			}
			spans = append(spans, span{from: date("2025-03-01"), to: date("2026-02-28")}, span{from: date("2024-02-29"), to: date("2024-02-29")})
			sums, err := sweep(ctx, s.DB, base, spans, nil)
			if err != nil {
				t.Fatal(err)
			}
			opt, _ := Options{}.withDefaults()
			for j, sp := range spans {
				f := base
				f.From, f.To = sp.from, sp.to
				raw, err := computeRaw(ctx, s.DB, f, opt, nil)
				if err != nil {
					t.Fatal(err)
				}
				k, v := raw.total, sums[j][""]
				what := day(sp.from) + ".." + day(sp.to)
				checkF(t, what+" fte days", &v.x, k.x)
				hd := float64(k.employedDays)
				checkF(t, what+" employed days", &v.hd, hd)
				checkF(t, what+" sick", &v.y, k.y)
				checkF(t, what+" sick incl pregnancy", &v.yPreg, k.yPreg)
				checkF(t, what+" sick without partial", &v.yFull, k.yFull)
				checkI(t, what+" new", &v.newCases, k.newCases)
				checkI(t, what+" closed", &v.closed, k.closed)
				checkI(t, what+" open", &v.open, k.open)
				checkF(t, what+" duration", &v.dur, k.durSum)
				// The lower bounds are lower bounds.
				if v.empLB > k.employees || v.casesLB > k.cases || (k.employees > 0 && v.empLB == 0) {
					t.Errorf("%s: lower bounds %d employees, %d cases; exact %d, %d", what, v.empLB, v.casesLB, k.employees, k.cases)
				}
			}
		})
	}
}

func TestSeriesShape(t *testing.T) {
	s := openStore(t, conventionsExtract, "conventions_employments.csv", "conventions_absence.csv")
	f := Filter{From: date("2024-11-15"), To: date("2025-12-31"), ExtractDate: date("2025-01-20")}
	got, err := Series(t.Context(), s.DB, f, Monthly, Options{})
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		label                string
		from, to, pFrom, pTo string
		rFrom                string
		partial              bool
	}
	wants := []want{
		{"2024-11", "2024-11-01", "2024-11-30", "2023-11-01", "2023-11-30", "2023-12-01", false},
		{"2024-12", "2024-12-01", "2024-12-31", "2023-12-01", "2023-12-31", "2024-01-01", false},
		// Cut at the extract date: the previous year covers the same days.
		{"2025-01", "2025-01-01", "2025-01-20", "2024-01-01", "2024-01-20", "2024-01-21", true},
	}
	if len(got.Points) != len(wants) {
		t.Fatalf("%d points, want %d", len(got.Points), len(wants))
	}
	for i, w := range wants {
		p := got.Points[i]
		if p.Label != w.label || !p.Current.Period.From.Equal(date(w.from)) || !p.Current.Period.To.Equal(date(w.to)) ||
			!p.PreviousYear.Period.From.Equal(date(w.pFrom)) || !p.PreviousYear.Period.To.Equal(date(w.pTo)) ||
			!p.Rolling12.Period.From.Equal(date(w.rFrom)) || !p.Rolling12.Period.To.Equal(date(w.to)) || p.Current.Partial != w.partial {
			t.Errorf("point %d = %s %v..%v prev %v..%v rolling %v..%v partial %v; want %+v", i, p.Label,
				day(p.Current.Period.From), day(p.Current.Period.To), day(p.PreviousYear.Period.From), day(p.PreviousYear.Period.To),
				day(p.Rolling12.Period.From), day(p.Rolling12.Period.To), p.Current.Partial, w)
		}
	}
	q, err := Series(t.Context(), s.DB, Filter{From: date("2024-02-10"), To: date("2024-12-31")}, Quarterly, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, p := range q.Points {
		labels = append(labels, p.Label)
	}
	if fmt.Sprint(labels) != "[2024-Q1 2024-Q2 2024-Q3 2024-Q4]" || !q.Points[0].Current.Period.From.Equal(date("2024-01-01")) {
		t.Errorf("quarters %v from %v", labels, q.Points[0].Current.Period.From)
	}
	// The whole conventions organisation, 2024 as one year: the series point
	// equals the KPI set, and the rolling year ending 31 Dec is that year.
	y, err := Series(t.Context(), s.DB, Filter{From: date("2024-01-01"), To: date("2024-12-31")}, Yearly, Options{})
	if err != nil {
		t.Fatal(err)
	}
	k, err := KPIs(t.Context(), s.DB, Filter{From: date("2024-01-01"), To: date("2024-12-31")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := y.Points[0]
	checkF(t, "yearly zvp", p.Current.ZVP, *k.Total.ZVP)
	checkF(t, "yearly zmf", p.Current.ZMF, *k.Total.ZMF)
	checkF(t, "rolling zvp", p.Rolling12.ZVP, *k.Total.ZVP)
	checkF(t, "yearly gzvd", p.Current.GZVD, *k.Total.GZVD)
	if _, err := Series(t.Context(), s.DB, Filter{From: date("1990-01-01"), To: date("2024-12-31")}, Monthly, Options{}); err == nil {
		t.Error("a 420-month series gave no error")
	}
}
