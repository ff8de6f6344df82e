// Package alerts evaluates the alert rules over an employer's data: a
// department whose rolling 12-month absence rate rose beyond its interval
// above its own previous year, a case passing six weeks, a Poortwachter
// deadline overdue. Each finding is an Event with a key that names the
// event once, so the caller sends it once however often the rules run.
// Events respect suppression: none is about a group too small to show, and
// none names a person — a case is named by its department, with a link to
// the list where HR finds it.
package alerts

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"time"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/analytics/poortwachter"
)

// Rule is a kind of alert.
type Rule string

const (
	ZVPAboveBaseline Rule = "zvp_above_baseline"
	CasePastSixWeeks Rule = "case_past_six_weeks"
	DeadlineOverdue  Rule = "poortwachter_overdue"
	ImportFailed     Rule = "import_failed" // told by the inbox, not evaluated here
)

// Rules are every rule, for checking a configuration.
var Rules = []Rule{ZVPAboveBaseline, CasePastSixWeeks, DeadlineOverdue, ImportFailed}

// NewCaseDays: a case that passed six weeks this many days ago or less is
// new. An older one was alerted before, or predates the alerts: the
// worklist has it.
const NewCaseDays = 14

// Event is one finding. Its Facts say it in any language (In); Title and
// Text are its Dutch words.
type Event struct {
	Key        string `json:"key"` // the same for the same event, every run
	Rule       Rule   `json:"rule"`
	EmployerID int64  `json:"employer_id,omitempty"`
	Employer   string `json:"employer,omitempty"`
	Department string `json:"department,omitempty"`
	Title      string `json:"title"`
	Text       string `json:"text"`
	Link       string `json:"link,omitempty"` // a dashboard path with its filter
	Facts      Facts  `json:"facts"`
}

// Employer is whose data the rules read. The default employer (an
// organisation that imports only its own data) is not named in texts and
// links.
type Employer struct {
	ID      int64
	Name    string
	Default bool
}

// named is the employer's name as texts give it: none for the default.
func (e Employer) named() string {
	if e.Default {
		return ""
	}
	return e.Name
}

// Evaluate runs rules over employer e's data up to its extract date.
func Evaluate(ctx context.Context, q analytics.Querier, opt analytics.Options, e Employer, rules []Rule) ([]Event, error) {
	extract, err := analytics.LatestExtractDate(ctx, q, e.ID)
	if err != nil || extract.IsZero() {
		return nil, err
	}
	year := analytics.Filter{From: extract.AddDate(-1, 0, 1), To: extract, Employers: []int64{e.ID}}
	depts, err := analytics.Breakdown(ctx, q, year, analytics.ByDepartment, opt)
	if err != nil {
		return nil, fmt.Errorf("alerts for %s: %w", e.Name, err)
	}
	shown := map[string]bool{} // departments large enough to name
	for _, g := range depts.Groups {
		shown[g.Key] = !g.Suppressed
	}
	var out []Event
	for _, r := range rules {
		var evs []Event
		switch r {
		case ZVPAboveBaseline:
			evs, err = zvpAboveBaseline(ctx, q, opt, e, year, depts)
		case CasePastSixWeeks, DeadlineOverdue:
			evs, err = trackEvents(ctx, q, opt, e, year, r, shown)
		}
		if err != nil {
			return nil, fmt.Errorf("alerts for %s: %w", e.Name, err)
		}
		out = append(out, evs...)
	}
	return out, nil
}

// zvpAboveBaseline: the department's rolling 12-month ZVP, with its 95%
// interval wholly above the same department's ZVP of the 12 months before.
// Once per department and extract month.
func zvpAboveBaseline(ctx context.Context, q analytics.Querier, opt analytics.Options, e Employer, year analytics.Filter, cur analytics.BreakdownResult) ([]Event, error) {
	before := year
	before.From, before.To = year.From.AddDate(-1, 0, 0), year.From.AddDate(0, 0, -1)
	prev, err := analytics.Breakdown(ctx, q, before, analytics.ByDepartment, opt)
	if err != nil {
		return nil, err
	}
	baseline := map[string]*float64{}
	for _, g := range prev.Groups {
		if !g.Suppressed {
			baseline[g.Key] = g.ZVP
		}
	}
	var out []Event
	for _, g := range cur.Groups {
		base := baseline[g.Key]
		if g.Suppressed || g.ZVP == nil || g.ZVPInterval == nil || base == nil || g.ZVPInterval.Low <= *base {
			continue
		}
		out = append(out, said(Event{
			Key:  fmt.Sprintf("%s/%d/%s/%s", ZVPAboveBaseline, e.ID, g.Key, year.To.Format("2006-01")),
			Rule: ZVPAboveBaseline, EmployerID: e.ID, Employer: e.Name, Department: g.Key,
			Link:  e.link("/breakdown", g.Key),
			Facts: Facts{Named: e.named(), Department: g.Key, Through: year.To, ZVP: *g.ZVP, Low: g.ZVPInterval.Low, High: g.ZVPInterval.High, Before: *base},
		}))
	}
	return out, nil
}

// trackEvents are the open Poortwachter tracks that passed six weeks
// lately, or the milestones overdue, each named by its department — only
// when the department is large enough to show.
func trackEvents(ctx context.Context, q analytics.Querier, opt analytics.Options, e Employer, year analytics.Filter, r Rule, shown map[string]bool) ([]Event, error) {
	res, err := analytics.Tracks(ctx, q, year, analytics.TrackOptions{}, opt)
	if err != nil {
		return nil, err
	}
	var out []Event
	add := func(employee string, key string, facts Facts) error {
		dept, err := departmentOf(ctx, q, e.ID, employee, year.To)
		if err != nil || !shown[dept] {
			return err
		}
		facts.Named, facts.Department = e.named(), dept
		out = append(out, said(Event{Key: key, Rule: r, EmployerID: e.ID, Employer: e.Name, Department: dept,
			Link: e.link("/poortwachter", dept), Facts: facts}))
		return nil
	}
	switch r {
	case CasePastSixWeeks:
		for _, t := range res.Open {
			if t.SickDays < poortwachter.SixWeeksDays || t.SickDays >= poortwachter.SixWeeksDays+NewCaseDays {
				continue
			}
			key := fmt.Sprintf("%s/%d/%s/%s", r, e.ID, t.EmployeeID, t.FirstSickDay.Format(time.DateOnly))
			err = add(t.EmployeeID, key, Facts{FirstSickDay: t.FirstSickDay.Time, Through: year.To, SickDays: t.SickDays})
			if err != nil {
				return nil, err
			}
		}
	case DeadlineOverdue:
		for _, d := range res.Overdue {
			key := fmt.Sprintf("%s/%d/%s/%s/%d/%s", r, e.ID, d.EmployeeID, d.Milestone, d.Occurrence, d.Due.Format(time.DateOnly))
			err = add(d.EmployeeID, key, Facts{Milestone: d.Milestone, FirstSickDay: d.FirstSickDay.Time, Due: d.Due.Time})
			if err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// departmentOf is the department of an employee's employment on day.
func departmentOf(ctx context.Context, q analytics.Querier, employer int64, employee string, day time.Time) (string, error) {
	var dept string
	err := q.QueryRowContext(ctx, `SELECT department FROM employments
		WHERE employer_id = $employer AND start_date <= $day
			AND employee_key = (SELECT employee_key FROM employees WHERE employer_id = $employer AND pseudonym = $employee)
		ORDER BY (end_date IS NULL OR end_date >= $day) DESC, start_date DESC LIMIT 1`,
		sql.Named("employer", employer), sql.Named("employee", employee), sql.Named("day", day)).Scan(&dept)
	if err != nil {
		return "", fmt.Errorf("department of a case: %w", err)
	}
	return dept, nil
}

// link is a dashboard path filtered to the employer and department.
func (e Employer) link(path, dept string) string {
	q := url.Values{"dept": {dept}}
	if !e.Default {
		q.Set("employer", e.Name)
	}
	return path + "?" + q.Encode()
}
