package widgets

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/verzuim/absence/analytics"
)

// Dose is how the cases of each intervention type ended by its number of
// sessions and by completed versus stopped (analytics.Dose).
var Dose = Source[analytics.DoseResult]{"dose", func(ctx context.Context, d Deps, f analytics.Filter) (analytics.DoseResult, error) {
	return analytics.Dose(ctx, d.Reader, f, d.Options)
}}

// CardSessions is the section "Aantal sessies": the share back at the own
// employer and the median days to it, by sessions band and by completed
// versus stopped. Descriptive only, and the section says so: who needs
// more sessions or stops differs from who does not.
type CardSessions struct {
	cardSection
	dose analytics.DoseResult
}

// CardSessionsData is the section as its template shows it.
type CardSessionsData struct {
	Hint string
	Why  string // no group to show: why
	Rows []SessionRow
}

// SessionRow is one group, or why it is hidden.
type SessionRow struct{ Group, Interventions, Back, Median, Why string }

func (*CardSessions) Name() string { return "cardSessions" }

func (w *CardSessions) Load(ctx context.Context, d Deps, v View) error {
	g, gctx := errgroup.WithContext(ctx) // the dose does not wait for the adjusted effect
	g.Go(func() error { return w.cardSection.Load(gctx, d, v) })
	g.Go(func() (err error) { w.dose, err = Dose.Get(gctx, d, v.ThreeYears()); return err })
	return g.Wait()
}

func (w *CardSessions) Render(_ Deps, v View) Output {
	return Output{Data: SessionsOf(v, w.card, w.dose)}
}

// DoseGroupsOf are the dose groups of card c's type, of every provider of
// it (the dose is not split by provider).
func DoseGroupsOf(dose analytics.DoseResult, c Card) []analytics.DoseGroup {
	var out []analytics.DoseGroup
	for _, g := range dose.Groups {
		if g.InterventionType == c.Type {
			out = append(out, g)
		}
	}
	return out
}

// SessionsOf is the sessions section of card c, as the page and the
// download show it.
func SessionsOf(v View, c Card, dose analytics.DoseResult) CardSessionsData {
	out := CardSessionsData{Hint: fmt.Sprintf(v.T("card_sessions_hint"), analytics.DoseReturnDays/30)}
	if c.Provider != "" {
		out.Hint += " " + v.T("card_all_providers_note")
	}
	for _, g := range DoseGroupsOf(dose, c) {
		row := SessionRow{Group: DoseGroupLabel(v, g)}
		if g.Suppressed {
			row.Why = Why(v, analytics.ReasonTooFewCases)
		} else {
			row.Interventions, row.Back = Count(g.Interventions), Pct(v.Lang, g.BackAtOwnEmployer.Pct)
			if ci := g.BackAtOwnEmployer.CI; ci != nil {
				row.Back += " (" + Between(Pct(v.Lang, ci.Low), Pct(v.Lang, ci.High)) + ")"
			}
			row.Median = v.T("card_sessions_no_median")
			if g.MedianDaysToReturn != nil {
				row.Median = days(v, wholeDays(*g.MedianDaysToReturn))
			}
		}
		out.Rows = append(out.Rows, row)
	}
	if len(out.Rows) == 0 {
		out.Why = v.T("card_sessions_none")
	}
	return out
}

// DoseGroupLabel names a dose group: "8-12 sessies", "afgerond".
func DoseGroupLabel(v View, g analytics.DoseGroup) string {
	if g.By == analytics.DoseBySessions {
		return fmt.Sprintf(v.T("card_sessions_band"), g.Band)
	}
	return v.T("card_sessions_" + g.Band)
}
