package datasets

import (
	"sync"
	"testing"
	"time"
)

var defaultExtract = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)

// The organisations are shared by several tests; generating them once keeps
// the package's tests fast.
var (
	org3kOnce, org30kOnce sync.Once
	org3k, org30k         []*Employee
)

// org3000 is the calibration organisation of the brief: 3,000 persons.
func org3000(t testing.TB) []*Employee {
	org3kOnce.Do(func() { org3k = collect(t, Config{Employees: 3000, Seed: 1}) })
	return org3k
}

// org30000 is large enough to show the intervention effects without noise.
func org30000(t testing.TB) []*Employee {
	org30kOnce.Do(func() { org30k = collect(t, Config{Employees: 30000, Seed: 7}) })
	return org30k
}

// TestCalibration checks the DOMAIN.md §5 figures over the last full calendar
// year before the extract date of a 3,000-person organisation.
func TestCalibration(t *testing.T) {
	s := computeStats(org3000(t), defaultExtract)
	t.Logf("calibration (3,000 persons, %d):\n%s", lastFullYear(defaultExtract), s)
	tests := []struct {
		name     string
		got      float64
		min, max float64
	}{
		{"ZVP %", s.zvp, 4.5, 6},
		{"notification frequency", s.frequency, 0.9, 1.4},
		{"zero absence %", s.zeroAbsence, 45, 52},
		{"closed cases ≤ 7 days %", s.durShort, 65, 75},
		{"closed cases 8–42 days %", s.durMid, 16, 24},
		{"closed cases 43–365 days %", s.durLong, 6, 12},
		{"closed cases > 365 days %", s.durExtraLong, 0.3, 2.5},
		{"partial recovery in cases > 6 weeks %", s.partialLong, 35, 65},
		{"relapse within 28 days after long cases %", s.relapseLong, 5, 10},
		{"employees with ≥ 3 cases %", s.frequentAbsentees, 5, 20},
		{"variance/mean of cases per employee (overdispersion)", s.dispersion, 1.3, 3},
		{"pregnancy leaves per women 24–41 %", s.pregnancyPerWomen, 2, 10},
		{"hires % of headcount", s.hires, 6, 15},
		{"leavers % of headcount", s.leavers, 6, 15},
		{"employees with several employment rows %", s.multiRowShare, 10, 50},
		{"part-time employment rows %", s.partTimeShare, 40, 80},
		{"departments", float64(s.departments), 8, 15},
		{"locations", float64(s.locations), 3, 8},
		{"cases reaching week 42, % of headcount", s.week42, 0.4, 2},
		{"interventions on cases > 4 weeks %", s.ivOnLongCases, 80, 100},
	}
	for _, tt := range tests {
		if tt.got < tt.min || tt.got > tt.max {
			t.Errorf("%s = %.2f, want %.2f–%.2f", tt.name, tt.got, tt.min, tt.max)
		}
	}
	if s.zvpQ1 < 1.08*s.zvpQ3 { // CBS: Q1 runs ~15–20% above Q3
		t.Errorf("seasonality: Q1 ZVP %.2f%% should clearly exceed Q3 ZVP %.2f%%", s.zvpQ1, s.zvpQ3)
	}
	if s.teams <= s.departments {
		t.Errorf("%d teams in %d departments: departments should hold several teams", s.teams, s.departments)
	}
	if s.pregnancyLeaves == 0 || s.sicknessPregnancy < 3 {
		t.Errorf("pregnancy: %d leaves in the year, %d sickness_pregnancy cases in all; want both present", s.pregnancyLeaves, s.sicknessPregnancy)
	}
}

// TestInterventionEffects checks the causal story the generator tells: early
// intervention shortens long cases, a return talk halves relapse.
func TestInterventionEffects(t *testing.T) {
	s := computeStats(org30000(t), defaultExtract)
	t.Logf("early intervention: mean %.1f days (n=%d), without: %.1f (n=%d); relapse with return_talk %.1f%% (n=%d), without %.1f%% (n=%d)",
		s.earlyMean, s.earlyN, s.lateMean, s.lateN, s.relapseTalk, s.relapseTalkN, s.relapseNo, s.relapseNN)
	if s.earlyN < 500 || s.lateN < 500 {
		t.Fatalf("too few long cases to compare: %d with, %d without early intervention", s.earlyN, s.lateN)
	}
	if s.earlyMean > 0.95*s.lateMean {
		t.Errorf("cases 43–365 days with an intervention before week 6 last %.1f days on average, without %.1f: want at least 5%% shorter", s.earlyMean, s.lateMean)
	}
	if s.relapseTalk > 0.7*s.relapseNo {
		t.Errorf("relapse after return_talk %.1f%% vs %.1f%% without: want clearly lower", s.relapseTalk, s.relapseNo)
	}
}
