package widgets

import (
	"fmt"

	"github.com/verzuim/absence/analytics"
)

// CardGroups says what was compared and how many cases each group has:
// the cases still absent at the landmark day with and without the
// intervention, and every case in the model that drops nobody.
type CardGroups struct{ cardSection }

// CardGroupsData is the section as its template shows it.
type CardGroupsData struct {
	Intro  []string
	Tables []ArmTable
}

// ArmTable is one comparison's groups, or why it has none to show.
type ArmTable struct {
	Title string
	Why   string // suppressed: the reason in words, and no figures
	Arms  []ArmRow
}

// ArmRow is one group: its cases and their returns to the own employer.
type ArmRow struct {
	Label          string
	Cases, Returns *int64
}

func (*CardGroups) Name() string { return "cardGroups" }

func (w *CardGroups) Render(_ Deps, v View) Output { return Output{Data: GroupsOf(v, w.fig)} }

// GroupsOf are the groups of card figures f, as the section and the
// download show them.
func GroupsOf(v View, f CardFigures) CardGroupsData {
	if !f.Given() {
		return CardGroupsData{Intro: []string{NotGiven(v, f.Card)}}
	}
	l, with := f.Landmark(), With(v, f.Type)
	data := CardGroupsData{Intro: []string{fmt.Sprintf(v.T("card_groups_landmark"), l, with), v.T("card_groups_all")}}
	landmark := ArmTable{Title: fmt.Sprintf(v.T("card_groups_landmark_title"), l)}
	if e, ok := shown(f.IPW, f.Cox); ok {
		landmark.Arms = []ArmRow{
			{fmt.Sprintf(v.T("card_arm_treated_landmark"), with, l), e.NTreated, e.EventsTreated},
			{fmt.Sprintf(v.T("card_arm_control_landmark"), l), e.NControl, e.EventsControl},
		}
	} else {
		landmark.Why = Why(v, f.IPW.Reason)
	}
	all := ArmTable{Title: v.T("card_groups_all_title")}
	if e := f.TimeVarying; !e.Suppressed {
		all.Arms = []ArmRow{
			{fmt.Sprintf(v.T("card_arm_treated_all"), with), e.NTreated, e.EventsTreated},
			{v.T("card_arm_control_all"), e.NControl, e.EventsControl},
		}
	} else {
		all.Why = Why(v, e.Reason)
	}
	data.Tables = []ArmTable{landmark, all}
	return data
}

// shown is the first of the estimates that is not suppressed.
func shown(es ...analytics.AdjustedEstimate) (analytics.AdjustedEstimate, bool) {
	for _, e := range es {
		if !e.Suppressed {
			return e, true
		}
	}
	return analytics.AdjustedEstimate{}, false
}
