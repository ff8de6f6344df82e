package analytics

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The "frequent" department of the conventions fixture:
//
//	Q01  5–7 Feb, 8–9 Feb (back to back: recovery 8 Feb = next start), 10–12 Jun, 18–19 Nov 2024
//	Q02  28–29 Dec 2023, 4–5 Mar, 2–3 Sep 2024
//	Q03  30 Dec 2023–2 Jan 2024, 1 Apr, 1 Aug, 1 Oct 2024
//	Q04  1–2, 3–4, 5–6 Mar 2024 (three cases back to back)
func TestFrequentAbsenteesAndBradford(t *testing.T) {
	s := openStore(t, conventionsExtract, "conventions_employments.csv", "conventions_absence.csv")
	unit := []Unit{{Department: "frequent"}}
	type row struct {
		Emp               string
		New, Spells, Days int64
		Bradford          float64
		Frequent          bool
	}
	list := func(from, to string, opt Options) ([]row, AbsenteeList) {
		t.Helper()
		l, err := FrequentAbsentees(t.Context(), s.DB, Filter{From: date(from), To: date(to), Units: unit}, opt)
		if err != nil {
			t.Fatal(err)
		}
		byPseudonym := map[string]string{}
		for _, e := range []string{"Q01", "Q02", "Q03", "Q04"} {
			byPseudonym[s.Pseudonym(e)] = e
		}
		var out []row
		for _, a := range l.Employees {
			out = append(out, row{byPseudonym[a.EmployeeID], a.NewCases, a.Spells, a.SickDays, a.Bradford, a.Frequent})
		}
		return out, l
	}

	// Window: the 12 months ending 31 Dec 2024 = 1 Jan–31 Dec 2024.
	got, l := list("2024-01-01", "2024-12-31", Options{})
	want := []row{
		// 4 new cases; spells {5–9 Feb}, Jun, Nov = 3; days 3+2+3+2 = 10; 3² × 10.
		{"Q01", 4, 3, 10, 3 * 3 * 10, true},
		// 3 new (the case from 30 Dec 2023 is not new in the window) but 4
		// spells with a day in it; days 2 (1–2 Jan) + 1 + 1 + 1; 4² × 5.
		{"Q03", 3, 4, 5, 4 * 4 * 5, true},
		// 2 new: 28 Dec 2023 lies outside the window; 2² × 4.
		{"Q02", 2, 2, 4, 2 * 2 * 4, false},
		// 3 new cases (a relapse after full recovery is a new case, even
		// within four weeks), but one spell for Bradford: 1² × 6.
		{"Q04", 3, 1, 6, 1 * 1 * 6, true},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("2024 (-want +got):\n%s", d)
	}
	if !l.Window.From.Equal(date("2024-01-01")) || !l.Window.To.Equal(date("2024-12-31")) || l.Window.Days != 366 || l.Threshold != 3 {
		t.Errorf("window %+v threshold %d", l.Window, l.Threshold)
	}

	// Reference date 30 June 2024: window 1 July 2023–30 June 2024.
	got, _ = list("2024-01-01", "2024-06-30", Options{})
	want = []row{
		{"Q01", 3, 2, 3 + 2 + 3, 2 * 2 * 8, true},
		{"Q03", 2, 2, 4 + 1, 2 * 2 * 5, false}, // 30 Dec–2 Jan now lies wholly inside
		{"Q02", 2, 2, 2 + 2, 2 * 2 * 4, false}, // 28 Dec 2023 is now inside, 2 Sep is not yet
		{"Q04", 3, 1, 6, 6, true},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("to 30 June (-want +got):\n%s", d)
	}

	// Spells merge across gaps of up to BradfordGapDays: with 200 days every
	// employee's cases form one spell.
	got, _ = list("2024-01-01", "2024-12-31", Options{BradfordGapDays: 200})
	want = []row{
		{"Q01", 4, 1, 10, 10, true},
		{"Q04", 3, 1, 6, 6, true},
		{"Q03", 3, 1, 5, 5, true},
		{"Q02", 2, 1, 4, 4, false},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("gap 200 (-want +got):\n%s", d)
	}

	// Threshold 4: only Q01.
	got, _ = list("2024-01-01", "2024-12-31", Options{FrequentThreshold: 4})
	var frequent []string
	for _, r := range got {
		if r.Frequent {
			frequent = append(frequent, r.Emp)
		}
	}
	if d := cmp.Diff([]string{"Q01"}, frequent); d != "" {
		t.Errorf("threshold 4 (-want +got):\n%s", d)
	}
}

// TestFrequentAbsenteeCount pins the aggregate in the KPI set: employees of
// the group with at least 3 new sickness cases in the 12 months ending at the
// end of P.
func TestFrequentAbsenteeCount(t *testing.T) {
	s := openStore(t, conventionsExtract, "conventions_employments.csv", "conventions_absence.csv")
	year := rawGroups(t, s, Filter{From: date("2024-01-01"), To: date("2024-12-31")}, Options{}, ByDepartment)
	checkI(t, "frequent 2024", year["frequent"].FrequentAbsentees, 3)   // Q01, Q03, Q04
	checkI(t, "durations 2024", year["durations"].FrequentAbsentees, 1) // K01: six cases
	checkI(t, "pregnancy 2024", year["pregnancy"].FrequentAbsentees, 0) // W01: 2 sickness cases; the leave is no case
	checkI(t, "total 2024", year[TotalKey].FrequentAbsentees, 4)
	half := rawGroups(t, s, Filter{From: date("2024-01-01"), To: date("2024-06-30")}, Options{}, ByDepartment)
	checkI(t, "frequent to 30 June", half["frequent"].FrequentAbsentees, 2) // Q01, Q04
	wide := rawGroups(t, s, Filter{From: date("2024-01-01"), To: date("2024-12-31")}, Options{FrequentWindowMonths: 24, FrequentThreshold: 4}, ByDepartment)
	// 24 months: Q01 4, Q02 3, Q03 4, Q04 3.
	checkI(t, "frequent, 4 in 24 months", wide["frequent"].FrequentAbsentees, 2)
}

// TestFrequentWindowBoundary: the window (ref − 12 months, ref] excludes its
// first boundary. With the reference date 30 Dec 2024 the window starts
// after 30 Dec 2023, the first sick day of Q03's first case.
func TestFrequentWindowBoundary(t *testing.T) {
	s := openStore(t, conventionsExtract, "conventions_employments.csv", "conventions_absence.csv")
	f := Filter{From: date("2024-01-01"), To: date("2024-12-30"), Units: []Unit{{Department: "frequent"}}}
	l, err := FrequentAbsentees(t.Context(), s.DB, f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range l.Employees {
		if a.EmployeeID == s.Pseudonym("Q03") && (a.NewCases != 3 || a.Spells != 4) {
			t.Errorf("Q03: %d new cases, %d spells; want 3 and 4 (the case of 30 Dec 2023 is not new, but has days in the window)", a.NewCases, a.Spells)
		}
	}
	if !l.Window.From.Equal(date("2023-12-31")) {
		t.Errorf("window from %v", l.Window.From)
	}
	// Threshold 4: Q01 only (Q03 has 3 new cases in this window, not 4).
	g := rawGroups(t, s, f, Options{FrequentThreshold: 4})[TotalKey]
	checkI(t, "frequent with 4", g.FrequentAbsentees, 1)
}
