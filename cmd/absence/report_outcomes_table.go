package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/analytics/reports"
)

// writeOutcomeTable writes an outcome report as a table for people.
func writeOutcomeTable(w io.Writer, out any) error {
	switch r := out.(type) {
	case analytics.SurvivalResult:
		return survivalTable(w, r)
	case analytics.ProgressionResult:
		return progressionTable(w, r)
	case analytics.TracksResult:
		return tracksTable(w, r)
	case reports.Interventions:
		return interventionsTable(w, r)
	case analytics.OutcomesResult:
		return outcomesTable(w, r)
	case analytics.FrequentToLongResult:
		return frequentToLongTable(w, r)
	}
	return fmt.Errorf("report: no table for %T", out)
}

// newTable makes a table of aligned columns, and the function that writes
// one row of it.
func newTable(w io.Writer) (*tabwriter.Writer, func(cells ...string)) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	return tw, func(cells ...string) { fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t") }
}

// survivalTable: the Kaplan–Meier curves per group, with the log-rank test.
func survivalTable(w io.Writer, r analytics.SurvivalResult) error {
	tw, row := newTable(w)
	ocHeader(w, r.Coverage, "Time to the end of the case (Kaplan–Meier) of the sickness cases starting")
	row("GROUP", "CASES", "EMPLOYEES", "ENDED", "OPEN", "MEDIAN DAYS", "95% CI", "STILL ABSENT 7d", "42d", "91d", "365d")
	for _, c := range append(append([]analytics.Curve{}, r.Strata...), r.Total) {
		name := c.Key
		if c.Parent != "" {
			name = c.Parent + " / " + c.Key
		}
		if c.Suppressed {
			name += " (suppressed)"
		}
		cells := []string{name, ocCount(c.Cases), ocCount(c.Employees), ocCount(c.Events), ocCount(c.Censored), ocNum(c.Median, 1), ocBounds(c.MedianCI, 1)}
		for _, d := range []int{7, 42, 91, 365} {
			cells = append(cells, ocSurvPct(c.Points, d))
		}
		row(cells...)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if lr := r.LogRank; lr != nil {
		fmt.Fprintf(w, "\nLog-rank test over %d groups: chi-square %.2f on %d df, p = %.3g.\n", len(lr.Groups), lr.ChiSquare, lr.DF, lr.P)
	}
	return nil
}

// progressionTable: the share still absent per start cohort.
func progressionTable(w io.Writer, r analytics.ProgressionResult) error {
	tw, row := newTable(w)
	ocHeader(w, r.Coverage, "Share of new sickness cases still absent, cases starting")
	cells := []string{"COHORT", "CASES"}
	for _, d := range r.Days {
		cells = append(cells, fmt.Sprintf("%dd %%", d), "95% CI")
	}
	row(cells...)
	for _, p := range append(append([]analytics.ProgressionRow{}, r.Cohorts...), r.Total) {
		name := p.Cohort
		if p.Suppressed {
			name += " (suppressed)"
		}
		cells := []string{name, ocCount(p.Cases)}
		for _, s := range p.StillAbsent {
			cells = append(cells, ocNum(s.Pct, 1), ocBounds(s.CI, 1))
		}
		row(cells...)
	}
	return tw.Flush()
}

// tracksTable: open Poortwachter tracks, deadlines and compliance.
func tracksTable(w io.Writer, r analytics.TracksResult) error {
	tw, row := newTable(w)
	ocHeader(w, r.Coverage, "Poortwachter tracks; compliance of the milestones due")
	fmt.Fprintf(w, "%d open tracks. Deadlines in the %d weeks after the extract date:\n", len(r.Open), r.DeadlineWeeks)
	row("DUE", "DAYS LEFT", "MILESTONE", "WINDOW FROM", "EMPLOYEE", "TRACK SINCE")
	for _, d := range r.Deadlines {
		row(ocDay(d.Due.Time), strconv.Itoa(d.DaysLeft), ocMilestone(d), ocDatePtr(d.WindowFrom), d.EmployeeID, ocDay(d.FirstSickDay.Time))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if !r.MilestoneData {
		fmt.Fprintln(w, "\nNo milestone dates imported: no compliance figures.")
		return nil
	}
	fmt.Fprintf(w, "\n%d milestones of open tracks overdue. Compliance:\n", len(r.Overdue))
	if r.ComplianceSuppressed {
		fmt.Fprintln(w, "(suppressed: too few employees or tracks)")
		return nil
	}
	row("MILESTONE", "DUE", "ON TIME", "EARLY", "LATE", "MISSING")
	for _, c := range r.Compliance {
		row(c.Milestone, ocCount(c.Due), ocCount(c.OnTime), ocCount(c.Early), ocCount(c.Late), ocCount(c.Missing))
	}
	return tw.Flush()
}

// interventionsTable: per type and provider, relapse, the landmark
// comparison, the adjusted effect, dose and cost.
func interventionsTable(w io.Writer, r reports.Interventions) error {
	tw, row := newTable(w)
	iv := r.Interventions
	ocHeader(w, iv.Coverage, "Interventions started")
	fmt.Fprintf(w, "%d interventions, %d not linked to a sickness case%s.\n", iv.Interventions, iv.Unlinked, ocUnlinked(iv.UnlinkedReasons))
	row("TYPE / PROVIDER / EMPLOYER", "N", "CASES", "DAYS TO START (MEDIAN)", "MEDIAN DAYS TO END OF CASE", "OWN EMPLOYER 91d %", "182d %", "365d %")
	for _, g := range iv.Groups {
		name := g.Type
		if g.Provider != "" {
			name = "  " + g.Provider
		}
		if g.Suppressed {
			name += " (suppressed)"
		}
		row(name, ocCount(g.Interventions), ocCount(g.Cases), ocNum(g.DaysToStartMedian, 0), ocNum(g.Recovery.Median, 1),
			ocNum(g.ReturnToWork[0].Pct, 1), ocNum(g.ReturnToWork[1].Pct, 1), ocNum(g.ReturnToWork[2].Pct, 1))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if err := relapseTable(w, iv); err != nil {
		return err
	}
	lm := r.Landmark
	fmt.Fprintln(w, "\nEffectiveness by landmark (cases still absent at day L, followed from L):")
	row("COMPARISON", "TYPE", "L", "ARM", "N", "MEDIAN DAYS AFTER L", "95% CI", "HR (95% CI)", "p")
	for _, c := range lm.Comparisons {
		hr, p := "-", "-"
		if c.HazardRatio != nil {
			hr = fmt.Sprintf("%.2f (%.2f–%.2f)", c.HazardRatio.Estimate, c.HazardRatio.Low, c.HazardRatio.High)
		}
		if c.LogRank != nil {
			p = fmt.Sprintf("%.2g", c.LogRank.P)
		}
		for i, a := range c.Arms {
			name := a.Arm
			if a.Suppressed {
				name += " (suppressed)"
			}
			if i > 0 {
				row("", "", "", name, ocCount(a.Cases), ocNum(a.Median, 1), ocBounds(a.MedianCI, 1), "", "")
			} else {
				row(c.Kind, c.Type, strconv.Itoa(c.Landmark), name, ocCount(a.Cases), ocNum(a.Median, 1), ocBounds(a.MedianCI, 1), hr, p)
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nAdjusted effect on the return to the own employer (hazard ratio above 1: back sooner with the intervention):")
	row("TYPE / PROVIDER / EMPLOYER", "METHOD", "L", "HR (95% CI)", "TREATED", "CONTROL", "MEDIAN DIFFERENCE (95% CI)")
	for _, e := range r.Adjusted {
		name := e.InterventionType
		if e.Provider != nil {
			name = "  " + *e.Provider
		}
		if e.Employer != nil {
			name = "  employer " + *e.Employer
		}
		l := "-"
		if e.LandmarkDay != nil {
			l = strconv.Itoa(*e.LandmarkDay)
		}
		if e.Suppressed {
			row(name, e.Method, l, "suppressed: "+e.Reason, "", "", "")
			continue
		}
		diff := "-"
		if e.MedianDifference != nil {
			diff = ocNum(e.MedianDifference, 0) + " " + ocBounds(e.MedianDifferenceCI, 0)
		}
		row(name, e.Method, l, fmt.Sprintf("%.2f (%.2f–%.2f)", *e.HazardRatio, *e.Lower, *e.Upper), ocCount(e.NTreated), ocCount(e.NControl), diff)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return doseAndCostTables(w, r)
}

func ocNum(p *float64, decimals int) string {
	if p == nil {
		return "-"
	}
	return strconv.FormatFloat(*p, 'f', decimals, 64)
}

func ocCount(p *int64) string {
	if p == nil {
		return "-"
	}
	return strconv.FormatInt(*p, 10)
}

func ocBounds(b *analytics.Bounds, decimals int) string {
	if b == nil {
		return "-"
	}
	return ocNum(b.Low, decimals) + "–" + ocNum(b.High, decimals)
}

func ocHeader(w io.Writer, c analytics.Coverage, what string) {
	cut := ""
	if c.CutAtExtract {
		cut = " (cut at the extract date)"
	}
	fmt.Fprintf(w, "%s, %s to %s%s; absence data up to %s.\n", what, ocDay(c.From.Time), ocDay(c.To.Time), cut, ocDay(c.ExtractDate.Time))
	fmt.Fprintln(w, "'-' is suppressed (too few employees or cases) or not estimable; see --format json for the definitions.")
	fmt.Fprintln(w)
}

func ocDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

func ocDatePtr(d *analytics.Date) string {
	if d == nil {
		return ""
	}
	return ocDay(d.Time)
}

// ocMilestone names a deadline's milestone, numbering the evaluations.
func ocMilestone(d analytics.Deadline) string {
	if d.Occurrence > 0 {
		return fmt.Sprintf("%s %d", d.Milestone, d.Occurrence)
	}
	return d.Milestone
}

// survPct is the % still absent after d days, read off a curve; "-" past
// its end.
func ocSurvPct(pts []analytics.KMPoint, d int) string {
	if len(pts) == 0 || (d > pts[len(pts)-1].T && pts[len(pts)-1].Surv > 0) {
		return "-"
	}
	s := 1.0
	for _, p := range pts {
		if p.T > d {
			break
		}
		s = p.Surv
	}
	return strconv.FormatFloat(100*s, 'f', 1, 64)
}
