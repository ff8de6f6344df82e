// Package poortwachter holds the rules of law for long sickness, once: the
// steps of the Wet verbetering Poortwachter with the sick day by which each
// is due, the samentelling rule of art. 7:629 lid 10 BW and the 104 weeks
// of wage continuation. The importer takes the milestone names from here,
// the analytics the due dates and the chaining of periods, the demo
// generator the dates it makes realistic milestone records around.
//
// Days are sick days of a track (wachttijdtraject): sick day n of a track
// without gaps falls on its first sick day + n − 1, so week w ends on sick
// day 7w. A gap between the periods of a track moves every later date by
// its length.
package poortwachter

const (
	// SamentellingGapDays: periods of incapacity that follow each other with
	// fewer days than this between a recovery date and the next first sick
	// day form one track (art. 7:629 lid 10 BW: "minder dan vier weken").
	SamentellingGapDays = 28
	// SixWeeksDays: by the sixth week of sickness the occupational
	// physician's problem analysis is due (Regeling procesgang eerste en
	// tweede ziektejaar, art. 2): the day a case becomes a Poortwachter case
	// that needs a plan.
	SixWeeksDays = 42
	// WageContinuationDays is the 104 weeks of wage continuation (art. 7:629
	// lid 1 BW); the track ends after its 728th sick day.
	WageContinuationDays = 728
)

// Milestone is one step of a track.
type Milestone struct {
	Name string
	// WindowFrom is the sick day on which the step's window opens (0: no
	// window; a step done before its window is early).
	WindowFrom int
	// DueBy is the sick day by which the step is due.
	DueBy int
	// DayAfter: due the day after sick day DueBy; WorkingDay: moved on to the
	// next Monday when that day falls in a weekend (public holidays are not
	// known here).
	DayAfter, WorkingDay bool
	// After and AfterDays: due AfterDays sick days after the date of
	// milestone After. For a Recurring step the first is due that long after
	// After (its recorded date, else its due date) and every next one that
	// long after the previous one; otherwise the step is due then when that
	// comes before DueBy and After was recorded.
	After     string
	AfterDays int
	Recurring bool
	// Lead: a deadline is listed once the track is within Lead sick days of
	// it, so a case is not flagged for steps it is too young to need.
	Lead int
	// Recorded: the step is a milestone an export can record (the end of
	// wage continuation is not).
	Recorded bool
	Source   string
}

// Milestone names, in the order of the timeline.
const (
	SickReport           = "sick_report"
	ProblemAnalysis      = "problem_analysis"
	ActionPlan           = "action_plan"
	ActionPlanEvaluation = "action_plan_evaluation"
	Week42Report         = "week42_report"
	FirstYearEvaluation  = "first_year_evaluation"
	SecondTrackStart     = "second_track_start"
	WIAApplication       = "wia_application"
	Week104End           = "week104_end"
)

// Milestones are the steps of a track, in timeline order.
var Milestones = []Milestone{
	{Name: SickReport, DueBy: 7, Lead: 7, Recorded: true,
		Source: "Wet verbetering Poortwachter; the employer reports the sick employee to the arbodienst or bedrijfsarts within a week (arboned.nl, Ziekmelding)"},
	{Name: ProblemAnalysis, DueBy: SixWeeksDays, Lead: 14, Recorded: true,
		Source: "Wet verbetering Poortwachter: probleemanalyse by the bedrijfsarts by the end of week 6 (verzuimservices.nl; triageexpert.nl)"},
	{Name: ActionPlan, DueBy: 56, Lead: 14, Recorded: true,
		Source: "plan van aanpak by the end of week 8, at most two weeks after the problem analysis (enroutebv.nl; verzuimservices.nl)"},
	{Name: ActionPlanEvaluation, After: ActionPlan, AfterDays: 42, Recurring: true, Lead: 14, Recorded: true,
		Source: "the plan of action is evaluated, and adjusted when needed, at least every six weeks (UWV advice via verzuimservices.nl and enroutebv.nl; DOMAIN.md §7: whether this is a legal duty is open)"},
	{Name: Week42Report, DueBy: 294, DayAfter: true, WorkingDay: true, Lead: 42, Recorded: true,
		Source: "UWV, ziek melden bij UWV: the 42-week report by the first working day after week 42"},
	{Name: FirstYearEvaluation, WindowFrom: 316, DueBy: 364, Lead: 42, Recorded: true,
		Source: "eerstejaarsevaluatie in weeks 46–52, after UWV's letter following the 42-week report"},
	{Name: SecondTrackStart, DueBy: 406, After: FirstYearEvaluation, AfterDays: 42, Lead: 42, Recorded: true,
		Source: "UWV Werkwijzer Poortwachter 05-2020: second track within six weeks of the first-year evaluation"},
	{Name: WIAApplication, WindowFrom: 631, DueBy: 651, Lead: 42, Recorded: true,
		Source: "UWV, bijna 2 jaar ziek: apply for WIA in weeks 91–93"},
	{Name: Week104End, DueBy: WageContinuationDays, DayAfter: true, Lead: 42,
		Source: "art. 7:629 lid 1 BW: 104 weeks of wage continuation"},
}

// Recorded returns the names of the milestones an export can record, in
// timeline order.
func Recorded() []string {
	var out []string
	for _, m := range Milestones {
		if m.Recorded {
			out = append(out, m.Name)
		}
	}
	return out
}

// Names returns every milestone name in timeline order.
func Names() []string {
	out := make([]string, len(Milestones))
	for i, m := range Milestones {
		out[i] = m.Name
	}
	return out
}
