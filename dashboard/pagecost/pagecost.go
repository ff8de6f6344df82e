// Package pagecost lists the dashboard's pages that compute figures with
// the analytics calls each needs, so a benchmark can time a page with an
// empty cache against those calls made directly (dashboard's
// BenchmarkPagesVsAnalytics, cmd/absence's TestSpeedTable), and a test can
// check that a cold page computes exactly these figures, each once
// (dashboard's TestColdPageFigures).
package pagecost

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/widgets"
)

// Page is a page as its default view shows it: the 12 months up to the
// extract date (three years on the Interventies pages), no filter.
type Page struct {
	Name, Path string
	// Role is the account that opens it: "hr", or "provider" for the
	// provider's pages.
	Role string
	// Figures are the figures the page computes with an empty cache, by
	// their name in the metrics (absence_figure_computation_seconds), and
	// how many of each: the filter bar's lists and the widgets' figures.
	Figures map[string]int
	// Analytics makes the calls the page's widgets need, one after the
	// other; not the filter bar's lists, which count as the page's own
	// cost.
	Analytics func(ctx context.Context, q analytics.Querier) error
}

// Scope is whose figures the pages show: the employers of the accounts
// (Filter.Employers), and the provider of the provider's account; Options
// are the server's.
type Scope struct {
	Extract   time.Time
	Employers []int64
	Provider  string
	Options   analytics.Options
}

// filterBar is what the filter bar computes on every page: its lists of
// departments and locations.
var filterBar = map[string]int{"values/department": 1, "values/location": 1}

func with(figures map[string]int) map[string]int {
	out := map[string]int{}
	for _, m := range []map[string]int{filterBar, figures} {
		for k, n := range m {
			out[k] += n
		}
	}
	return out
}

// Pages are the pages that compute figures, in the menu's order, with the
// evidence card of the first card type.
func Pages(sc Scope) []Page {
	opt := sc.Options
	year := analytics.Filter{From: sc.Extract.AddDate(-1, 0, 1), To: sc.Extract, Employers: sc.Employers}
	previous := widgets.View{Filter: year}.Previous().Filter
	threeYears := year
	threeYears.From = sc.Extract.AddDate(-3, 0, 1)
	fiveYears := year // the season chart: the last five calendar years
	fiveYears.From = time.Date(sc.Extract.Year()-4, 1, 1, 0, 0, 0, 0, time.UTC)
	clients := year // a provider's clients, to their extract date
	clients.Providers, clients.ExtractDate = []string{sc.Provider}, sc.Extract
	at := analytics.DefaultReferenceDate(sc.Extract) // the absentees' reference date
	card := widgets.CardTypes()[0]
	return []Page{
		{"overview", "/", "hr", with(map[string]int{"kpis": 2, "series": 1}), func(ctx context.Context, q analytics.Querier) error {
			_, e1 := analytics.KPIs(ctx, q, year, opt)
			_, e2 := analytics.KPIs(ctx, q, previous, opt)
			_, e3 := analytics.Series(ctx, q, year, analytics.Monthly, opt)
			return errors.Join(e1, e2, e3)
		}},
		{"trends", "/trends", "hr", with(map[string]int{"series": 2}), func(ctx context.Context, q analytics.Querier) error {
			_, e1 := analytics.Series(ctx, q, year, analytics.Monthly, opt)
			_, e2 := analytics.Series(ctx, q, fiveYears, analytics.Monthly, opt)
			return errors.Join(e1, e2)
		}},
		{"breakdown", "/breakdown", "hr", with(map[string]int{"breakdown/department": 1}), func(ctx context.Context, q analytics.Querier) error {
			_, err := analytics.Breakdown(ctx, q, year, analytics.ByDepartment, opt)
			return err
		}},
		{"durations", "/durations", "hr", with(map[string]int{"kpis": 1, "survival": 1, "progression": 2, "outcomes/": 1}), func(ctx context.Context, q analytics.Querier) error {
			_, e1 := analytics.KPIs(ctx, q, year, opt)
			_, e2 := analytics.Survival(ctx, q, year, "", opt)
			_, e3 := analytics.Progression(ctx, q, year, analytics.ProgressionOptions{}, opt)
			_, e4 := analytics.Progression(ctx, q, threeYears, analytics.ProgressionOptions{}, opt)
			_, e5 := analytics.Outcomes(ctx, q, threeYears, "", analytics.OutcomesOptions{AllTimes: true}, opt)
			return errors.Join(e1, e2, e3, e4, e5)
		}},
		{"poortwachter", "/poortwachter", "hr", with(map[string]int{"tracks": 1}), func(ctx context.Context, q analytics.Querier) error {
			_, err := analytics.Tracks(ctx, q, year, analytics.TrackOptions{DeadlineWeeks: 6}, opt)
			return err
		}},
		{"absentees", "/absentees", "hr", with(map[string]int{"absentees": 1, "frequent-to-long/" + at.Format(time.DateOnly): 1}), func(ctx context.Context, q analytics.Querier) error {
			_, e1 := analytics.FrequentAbsentees(ctx, q, year, opt)
			_, e2 := analytics.FrequentToLong(ctx, q, year, at, opt)
			return errors.Join(e1, e2)
		}},
		{"interventions", "/interventions", "hr", with(map[string]int{"interventions": 1, "landmark": 1}), func(ctx context.Context, q analytics.Querier) error {
			_, e1 := analytics.Interventions(ctx, q, threeYears, opt)
			_, e2 := analytics.Landmark(ctx, q, threeYears, analytics.LandmarkOptions{}, opt)
			return errors.Join(e1, e2)
		}},
		{"card", "/interventions/card/" + card, "hr", with(map[string]int{"adjusted": 1, "intervention_cost": 1, "dose": 1}), func(ctx context.Context, q analytics.Querier) error {
			adj, e1 := analytics.Adjusted(ctx, q, threeYears, analytics.AdjustedOptions{}, opt)
			_, e2 := analytics.InterventionCosts(ctx, q, threeYears, adj, opt)
			_, e3 := analytics.Dose(ctx, q, threeYears, opt)
			return errors.Join(e1, e2, e3)
		}},
		{"clients", "/clients", "provider", with(map[string]int{"breakdown/employer": 1, "deadlines/employer": 1}), func(ctx context.Context, q analytics.Querier) error {
			_, e1 := analytics.BreakdownByEmployer(ctx, q, clients, opt)
			_, e2 := analytics.DeadlinesByEmployer(ctx, q, clients, analytics.TrackOptions{DeadlineWeeks: 6}, opt)
			return errors.Join(e1, e2)
		}},
	}
}

// Shown is nil when a page's HTML shows every figure: none "being
// computed" (data-pending), none failed (widget-error).
func Shown(html []byte) error {
	for _, mark := range []string{"data-pending", "widget-error"} {
		if bytes.Contains(html, []byte(mark)) {
			return fmt.Errorf("the page has a widget marked %s", mark)
		}
	}
	return nil
}
