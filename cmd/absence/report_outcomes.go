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

	"github.com/verzuim/absence/analytics"
)

// OutcomeKinds are the outcome reports of `absence report KIND`.
var outcomeKinds = []string{"survival", "outcomes", "progression", "tracks", "interventions", "frequent-to-long"}

// runOutcomeReport prints one of the outcome analyses:
//
//	absence report survival      [--by DIM] [--robust]       time to the end of the case (Kaplan–Meier), per group, log-rank
//	absence report outcomes      [--by DIM] [--all-times]    how the cases ended (Aalen–Johansen), long cases
//	absence report progression   [--cohort month|quarter] [--weeks N]   % still absent at 7/42/91/365/728 days, cohort grid
//	absence report tracks        [--weeks N]                 open Poortwachter tracks, deadlines, milestone compliance
//	absence report interventions [--landmark L[,L…]] [--type-landmark TYPE=L,…] [--relapse-index-days N]   per type/provider, relapse, landmark comparisons, adjusted effect
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

func outcomeReport(w io.Writer, kind string, args []string) error {
	if !slices.Contains(outcomeKinds, kind) {
		return fmt.Errorf("report: unknown report %q; expected one of %s", kind, strings.Join(outcomeKinds, ", "))
	}
	name := "report " + kind
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fl := newOutcomeFlags(fs, kind)
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
	if *fl.format != "table" && *fl.format != "csv" && *fl.format != "json" {
		return fmt.Errorf("%s: --format %q: expected table, csv or json", name, *fl.format)
	}
	cfg, err := fl.settings.load()
	if err != nil {
		return err
	}
	opt, err := fl.options(fs, cfg)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	ctx := context.Background()
	store, err := openForReport(ctx, cfg, name)
	if err != nil {
		return err
	}
	defer store.Close()
	var q analytics.Querier = store.Reader()
	rec := &analytics.Recorder{Querier: q}
	if *fl.explain {
		q = rec
	}
	f, err := outcomePeriod(ctx, q, *fl.from, *fl.to, *fl.extract)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	out, err := fl.compute(ctx, q, kind, f, opt)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if *fl.explain {
		return writeExplain(w, "absence "+name+" "+strings.Join(args, " "), rec.Queries())
	}
	switch *fl.format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(analytics.EmptyLists(out))
	case "csv":
		return writeOutcomeCSV(w, out)
	}
	return writeOutcomeTable(w, out)
}

// outcomeFlags are the flags of one outcome report: the common ones, and
// those of its kind (nil when the kind has none).
type outcomeFlags struct {
	settings                  configFlags
	from, to, extract, format *string
	minEmployees, minCases    *int
	by, cohort, landmark, at  *string
	typeLandmark              *string
	weeks, relapseDays        *int
	allTimes, robust, explain *bool

	dim           analytics.Dimension // of by, once options read it
	landmarks     []int               // of landmark, likewise
	typeLandmarks map[string]int      // of type-landmark, likewise
}

func newOutcomeFlags(fs *flag.FlagSet, kind string) *outcomeFlags {
	fl := &outcomeFlags{
		from:         fs.String("from", "", "first day of the period, YYYY-MM-DD (default: 12 months before --to)"),
		to:           fs.String("to", "", "last day of the period, YYYY-MM-DD (default: the extract date)"),
		settings:     addConfigFlags(fs),
		extract:      fs.String("extract-date", "", "date the absence data run to, YYYY-MM-DD (default: the latest absence import's)"),
		format:       fs.String("format", "table", "output format: table, csv or json"),
		minEmployees: fs.Int("min-employees", 0, "hide groups whose cases come from fewer employees; default and least: suppression.min_employees of the configuration (10 without one)"),
		minCases:     fs.Int("min-cases", 0, "hide groups with fewer cases; default and least: suppression.min_cases of the configuration (5 without one)"),
		explain:      fs.Bool("explain", false, explainUsage),
		robust:       new(bool),
	}
	switch kind {
	case "survival":
		fl.by = fs.String("by", "", "one curve per department, team, location, age, gender, hours or tenure, with the log-rank test")
		fl.robust = fs.Bool("robust", false, "intervals and log-rank test with employees as clusters (robust sandwich variance), since one person's cases are not independent; default Greenwood's, as R")
	case "outcomes":
		fl.by = fs.String("by", "", "per department, team, location, age, gender, hours or tenure")
		fl.allTimes = fs.Bool("all-times", false, "also give the estimates at every day on which a case ended")
	case "frequent-to-long":
		fl.at = fs.String("at", "", "reference date, YYYY-MM-DD (default: 24 months before the extract date)")
	case "progression":
		fl.cohort = fs.String("cohort", "month", "cohorts of first sick day: month or quarter")
		fl.weeks = fs.Int("weeks", analytics.DefaultGridWeeks, "weeks in the cohort grid")
	case "tracks":
		fl.weeks = fs.Int("weeks", 6, "list the deadlines due in this many weeks after the extract date")
	case "interventions":
		fl.landmark = fs.String("landmark", "42,91", "landmark days for the effectiveness comparison, comma-separated")
		fl.typeLandmark = fs.String("type-landmark", "", "landmark day of the adjusted effect per intervention type, such as second_track=365,labour_expert=119 (default: the day by which 75% of the type's interventions started, rounded up to a whole week)")
		fl.relapseDays = fs.Int("relapse-index-days", 0, "relapse is followed after returns from cases of at least this many days (default: outcomes.relapse_index_days of the configuration, 42 without one)")
	}
	return fl
}

// options are the configuration's options (reportOptions) with the flags';
// they also read --by and --landmark.
func (fl *outcomeFlags) options(fs *flag.FlagSet, cfg config) (analytics.Options, error) {
	opt := cfg.reportOptions(*fl.minEmployees, *fl.minCases)
	var err error
	if fl.by != nil && *fl.by != "" {
		if fl.dim, err = analytics.ParseDimension(*fl.by); err != nil {
			return opt, fmt.Errorf("--by: %w", err)
		}
	}
	if fl.landmark != nil {
		for _, s := range strings.Split(*fl.landmark, ",") {
			l, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || l <= 0 {
				return opt, fmt.Errorf("--landmark %q: expected days, such as 42,91", *fl.landmark)
			}
			fl.landmarks = append(fl.landmarks, l)
		}
	}
	if fl.typeLandmark != nil && *fl.typeLandmark != "" {
		fl.typeLandmarks = map[string]int{}
		for _, s := range strings.Split(*fl.typeLandmark, ",") {
			typ, day, ok := strings.Cut(strings.TrimSpace(s), "=")
			l, err := strconv.Atoi(day)
			if !ok || err != nil || l <= 0 || !slices.Contains(analytics.InterventionTypes, typ) {
				return opt, fmt.Errorf("--type-landmark %q: expected TYPE=DAYS with a type of %s, such as second_track=365", *fl.typeLandmark, strings.Join(analytics.InterventionTypes, ", "))
			}
			fl.typeLandmarks[typ] = l
		}
	}
	opt.Robust = *fl.robust
	if fl.relapseDays != nil && flagGiven(fs, "relapse-index-days") {
		if *fl.relapseDays <= 0 {
			return opt, fmt.Errorf("--relapse-index-days %d: expected a number of days, such as 42", *fl.relapseDays)
		}
		opt.RelapseIndexDays = *fl.relapseDays
	}
	return opt, nil
}

// compute runs the report's analysis.
func (fl *outcomeFlags) compute(ctx context.Context, db analytics.Querier, kind string, f analytics.Filter, opt analytics.Options) (any, error) {
	dim := fl.dim
	switch kind {
	case "survival":
		return analytics.Survival(ctx, db, f, dim, opt)
	case "outcomes":
		return analytics.Outcomes(ctx, db, f, dim, analytics.OutcomesOptions{AllTimes: *fl.allTimes}, opt)
	case "frequent-to-long":
		day, err := referenceDate(ctx, db, f, *fl.at)
		if err != nil {
			return nil, err
		}
		return analytics.FrequentToLong(ctx, db, f, day, opt)
	case "progression":
		return analytics.Progression(ctx, db, f, analytics.ProgressionOptions{Cohort: analytics.Granularity(*fl.cohort), GridWeeks: *fl.weeks}, opt)
	case "tracks":
		return analytics.Tracks(ctx, db, f, analytics.TrackOptions{DeadlineWeeks: *fl.weeks}, opt)
	}
	var rep interventionsReport
	var err error
	if rep.Interventions, err = analytics.Interventions(ctx, db, f, opt); err == nil {
		rep.Landmark, err = analytics.Landmark(ctx, db, f, analytics.LandmarkOptions{Landmarks: fl.landmarks}, opt)
	}
	if err == nil {
		var adj analytics.AdjustedResult
		adj, err = analytics.Adjusted(ctx, db, f, analytics.AdjustedOptions{Landmarks: fl.typeLandmarks}, opt)
		rep.Adjusted, rep.AdjustedTiming, rep.AdjustedDefinitions = adj.Estimates, adj.Timing, adj.Definitions
	}
	return rep, err
}

// interventionsReport is the JSON of `absence report interventions`.
type interventionsReport struct {
	Interventions analytics.InterventionsResult `json:"interventions"`
	Landmark      analytics.LandmarkResult      `json:"landmark"`
	// The adjusted effect per type and provider by each method, the
	// timing model, and their definitions.
	Adjusted            []analytics.AdjustedEstimate `json:"adjusted"`
	AdjustedTiming      []analytics.TimingEstimate   `json:"adjusted_timing"`
	AdjustedDefinitions analytics.DefinitionList     `json:"adjusted_definitions"`
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
