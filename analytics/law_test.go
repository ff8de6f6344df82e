package analytics

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The law fixture (datasets/fixtures/law/), department "law", 2024 (366
// days), five employees full-time all year, extract date 2025-01-31.
// law_absence.csv holds all of them, pregnancy_absence.csv V01 and V02:
//
//	V01 sickness 5–6 Feb; pregnancy-related sickness 8–10 Apr and 13–14 May
//	V02 sickness 4–5 Mar, 3–4 Jun, 2–3 Sep (the control: a frequent absentee)
//	V03 sickness 8–9 Jan, organ donation 11 Mar–21 Apr (42 days), sickness 7–8 Oct
//	V04 sickness 4–8 Nov and 2–3 Dec, both with the no-risk flag (vangnet = ja)
//	V05 never absent
const lawFixtures = "../datasets/fixtures/law/"

func lawStore(t *testing.T, files ...string) lawFixture {
	t.Helper()
	paths := []string{absFixture(t, lawFixtures+"law_employments.csv")}
	for _, f := range files {
		paths = append(paths, absFixture(t, lawFixtures+f))
	}
	return lawFixture{openStore(t, "2025-01-31", paths...)}
}

type lawFixture struct{ *testStore }

type absenteeRow struct {
	Emp               string
	New, Spells, Days int64
	Bradford          float64
	Frequent          bool
}

func (s lawFixture) absentees(t *testing.T) []absenteeRow {
	t.Helper()
	l, err := FrequentAbsentees(t.Context(), s.DB, Filter{From: date("2024-01-01"), To: date("2024-12-31")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	name := map[string]string{}
	for _, e := range []string{"V01", "V02", "V03", "V04", "V05"} {
		name[s.Pseudonym(e)] = e
	}
	var out []absenteeRow
	for _, a := range l.Employees {
		out = append(out, absenteeRow{name[a.EmployeeID], a.NewCases, a.Spells, a.SickDays, a.Bradford, a.Frequent})
	}
	return out
}

// Finding 4: holding pregnancy-related sickness against an employee is
// unequal treatment on grounds of sex (Algemene wet gelijke behandeling;
// art. 7:646 BW). V01 has three sick reports in 2024, two of them
// pregnancy-related: one counts.
func TestPregnancyNeverCountsTowardsFrequentAbsenceOrBradford(t *testing.T) {
	s := lawStore(t, "pregnancy_absence.csv")
	want := []absenteeRow{
		{"V02", 3, 3, 6, 3 * 3 * 6, true},
		{"V01", 1, 1, 2, 1 * 1 * 2, false},
	}
	if d := cmp.Diff(want, s.absentees(t)); d != "" {
		t.Errorf("absentees (-want +got):\n%s", d)
	}
	k, err := KPIs(t.Context(), s.DB, Filter{From: date("2024-01-01"), To: date("2024-12-31")}, Options{MinEmployees: 5, MinCases: 5})
	if err != nil {
		t.Fatal(err)
	}
	checkI(t, "frequent_absentees", k.Total.FrequentAbsentees, 1)
	// The standard figures count pregnancy-related sickness as sickness
	// (CBS): 6 + 7 sick days, 6 new cases.
	checkF(t, "zvp", k.Total.ZVP, 100*13.0/(5*366))
	checkI(t, "new_cases", k.Total.NewCases, 6)
}

// Organ donation is not held against the donor either: V03 has two sick
// reports that count, not three.
func TestOrganDonationNeverCountsTowardsFrequentAbsenceOrBradford(t *testing.T) {
	s := lawStore(t, "law_absence.csv")
	want := []absenteeRow{
		{"V02", 3, 3, 6, 54, true},
		// V04: two spells of 5 and 2 days; no-risk cases are sickness.
		{"V04", 2, 2, 7, 2 * 2 * 7, false},
		{"V03", 2, 2, 4, 2 * 2 * 4, false},
		{"V01", 1, 1, 2, 2, false},
	}
	if d := cmp.Diff(want, s.absentees(t)); d != "" {
		t.Errorf("absentees (-want +got):\n%s", d)
	}
}

// Finding 5: a period file without case numbers (nocaseref_absence.csv,
// department "nocaseref": ten employees full-time all 2024). W01 is sick
// 15 Jan–16 Feb (33 days) and on pregnancy leave from the next day,
// 17 Feb–7 Jun (112 days); W02 is sick 1–10 Mar at 100% and 11–20 Mar at
// 50%. The change of type ends W01's sickness case, so the leave is not
// sickness (1996 standard: a case running into pregnancy leave ends when
// the leave starts); W02's change of percentage is partial recovery in
// one case.
func TestTypeChangeEndsCaseWithoutCaseNumber(t *testing.T) {
	s := openStore(t, "2025-01-31", absFixture(t, lawFixtures+"nocaseref_employments.csv"), absFixture(t, lawFixtures+"nocaseref_absence.csv"))
	total := rawGroups(t, s, Filter{From: date("2024-01-01"), To: date("2024-12-31")}, Options{})[TotalKey]
	fte := 10 * 366.0
	checkF(t, "zvp", total.ZVP, 100*(33+10+10*0.5)/fte)
	checkF(t, "zvp incl. pregnancy leave", total.ZVPInclPregnancy, 100*(33+10+10*0.5+112)/fte)
	checkI(t, "new cases", total.NewCases, 2)
	checkF(t, "gzvd", total.GZVD, (33+20)/2.0)
}

// The vangnet: the part of the absence rate the Ziektewet pays back.
// law_absence.csv: 66 sick days in 2024 (V01 7, V02 6, V03 46, V04 7), of
// which 54 in vangnet cases: V01's pregnancy-related 3 + 2 days, V03's 42
// days of organ donation, V04's 5 + 2 days flagged no-risk. Five vangnet
// cases; with fewer (pregnancy_absence.csv: two) the figures are hidden,
// as they would point at one person.
func TestVangnetFigures(t *testing.T) {
	f := Filter{From: date("2024-01-01"), To: date("2024-12-31")}
	opt := Options{MinEmployees: 5, MinCases: 5}
	k, err := KPIs(t.Context(), lawStore(t, "law_absence.csv").DB, f, opt)
	if err != nil {
		t.Fatal(err)
	}
	fte := 5 * 366.0
	checkF(t, "zvp", k.Total.ZVP, 100*66/fte)
	checkF(t, "vangnet_zvp_pct", k.Total.VangnetZVP, 100*54/fte)
	checkF(t, "vangnet_share_pct", k.Total.VangnetShare, 100*54/66.0)
	checkI(t, "vangnet_cases", k.Total.VangnetCases, 5)
	checkI(t, "frequent_absentees", k.Total.FrequentAbsentees, 1)

	k, err = KPIs(t.Context(), lawStore(t, "pregnancy_absence.csv").DB, f, opt)
	if err != nil {
		t.Fatal(err)
	}
	if k.Total.Suppressed {
		t.Fatal("total suppressed")
	}
	checkNil(t, "vangnet_zvp_pct of two cases", k.Total.VangnetZVP)
	checkNil(t, "vangnet_cases of two cases", k.Total.VangnetCases)
}

// Frequent to long splits employees by the same rule as the frequent-absentee
// figure, so pregnancy-related sickness never puts anyone in the frequent
// group: on 1 Oct 2024 V01 has three sick reports in twelve months, two of
// them pregnancy-related, and is "other"; V02 (three of plain sickness) is
// "frequent".
func TestFrequentToLongGroupsLeavePregnancyOut(t *testing.T) {
	s := lawStore(t, "pregnancy_absence.csv")
	at := date("2024-10-01")
	opt, err := Options{}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	f, _, err := resolvePeriod(t.Context(), s.DB, Filter{From: windowStart(at, opt.FrequentWindowMonths), To: at})
	if err != nil {
		t.Fatal(err)
	}
	horizon := f.ExtractDate.AddDate(0, 0, -LongAbsenceDays)
	with, p := frequentToLongSQL(f, at, horizon, opt.FrequentThreshold)
	rows, err := withQuery(with, p, `SELECT k.pseudonym, grp FROM obs JOIN employees k ON k.employee_key = obs.emp`).run(t.Context(), s.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]string{}
	for rows.Next() {
		var emp, grp string
		if err := rows.Scan(&emp, &grp); err != nil {
			t.Fatal(err)
		}
		got[emp] = grp
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for emp, want := range map[string]string{"V01": GroupOther, "V02": GroupFrequent} {
		if g := got[s.Pseudonym(emp)]; g != want {
			t.Errorf("%s is in group %q, want %q", emp, g, want)
		}
	}
}
