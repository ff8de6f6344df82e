package alerts

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/verzuim/absence/analytics/poortwachter"
)

// The words of an alert, in Dutch (the default) or English: an event
// keeps its facts, so the Signalen page says it in the reader's language
// and a mail in its recipient's, from one table.

// Facts are what an event says, without words.
type Facts struct {
	Named        string    `json:"employer,omitempty"` // the employer as texts name it; "" for the default employer
	Department   string    `json:"department,omitempty"`
	Through      time.Time `json:"through,omitzero"` // the data's extract date
	ZVP          float64   `json:"zvp_pct,omitempty"`
	Low          float64   `json:"low,omitempty"`
	High         float64   `json:"high,omitempty"`
	Before       float64   `json:"before_pct,omitempty"` // the department's rate over the 12 months before
	FirstSickDay time.Time `json:"first_sick_day,omitzero"`
	SickDays     int       `json:"sick_days,omitempty"`
	Milestone    string    `json:"milestone,omitempty"`
	Due          time.Time `json:"due,omitzero"`
	File         string    `json:"file,omitempty"`   // a failed import's file
	Reason       string    `json:"reason,omitempty"` // why it failed, as the import said it
}

// texts are the title and text of each rule per language; the text's
// arguments are given by (Event).In.
var texts = map[string]map[Rule][2]string{
	"nl": {
		ZVPAboveBaseline: {"Verzuim %[1]s gestegen: %[2]s", "%[6]safdeling %[1]s: het verzuimpercentage over de 12 maanden t/m %[3]s is %[2]s (95%%-interval %[4]s – %[5]s), boven het eigen percentage van de 12 maanden daarvoor (%[7]s)."},
		CasePastSixWeeks: {"Verzuim langer dan 6 weken: %[1]s", "%[6]safdeling %[1]s: een verzuimgeval met eerste ziektedag %[8]s is op %[3]s %[9]d ziektedagen oud. De probleemanalyse is nu nodig; zie de Poortwachter-lijst van de afdeling."},
		DeadlineOverdue:  {"Poortwachter-termijn verlopen: %[1]s", "%[6]safdeling %[1]s: de stap %[10]q van een verzuimtraject (eerste ziektedag %[8]s) was uiterlijk %[11]s nodig en is niet vastgelegd; zie de Poortwachter-lijst van de afdeling."},
		ImportFailed:     {"Import mislukt: %[12]s", "De import van %[12]s is niet gelukt en er is niets van opgeslagen: %[13]s"},
	},
	"en": {
		ZVPAboveBaseline: {"Absence in %[1]s has risen: %[2]s", "%[6]sdepartment %[1]s: the absence rate over the 12 months up to %[3]s is %[2]s (95%% interval %[4]s – %[5]s), above its own rate of the 12 months before (%[7]s)."},
		CasePastSixWeeks: {"Absence longer than 6 weeks: %[1]s", "%[6]sdepartment %[1]s: an absence case with first sick day %[8]s is %[9]d days old on %[3]s. The problem analysis is due now; see the department's Poortwachter list."},
		DeadlineOverdue:  {"Poortwachter deadline passed: %[1]s", "%[6]sdepartment %[1]s: the step %[10]q of an absence case (first sick day %[8]s) was due by %[11]s and has not been recorded; see the department's Poortwachter list."},
		ImportFailed:     {"Import failed: %[12]s", "The import of %[12]s failed and nothing of it was stored: %[13]s"},
	},
}

// milestoneNames are the steps as HR calls them.
var milestoneNames = map[string]map[string]string{
	"nl": {poortwachter.SickReport: "ziekmelding arbodienst", poortwachter.ProblemAnalysis: "probleemanalyse",
		poortwachter.ActionPlan: "plan van aanpak", poortwachter.ActionPlanEvaluation: "evaluatie plan van aanpak",
		poortwachter.Week42Report: "42e-weeksmelding", poortwachter.FirstYearEvaluation: "eerstejaarsevaluatie",
		poortwachter.SecondTrackStart: "start spoor 2", poortwachter.WIAApplication: "WIA-aanvraag"},
	"en": {poortwachter.SickReport: "sick report to the occupational health service", poortwachter.ProblemAnalysis: "problem analysis",
		poortwachter.ActionPlan: "action plan", poortwachter.ActionPlanEvaluation: "action plan evaluation",
		poortwachter.Week42Report: "week-42 report", poortwachter.FirstYearEvaluation: "first-year evaluation",
		poortwachter.SecondTrackStart: "start of second track", poortwachter.WIAApplication: "WIA application"},
}

// Languages are the languages alerts are written in; the first is the default.
var Languages = []string{"nl", "en"}

// In is the event's title and text in lang (Dutch for one not known).
func (ev Event) In(lang string) (title, text string) {
	t, ok := texts[lang]
	if !ok {
		lang, t = "nl", texts["nl"]
	}
	f := ev.Facts
	// Dates and percentages as the dashboard's pages write them
	// (dashboard/widgets/format.go): 30-06-2026 and 5,2% in Dutch,
	// 30 Jun 2026 and 5.2% in English.
	date := func(d time.Time) string {
		if lang == "en" {
			return d.Format("2 Jan 2006")
		}
		return d.Format("02-01-2006")
	}
	pct := func(v float64) string {
		s := fmt.Sprintf("%.1f%%", v)
		if lang == "nl" {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	}
	named := ""
	if f.Named != "" {
		named = f.Named + ", "
	}
	args := []any{f.Department, pct(f.ZVP), date(f.Through), pct(f.Low), pct(f.High), named, pct(f.Before),
		date(f.FirstSickDay), f.SickDays, milestoneNames[lang][f.Milestone], date(f.Due), f.File, f.Reason}
	w := t[ev.Rule]
	return fmt.Sprintf(w[0], args...), fmt.Sprintf(w[1], args...)
}

// said fills in ev's Dutch words from its facts.
func said(ev Event) Event {
	ev.Title, ev.Text = ev.In("nl")
	return ev
}

// ImportFailedEvent is the alert of an import of file that failed (told by
// the inbox): employer is "" for the default employer.
func ImportFailedEvent(employer, file, reason string, at time.Time) Event {
	key := cmp.Or(employer, "default") // as the alerts before, so an event keeps its key
	return said(Event{
		Key:  fmt.Sprintf("%s/%s/%s/%s", ImportFailed, key, file, at.UTC().Format(time.RFC3339Nano)),
		Rule: ImportFailed, Employer: key, Link: "/imports",
		Facts: Facts{Named: employer, File: file, Reason: reason},
	})
}
