package analytics

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Samentelling, art. 7:629 lid 10 BW: periods of incapacity are added up
// when less than four weeks lie between them, and when they immediately
// precede and adjoin pregnancy or maternity leave (WAZO). The fixture
// (datasets/fixtures/survival/samentelling_*.csv, extract 2024-12-31) has
// one rule per employee; every expected date was counted by hand:
// end_104 = first sick day of the track + 728 + the days between its
// periods (leave included).
func samentellingStore(t *testing.T, files ...string) *testStore {
	t.Helper()
	paths := []string{absFixture(t, survivalFixtures+"samentelling_employments.csv")}
	for _, f := range files {
		paths = append(paths, absFixture(t, survivalFixtures+f))
	}
	return openStore(t, "2024-12-31", paths...)
}

type trackWant struct {
	Kind, FirstSickDay string
	Cases, Gap, Sick   int
	Week104End         string
}

func openTracks(t *testing.T, s *testStore, emp string) []trackWant {
	t.Helper()
	res, err := Tracks(t.Context(), s.DB, Filter{From: date("2024-01-01"), To: date("2024-12-31")}, TrackOptions{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []trackWant
	for _, tr := range res.Open {
		if tr.EmployeeID == s.Pseudonym(emp) {
			out = append(out, trackWant{tr.Kind, day(tr.FirstSickDay.Time), tr.Cases, tr.GapDays, tr.SickDays, day(tr.Week104End.Time)})
		}
	}
	return out
}

func TestSamentellingArt7629Lid10(t *testing.T) {
	s := samentellingStore(t, "samentelling_absence.csv")
	tests := []struct {
		emp, rule string
		want      []trackWant
	}{
		// Finding 6: 11 days sick (1–11 Jan), 10 days well, 111 days of
		// leave (22 Jan–11 May), 8 days well, sick from 20 May. The first
		// period does not adjoin the leave, so the leave bridges nothing:
		// 129 days lie between the periods, two tracks. Open track: 226
		// sick days to 31 Dec; end 20-5-2024 + 728 = 18-5-2026.
		{"L01", "the leave bridges only sickness that adjoins it", []trackWant{{"sickness", "2024-05-20", 1, 0, 226, "2026-05-18"}}},
		// Sick 1–21 Jan, leave from the next day 22 Jan–12 May (112 days),
		// sick again 20 May, 7 days after the leave: one track. 21 + 226
		// sick days; 112 + 7 days between; end 1-1-2024 + 728 + 119.
		{"L02", "sickness adjoining the leave, again within four weeks of its end", []trackWant{{"sickness", "2024-01-01", 2, 119, 247, "2026-04-27"}}},
		// The same, sick again 10 Jun: 28 days after the leave ended (back
		// on 13 May), not less than four weeks: a new track.
		{"L03", "four weeks count from the end of the leave", []trackWant{{"sickness", "2024-06-10", 1, 0, 205, "2026-06-08"}}},
		// Sick again 9 Jun: 27 days, one track; end 1-1-2024 + 728 + 112 + 27.
		{"L04", "27 days after the leave", []trackWant{{"sickness", "2024-01-01", 2, 139, 227, "2026-05-17"}}},
		// Pregnancy-related sickness 1–20 Mar, sickness from 25 Mar, 4 days
		// later: pregnancy-related sickness is paid by the Ziektewet (art.
		// 29a ZW) and is not added to other sickness; the sickness track
		// starts on 25 Mar (282 sick days, end 25-3-2024 + 728).
		{"L05", "pregnancy-related sickness does not chain with other sickness", []trackWant{{"sickness", "2024-03-25", 1, 0, 282, "2026-03-23"}}},
		// Pregnancy-related sickness 1–29 Feb adjoining the leave (1 Mar–
		// 20 Jun, 112 days), pregnancy-related sickness again 1 Jul, 10
		// days after: one pregnancy-related track, 29 + 184 sick days.
		{"L07", "pregnancy-related sickness chains with itself across the leave", []trackWant{{"sickness_pregnancy", "2024-02-01", 2, 122, 213, "2026-05-31"}}},
	}
	for _, tt := range tests {
		t.Run(tt.emp, func(t *testing.T) {
			if d := cmp.Diff(tt.want, openTracks(t, s, tt.emp)); d != "" {
				t.Errorf("%s (-want +got):\n%s", tt.rule, d)
			}
		})
	}
}

// Organ donation (Ziektewet vangnet) is not added to other sickness either:
// donation 1–30 Apr, sickness from 6 May (5 days later) is its own track.
func TestSamentellingOrganDonationStandsAlone(t *testing.T) {
	s := samentellingStore(t, "samentelling_organ_absence.csv")
	want := []trackWant{{"sickness", "2024-05-06", 1, 0, 240, "2026-05-04"}}
	if d := cmp.Diff(want, openTracks(t, s, "L06")); d != "" {
		t.Errorf("L06 (-want +got):\n%s", d)
	}
}
