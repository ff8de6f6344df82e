package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/sheet"
)

// OutcomeKinds are the outcome reports of `absence report KIND`.
var outcomeKinds = []string{"survival", "outcomes", "progression", "tracks", "interventions", "frequent-to-long"}

// runOutcomeReport prints one of the outcome analyses:
//
//	absence report survival      [--by DIM] [--robust]       time to the end of the case (Kaplan–Meier), per group, log-rank
//	absence report outcomes      [--by DIM] [--all-times]    how the cases ended (Aalen–Johansen), long cases
//	absence report progression   [--cohort month|quarter] [--weeks N]   % still absent at 7/42/91/365/728 days, cohort grid
//	absence report tracks        [--weeks N]                 open Poortwachter tracks, deadlines, milestone compliance
//	absence report interventions [--landmark L[,L…]] [--relapse-index-days N]   per type/provider, relapse, landmark comparisons
//	absence report frequent-to-long [--at D]                 frequent absentees at D: a long case within 12/24/48 months
//
// with the common flags --db, --from, --to (default: the 12 months up to the
// extract date), --extract-date, --min-employees, --min-cases and --format
// table|csv|json. The JSON is the analytics result types as they are (see
// their json tags); the survival curve has one object per time point with
// t, surv, lower, upper, std_err, n_risk, n_event, n_censor.
func runOutcomeReport(kind string, args []string) error {
	return outcomeReport(os.Stdout, kind, args)
}

// outcomeFlags are the flags of one outcome report; the kind-specific ones
// are nil for the other kinds.
type outcomeFlags struct {
	from, to, db, extract, format *string
	minEmployees, minCases        *int
	explain                       *bool
	by, cohort, landmark, at      *string
	weeks, relapseDays            *int
	allTimes, robust              *bool
}

func newOutcomeFlags(fs *flag.FlagSet, kind string) *outcomeFlags {
	o := &outcomeFlags{
		from:         fs.String("from", "", "first day of the period, YYYY-MM-DD (default: 12 months before --to)"),
		to:           fs.String("to", "", "last day of the period, YYYY-MM-DD (default: the extract date)"),
		db:           fs.String("db", defaultDB, "database file"),
		extract:      fs.String("extract-date", "", "date the absence data run to, YYYY-MM-DD (default: the latest absence import's)"),
		format:       fs.String("format", "table", "output format: table, csv or json"),
		minEmployees: fs.Int("min-employees", analytics.DefaultMinEmployees, "hide groups whose cases come from fewer employees (at least 5)"),
		minCases:     fs.Int("min-cases", analytics.DefaultMinCases, "hide groups with fewer cases (at least 5)"),
		explain:      fs.Bool("explain", false, explainUsage),
		robust:       new(bool),
	}
	switch kind {
	case "survival":
		o.by = fs.String("by", "", "one curve per department, team, location, age, gender, hours or tenure, with the log-rank test")
		o.robust = fs.Bool("robust", false, "intervals and log-rank test with employees as clusters (robust sandwich variance), since one person's cases are not independent; default Greenwood's, as R")
	case "outcomes":
		o.by = fs.String("by", "", "per department, team, location, age, gender, hours or tenure")
		o.allTimes = fs.Bool("all-times", false, "also give the estimates at every day on which a case ended")
	case "frequent-to-long":
		o.at = fs.String("at", "", "reference date, YYYY-MM-DD (default: 24 months before the extract date)")
	case "progression":
		o.cohort = fs.String("cohort", "month", "cohorts of first sick day: month or quarter")
		o.weeks = fs.Int("weeks", analytics.DefaultGridWeeks, "weeks in the cohort grid")
	case "tracks":
		o.weeks = fs.Int("weeks", 6, "list the deadlines due in this many weeks after the extract date")
	case "interventions":
		o.landmark = fs.String("landmark", "42,91", "landmark days for the effectiveness comparison, comma-separated")
		o.relapseDays = fs.Int("relapse-index-days", analytics.DefaultRelapseIndexDays, "relapse is followed after returns from cases of at least this many days")
	}
	return o
}

// options checks the flags and turns them into the analytics options, the
// dimension and the landmarks.
func (o *outcomeFlags) options(name string) (analytics.Options, analytics.Dimension, []int, error) {
	var dim analytics.Dimension
	var landmarks []int
	if *o.format != "table" && *o.format != "csv" && *o.format != "json" {
		return analytics.Options{}, dim, nil, fmt.Errorf("%s: --format %q: expected table, csv or json", name, *o.format)
	}
	opt := analytics.Options{MinEmployees: *o.minEmployees, MinCases: *o.minCases, Robust: *o.robust}
	if o.relapseDays != nil {
		if *o.relapseDays <= 0 {
			return opt, dim, nil, fmt.Errorf("%s: --relapse-index-days %d: expected a number of days, such as 42", name, *o.relapseDays)
		}
		opt.RelapseIndexDays = *o.relapseDays
	}
	if o.by != nil && *o.by != "" {
		var err error
		if dim, err = analytics.ParseDimension(*o.by); err != nil {
			return opt, dim, nil, fmt.Errorf("%s: --by: %w", name, err)
		}
	}
	if o.landmark != nil {
		for _, s := range strings.Split(*o.landmark, ",") {
			l, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || l <= 0 {
				return opt, dim, nil, fmt.Errorf("%s: --landmark %q: expected days, such as 42,91", name, *o.landmark)
			}
			landmarks = append(landmarks, l)
		}
	}
	return opt, dim, landmarks, nil
}

func outcomeReport(w io.Writer, kind string, args []string) error {
	if !slices.Contains(outcomeKinds, kind) {
		return fmt.Errorf("report: unknown report %q; expected one of %s", kind, strings.Join(outcomeKinds, ", "))
	}
	name := "report " + kind
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	o := newOutcomeFlags(fs, kind)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: absence report %s [flags]\n", kind)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected argument %q", name, fs.Arg(0))
	}
	opt, dim, landmarks, err := o.options(name)
	if err != nil {
		return err
	}
	if _, err := os.Stat(*o.db); err != nil {
		return fmt.Errorf("%s: no database %s: import your exports first (absence import --db %s FILE...)", name, *o.db, *o.db)
	}
	ctx := context.Background()
	store, err := ingest.Open(ctx, *o.db, ingest.Options{})
	if err != nil {
		return err
	}
	defer store.Close()
	var q analytics.Querier = store.DB
	rec := &analytics.Recorder{Querier: store.DB}
	if *o.explain {
		q = rec
	}
	f, err := outcomePeriod(ctx, q, *o.from, *o.to, *o.extract)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	out, err := runOutcome(ctx, q, name, kind, f, o, opt, dim, landmarks)
	if err != nil {
		return err
	}
	if *o.explain {
		return writeExplain(w, "absence "+name+" "+strings.Join(args, " "), rec.Queries())
	}
	switch *o.format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(analytics.EmptyLists(out))
	case "csv":
		return writeOutcomeCSV(w, out)
	}
	return writeOutcomeTable(w, out)
}

// runOutcome computes the outcome report of kind.
func runOutcome(ctx context.Context, q analytics.Querier, name, kind string, f analytics.Filter, o *outcomeFlags, opt analytics.Options, dim analytics.Dimension, landmarks []int) (any, error) {
	switch kind {
	case "survival":
		return analytics.Survival(ctx, q, f, dim, opt)
	case "outcomes":
		return analytics.Outcomes(ctx, q, f, dim, analytics.OutcomesOptions{AllTimes: *o.allTimes}, opt)
	case "frequent-to-long":
		day, err := referenceDate(ctx, q, f, *o.at)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return analytics.FrequentToLong(ctx, q, f, day, opt)
	case "progression":
		popt := analytics.ProgressionOptions{Cohort: analytics.Granularity(*o.cohort), GridWeeks: *o.weeks}
		return analytics.Progression(ctx, q, f, popt, opt)
	case "tracks":
		return analytics.Tracks(ctx, q, f, analytics.TrackOptions{DeadlineWeeks: *o.weeks}, opt)
	}
	var rep interventionsReport
	var err error
	if rep.Interventions, err = analytics.Interventions(ctx, q, f, opt); err == nil {
		rep.Landmark, err = analytics.Landmark(ctx, q, f, analytics.LandmarkOptions{Landmarks: landmarks}, opt)
	}
	return rep, err
}

// interventionsReport is the JSON of `absence report interventions`.
type interventionsReport struct {
	Interventions analytics.InterventionsResult `json:"interventions"`
	Landmark      analytics.LandmarkResult      `json:"landmark"`
}

// outcomePeriod builds the filter's period: --to defaults to the extract
// date and --from to a year before --to.
func outcomePeriod(ctx context.Context, q analytics.Querier, from, to, extract string) (analytics.Filter, error) {
	var f analytics.Filter
	var err error
	if extract != "" {
		if f.ExtractDate, err = parseDay("--extract-date", extract); err != nil {
			return f, err
		}
	}
	if to != "" {
		if f.To, err = parseDay("--to", to); err != nil {
			return f, err
		}
	} else {
		f.To = f.ExtractDate
		if f.To.IsZero() {
			if f.To, err = analytics.LatestExtractDate(ctx, q); err != nil {
				return f, err
			}
			if f.To.IsZero() {
				return f, errors.New("no absence data yet: import an absence export first")
			}
		}
	}
	if from != "" {
		if f.From, err = parseDay("--from", from); err != nil {
			return f, err
		}
	} else {
		f.From = f.To.AddDate(-1, 0, 1)
	}
	return f, nil
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

func ocCSVNum(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'g', -1, 64)
}

func ocCSVCount(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

func ocCSVLow(b *analytics.Bounds) string {
	if b == nil {
		return ""
	}
	return ocCSVNum(b.Low)
}

func ocCSVHigh(b *analytics.Bounds) string {
	if b == nil {
		return ""
	}
	return ocCSVNum(b.High)
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

// tableRows writes tab-separated cells as aligned columns.
type tableRows struct{ *tabwriter.Writer }

func newTable(w io.Writer) tableRows { return tableRows{tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)} }

func (t tableRows) row(cells ...string) { fmt.Fprintln(t, strings.Join(cells, "\t")+"\t") }

func writeOutcomeTable(w io.Writer, out any) error {
	switch r := out.(type) {
	case analytics.SurvivalResult:
		return survivalTable(w, r)
	case analytics.ProgressionResult:
		return progressionTable(w, r)
	case analytics.TracksResult:
		return tracksTable(w, r)
	case interventionsReport:
		return interventionsTable(w, r)
	case analytics.OutcomesResult:
		return outcomesTable(w, r)
	case analytics.FrequentToLongResult:
		return frequentToLongTable(w, r)
	}
	return fmt.Errorf("report: no table for %T", out)
}

func survivalTable(w io.Writer, r analytics.SurvivalResult) error {
	tw := newTable(w)
	ocHeader(w, r.Coverage, "Time to the end of the case (Kaplan–Meier) of the sickness cases starting")
	tw.row("GROUP", "CASES", "EMPLOYEES", "ENDED", "OPEN", "MEDIAN DAYS", "95% CI", "STILL ABSENT 7d", "42d", "91d", "365d")
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
		tw.row(cells...)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if lr := r.LogRank; lr != nil {
		fmt.Fprintf(w, "\nLog-rank test over %d groups: chi-square %.2f on %d df, p = %.3g.\n", len(lr.Groups), lr.ChiSquare, lr.DF, lr.P)
	}
	return nil
}

func progressionTable(w io.Writer, r analytics.ProgressionResult) error {
	tw := newTable(w)
	ocHeader(w, r.Coverage, "Share of new sickness cases still absent, cases starting")
	cells := []string{"COHORT", "CASES"}
	for _, d := range r.Days {
		cells = append(cells, fmt.Sprintf("%dd %%", d), "95% CI")
	}
	tw.row(cells...)
	for _, p := range append(append([]analytics.ProgressionRow{}, r.Cohorts...), r.Total) {
		name := p.Cohort
		if p.Suppressed {
			name += " (suppressed)"
		}
		cells := []string{name, ocCount(p.Cases)}
		for _, s := range p.StillAbsent {
			cells = append(cells, ocNum(s.Pct, 1), ocBounds(s.CI, 1))
		}
		tw.row(cells...)
	}
	return tw.Flush()
}

func tracksTable(w io.Writer, r analytics.TracksResult) error {
	tw := newTable(w)
	ocHeader(w, r.Coverage, "Poortwachter tracks; compliance of the milestones due")
	fmt.Fprintf(w, "%d open tracks. Deadlines in the %d weeks after the extract date:\n", len(r.Open), r.DeadlineWeeks)
	tw.row("DUE", "DAYS LEFT", "MILESTONE", "WINDOW FROM", "EMPLOYEE", "TRACK SINCE")
	for _, d := range r.Deadlines {
		tw.row(ocDay(d.Due.Time), strconv.Itoa(d.DaysLeft), ocMilestone(d), ocDatePtr(d.WindowFrom), d.EmployeeID, ocDay(d.FirstSickDay.Time))
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
	tw.row("MILESTONE", "DUE", "ON TIME", "EARLY", "LATE", "MISSING")
	for _, c := range r.Compliance {
		tw.row(c.Milestone, ocCount(c.Due), ocCount(c.OnTime), ocCount(c.Early), ocCount(c.Late), ocCount(c.Missing))
	}
	return tw.Flush()
}

func interventionsTable(w io.Writer, r interventionsReport) error {
	tw := newTable(w)
	iv := r.Interventions
	ocHeader(w, iv.Coverage, "Interventions started")
	fmt.Fprintf(w, "%d interventions, %d not linked to a sickness case%s.\n", iv.Interventions, iv.Unlinked, ocUnlinked(iv.UnlinkedReasons))
	tw.row("TYPE / PROVIDER", "N", "CASES", "DAYS TO START (MEDIAN)", "MEDIAN DAYS TO END OF CASE", "OWN EMPLOYER 91d %", "182d %", "365d %")
	for _, g := range iv.Groups {
		name := g.Type
		if g.Provider != "" {
			name = "  " + g.Provider
		}
		if g.Suppressed {
			name += " (suppressed)"
		}
		tw.row(name, ocCount(g.Interventions), ocCount(g.Cases), ocNum(g.DaysToStartMedian, 0), ocNum(g.Recovery.Median, 1),
			ocNum(g.ReturnToWork[0].Pct, 1), ocNum(g.ReturnToWork[1].Pct, 1), ocNum(g.ReturnToWork[2].Pct, 1))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if err := relapseTable(w, iv); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nEffectiveness by landmark (cases still absent at day L, followed from L):")
	tw.row("COMPARISON", "TYPE", "L", "ARM", "N", "MEDIAN DAYS AFTER L", "95% CI", "HR (95% CI)", "p")
	for _, c := range r.Landmark.Comparisons {
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
				tw.row("", "", "", name, ocCount(a.Cases), ocNum(a.Median, 1), ocBounds(a.MedianCI, 1), "", "")
			} else {
				tw.row(c.Kind, c.Type, strconv.Itoa(c.Landmark), name, ocCount(a.Cases), ocNum(a.Median, 1), ocBounds(a.MedianCI, 1), hr, p)
			}
		}
	}
	return tw.Flush()
}

// ocMilestone names a deadline's milestone, numbering the evaluations.
func ocMilestone(d analytics.Deadline) string {
	if d.Occurrence > 0 {
		return fmt.Sprintf("%s %d", d.Milestone, d.Occurrence)
	}
	return d.Milestone
}

func ocComparisons(c *analytics.Comparison) []analytics.Comparison {
	if c == nil {
		return nil
	}
	return []analytics.Comparison{*c}
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

func writeOutcomeCSV(w io.Writer, out any) error {
	cw := sheet.NewWriter(w)
	switch r := out.(type) {
	case analytics.SurvivalResult:
		cw.Write([]string{"group", "parent", "suppressed", "t", "surv", "lower", "upper", "std_err", "n_risk", "n_event", "n_censor"})
		for _, c := range append(append([]analytics.Curve{}, r.Strata...), r.Total) {
			if c.Suppressed {
				cw.Write([]string{c.Key, c.Parent, "true", "", "", "", "", "", "", "", ""})
				continue
			}
			for _, p := range c.Points {
				cw.Write([]string{c.Key, c.Parent, "false", strconv.Itoa(p.T), ocCSVNum(&p.Surv), ocCSVNum(p.Lower), ocCSVNum(p.Upper), ocCSVNum(p.StdErr),
					strconv.FormatInt(p.NRisk, 10), strconv.FormatInt(p.NEvent, 10), strconv.FormatInt(p.NCensor, 10)})
			}
		}
	case analytics.ProgressionResult:
		h := []string{"cohort", "suppressed", "cases", "employees"}
		for _, d := range r.Days {
			h = append(h, fmt.Sprintf("still_absent_%dd_pct", d), fmt.Sprintf("still_absent_%dd_low", d), fmt.Sprintf("still_absent_%dd_high", d))
		}
		for wk := 1; wk <= r.GridWeeks; wk++ {
			h = append(h, fmt.Sprintf("week_%d_pct", wk))
		}
		cw.Write(h)
		for _, p := range append(append([]analytics.ProgressionRow{}, r.Cohorts...), r.Total) {
			rec := []string{p.Cohort, strconv.FormatBool(p.Suppressed), ocCSVCount(p.Cases), ocCSVCount(p.Employees)}
			for _, s := range p.StillAbsent {
				rec = append(rec, ocCSVNum(s.Pct), ocCSVLow(s.CI), ocCSVHigh(s.CI))
			}
			for _, g := range p.Grid {
				rec = append(rec, ocCSVNum(g))
			}
			cw.Write(rec)
		}
	case analytics.TracksResult:
		cw.Write([]string{"list", "employee_id", "first_sick_day", "milestone", "window_from", "due", "days_left", "occurrence"})
		for _, l := range []struct {
			name string
			ds   []analytics.Deadline
		}{{"deadline", r.Deadlines}, {"overdue", r.Overdue}} {
			for _, d := range l.ds {
				cw.Write([]string{l.name, d.EmployeeID, ocDay(d.FirstSickDay.Time), d.Milestone, ocDatePtr(d.WindowFrom), ocDay(d.Due.Time), strconv.Itoa(d.DaysLeft), strconv.Itoa(d.Occurrence)})
			}
		}
	case interventionsReport:
		h := []string{"type", "provider", "suppressed", "interventions", "cases", "employees", "days_to_start_median", "days_to_start_mean", "median_days_to_recovery"}
		for _, d := range analytics.ReturnToWorkDays {
			h = append(h, fmt.Sprintf("return_to_work_%dd_pct", d))
		}
		cw.Write(h)
		for _, g := range r.Interventions.Groups {
			rec := []string{g.Type, g.Provider, strconv.FormatBool(g.Suppressed), ocCSVCount(g.Interventions), ocCSVCount(g.Cases), ocCSVCount(g.Employees),
				ocCSVNum(g.DaysToStartMedian), ocCSVNum(g.DaysToStartMean), ocCSVNum(g.Recovery.Median)}
			for _, x := range g.ReturnToWork {
				rec = append(rec, ocCSVNum(x.Pct))
			}
			cw.Write(rec)
		}
	case analytics.OutcomesResult:
		outcomesCSV(cw, r)
	case analytics.FrequentToLongResult:
		frequentToLongCSV(cw, r)
	default:
		return fmt.Errorf("report: no CSV for %T", out)
	}
	cw.Flush()
	return cw.Error()
}
