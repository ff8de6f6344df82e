package widgets

import (
	"cmp"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/verzuim/absence/analytics"
)

// The Poortwachter worklist: every open track once, with its department and
// team and the step that makes it urgent, nearest deadline first, so an HR
// person sees what is due this week. Overdue steps are on top (the longest
// overdue first). Identity stays pseudonymised.

// Worklist statuses: what the next step of a track asks for.
const (
	workLate     = "late"    // a step is past due and not recorded
	workThisWeek = "week"    // the next step is due within 7 days of the extract date
	workPlanned  = "planned" // the next step is due later
	workDone     = "done"    // every step due so far is recorded, none is coming
	workUnknown  = "unknown" // past steps without milestone data, none coming
	weekDays     = 7         // "deze week"
	fourWeekDays = 4 * 7     // "komende 4 weken"
	WorklistPage = 50        // tracks per page: the page stays short
	worklistAll  = "all"     // the view without a horizon
	worklistWeek = "week"    // overdue and due within 7 days
	worklist4W   = "4weeks"  // overdue and due within 28 days
	noDue        = 1 << 30   // days left of a track without a coming step: last
)

// WorklistViews are the views of the list, in the order of their tabs.
var WorklistViews = []string{worklistWeek, worklist4W, worklistAll}

// WorkItem is one open track on the worklist.
type WorkItem struct {
	EmployeeID string
	Department string
	Team       string
	Week       int
	Week104End analytics.Date
	// The step that makes the track urgent: its earliest missed step, else
	// its earliest coming one; empty for a track with neither.
	Milestone  string
	Occurrence int
	Due        *analytics.Date
	DaysLeft   int // due date − extract date; negative when overdue
	Status     string
}

// WorklistQuery is what the user asked of the list: the view, a search in
// department and team, and the page.
type WorklistQuery struct {
	View   string // worklistWeek, worklist4W or worklistAll
	Search string
	Page   int // 1-based
}

// WorklistQueryOf reads the list's parameters (view, q, page) from a
// request's query; an unknown view is the default, all open tracks.
func WorklistQueryOf(q url.Values) WorklistQuery {
	w := WorklistQuery{View: q.Get("view"), Search: strings.TrimSpace(q.Get("q"))}
	if !slices.Contains(WorklistViews, w.View) {
		w.View = worklistAll
	}
	w.Page, _ = strconv.Atoi(q.Get("page"))
	w.Page = max(w.Page, 1)
	return w
}

// Worklist is the list as the page shows it.
type Worklist struct {
	WorklistQuery
	Items []WorkItem // this page's
	Total int        // tracks in the view after the search
	Pages int
	// Counts are the tracks per view (after the search), for the tabs.
	Counts map[string]int
	Late   int // overdue tracks in the view
}

// workItem is open track t on the worklist, with extract the data's
// extract date.
func workItem(t analytics.Track, extract time.Time) WorkItem {
	w := WorkItem{EmployeeID: t.EmployeeID, Department: t.Department, Team: t.Team, Week: t.Week, Week104End: t.Week104End, DaysLeft: noDue}
	// The earliest missed step, else the earliest coming one.
	var next *analytics.MilestoneStatus
	for i, m := range t.Milestones {
		if m.Status != analytics.StatusMissing && m.Status != analytics.StatusUpcoming {
			continue
		}
		switch missed := m.Status == analytics.StatusMissing; {
		case next == nil, missed && next.Status != analytics.StatusMissing:
			next = &t.Milestones[i]
		case m.Status == next.Status && m.Due.Before(next.Due.Time):
			next = &t.Milestones[i]
		}
	}
	if next == nil {
		w.Status = workDone
		if slices.ContainsFunc(t.Milestones, func(m analytics.MilestoneStatus) bool { return m.Status == analytics.StatusUnknown }) {
			w.Status = workUnknown
		}
		return w
	}
	w.Milestone, w.Occurrence, w.Due = next.Milestone, next.Occurrence, &next.Due
	w.DaysLeft = int(math.Round(next.Due.Sub(extract).Hours() / 24))
	switch {
	case next.Status == analytics.StatusMissing:
		w.Status = workLate
	case w.DaysLeft <= weekDays:
		w.Status = workThisWeek
	default:
		w.Status = workPlanned
	}
	return w
}

// inView says whether the item belongs to the view: the week and four-week
// views hold the overdue tracks and those due within their horizon.
func (w WorkItem) inView(view string) bool {
	switch view {
	case worklistWeek:
		return w.Due != nil && w.DaysLeft <= weekDays
	case worklist4W:
		return w.Due != nil && w.DaysLeft <= fourWeekDays
	}
	return true
}

// matches says whether the search is in the item's department or team
// (case-insensitive; an empty search matches every item).
func (w WorkItem) matches(search string) bool {
	s := strings.ToLower(search)
	return strings.Contains(strings.ToLower(w.Department), s) || strings.Contains(strings.ToLower(w.Team), s)
}

// Select is the worklist of the open tracks of res for q: every item of
// the view matching the search (all of them with q.Page 0, for a
// download), or one page of them.
func Select(res analytics.TracksResult, q WorklistQuery) Worklist {
	items := make([]WorkItem, 0, len(res.Open))
	for _, t := range res.Open {
		items = append(items, workItem(t, res.ExtractDate.Time))
	}
	// Nearest deadline first: the overdue ones (negative days) on top, the
	// longest overdue first.
	slices.SortStableFunc(items, func(a, b WorkItem) int {
		return cmp.Or(cmp.Compare(a.DaysLeft, b.DaysLeft), strings.Compare(a.EmployeeID, b.EmployeeID))
	})
	out := Worklist{WorklistQuery: q, Counts: map[string]int{}}
	var shown []WorkItem
	for _, w := range items {
		if !w.matches(q.Search) {
			continue
		}
		for _, v := range WorklistViews {
			if w.inView(v) {
				out.Counts[v]++
			}
		}
		if w.inView(q.View) {
			shown = append(shown, w)
			if w.Status == workLate {
				out.Late++
			}
		}
	}
	out.Total = len(shown)
	out.Pages = max(1, (len(shown)+WorklistPage-1)/WorklistPage)
	if q.Page == 0 {
		out.Items = shown
		return out
	}
	out.Page = min(q.Page, out.Pages)
	from := (out.Page - 1) * WorklistPage
	out.Items = shown[from:min(len(shown), from+WorklistPage)]
	return out
}

// Views are the list's views, for the tabs.
func (Worklist) Views() []string { return WorklistViews }

// Prev and Next are the numbers of the pages before and after this one.
func (l Worklist) Prev() int { return l.Page - 1 }
func (l Worklist) Next() int { return l.Page + 1 }
