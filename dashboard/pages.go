package dashboard

import (
	"slices"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/widgets"
)

// Who may open what, written once: the routes (routes.go), the menu and the
// links of the pages all read this table.
var (
	analysts = []Role{RoleInstallation, RoleAdmin, RoleHR, RoleManager} // aggregates; a manager sees their own departments
	personal = []Role{RoleInstallation, RoleAdmin, RoleHR}              // pseudonymised persons
	outcomes = []Role{RoleInstallation, RoleAdmin, RoleHR, RoleProvider}
	// The imports: an employer's admin those of their employer, the
	// installation admin every employer's (imports_scope.go).
	admins = []Role{RoleInstallation, RoleAdmin}
	// Pages across employers, with their names.
	providers = []Role{RoleInstallation, RoleProvider}
)

// pageEntry is one page of the dashboard. Adding a chart page is an entry
// here, its template (templates/page_NAME.html) and its widgets.
type pageEntry struct {
	path  string
	name  string // its title's key (i18n.go) and its template
	roles []Role
	// widgets are the page's blocks, loaded side by side (widgets.Run).
	// Nil for a page with its own handler (the imports).
	widgets func() []widgets.Widget
	// by is the page's dimension ("by") when the URL gives none; nil for
	// a page without one.
	by func(v view) analytics.Dimension
	// at: the page reads a reference date ("at").
	at bool
	// threeYears: the page's default period is three years
	// (widgets.View.ThreeYears), and its filter bar says so.
	threeYears bool
}

// pages are the menu, in its order.
var pages = []pageEntry{
	{path: "/", name: "overview", roles: analysts, widgets: func() []widgets.Widget {
		return []widgets.Widget{&widgets.KPITiles{}, &widgets.TrendZVP{}}
	}},
	{path: "/trends", name: "trends", roles: analysts, widgets: func() []widgets.Widget {
		return []widgets.Widget{&widgets.TrendZVP{}, &widgets.TrendZMF{}, &widgets.SeasonZVP{}}
	}},
	{path: "/breakdown", name: "breakdown", roles: analysts, by: breakdownDimension, widgets: func() []widgets.Widget {
		return []widgets.Widget{&widgets.BreakdownZVP{}}
	}},
	{path: "/durations", name: "durations", roles: analysts, by: func(view) analytics.Dimension { return "" }, widgets: func() []widgets.Widget {
		return []widgets.Widget{&widgets.DurationClasses{}, &widgets.SurvivalCurve{}, &widgets.ProgressionMilestones{}, &widgets.CohortGrid{}, &widgets.CaseOutcomes{}}
	}},
	{path: "/poortwachter", name: "poortwachter", roles: personal, widgets: func() []widgets.Widget {
		return []widgets.Widget{&widgets.PoortwachterTracks{}}
	}},
	{path: "/absentees", name: "absentees", roles: personal, at: true, widgets: func() []widgets.Widget {
		return []widgets.Widget{widgets.AbsenteeTable(), widgets.FrequentToLongTable()}
	}},
	{path: "/interventions", name: "interventions", roles: outcomes, threeYears: true, widgets: func() []widgets.Widget {
		return []widgets.Widget{&widgets.OutcomeMix{}, &widgets.RecoveryFromStart{}, widgets.LandmarkTable(), widgets.InterventionTables()}
	}},
	{path: "/clients", name: "clients", roles: providers, widgets: func() []widgets.Widget {
		return []widgets.Widget{&widgets.ClientOverview{}}
	}},
	{path: "/benchmark", name: "benchmark", roles: providers, widgets: func() []widgets.Widget {
		return []widgets.Widget{&widgets.ClientBenchmark{}}
	}},
	{path: "/client-interventions", name: "client_interventions", roles: providers, threeYears: true, widgets: func() []widgets.Widget {
		return []widgets.Widget{&widgets.ClientInterventions{}}
	}},
	{path: "/alerts", name: "alerts", roles: personal},
	{path: "/imports", name: "imports", roles: admins},
}

// breakdownDimension is the breakdown by department, or by team once
// drilled into one department.
func breakdownDimension(v view) analytics.Dimension {
	if len(v.Departments) == 1 && len(v.Teams) == 0 {
		return analytics.ByTeam
	}
	return analytics.ByDepartment
}

// pageAt is the entry of path; it panics for a path not in the table, a
// programming error that every test of the routes finds.
func pageAt(path string) *pageEntry {
	i := slices.IndexFunc(pages, func(e pageEntry) bool { return e.path == path })
	if i < 0 {
		panic("no page " + path)
	}
	return &pages[i]
}

// rolesOf are the roles that may open path, and read its figures through
// the downloads and the API.
func rolesOf(path string) []Role { return pageAt(path).roles }

// menuItem is a link of the menu.
type menuItem struct {
	Path, Name string
	Active     bool
}

// menu is the pages role may open.
func menu(role Role, current string) []menuItem {
	var out []menuItem
	for _, e := range pages {
		if slices.Contains(e.roles, role) {
			out = append(out, menuItem{Path: e.path, Name: e.name, Active: e.name == current})
		}
	}
	return out
}
