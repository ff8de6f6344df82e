package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/analytics/reports"
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
	req, err := fl.request(fs, kind)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	var out any
	if *fl.server != "" {
		if err := onServer(fs, name, *fl.explain); err != nil {
			return err
		}
		if out, err = reportFromServer(*fl.server, *fl.user, *fl.employer, req); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return writeOutcome(w, out, *fl.format)
	}
	cfg, err := fl.settings.load()
	if err != nil {
		return err
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
	if req.Employers, err = employerScope(ctx, store, *fl.employer); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if out, err = reports.Compute(ctx, q, req, req.Options(cfg.reportOptions(*fl.minEmployees, *fl.minCases))); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if *fl.explain {
		return writeExplain(w, "absence "+name+" "+strings.Join(args, " "), rec.Queries())
	}
	return writeOutcome(w, out, *fl.format)
}

// writeOutcome writes an outcome report as JSON, CSV or a table.
func writeOutcome(w io.Writer, out any, format string) error {
	switch format {
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
	employer                  *string
	minEmployees, minCases    *int
	by, cohort, landmark, at  *string
	typeLandmark              *string
	weeks, relapseDays        *int
	allTimes, robust, explain *bool
	server, user              *string
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
		employer:     fs.String("employer", "", employerUsage),
		robust:       new(bool),
	}
	fl.server, fl.user = addServerFlags(fs)
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

// request is the report the flags ask for; a date not given is left to the
// database (reports.Compute).
func (fl *outcomeFlags) request(fs *flag.FlagSet, kind string) (reports.Request, error) {
	req := reports.Request{Kind: kind, Robust: *fl.robust}
	var err error
	for _, d := range []struct {
		flag, value string
		into        *time.Time
	}{{"--from", *fl.from, &req.From}, {"--to", *fl.to, &req.To}, {"--extract-date", *fl.extract, &req.ExtractDate}} {
		if d.value != "" {
			if *d.into, err = parseDay(d.flag, d.value); err != nil {
				return req, err
			}
		}
	}
	if fl.by != nil && *fl.by != "" {
		if req.By, err = analytics.ParseDimension(*fl.by); err != nil {
			return req, fmt.Errorf("--by: %w", err)
		}
	}
	if fl.landmark != nil {
		if req.Landmarks, err = reports.ParseLandmarks(*fl.landmark); err != nil {
			return req, fmt.Errorf("--%w", err)
		}
	}
	if fl.typeLandmark != nil && *fl.typeLandmark != "" {
		if req.TypeLandmarks, err = reports.ParseTypeLandmarks(*fl.typeLandmark); err != nil {
			return req, fmt.Errorf("--%w", err)
		}
	}
	if fl.relapseDays != nil && flagGiven(fs, "relapse-index-days") {
		if *fl.relapseDays <= 0 {
			return req, fmt.Errorf("--relapse-index-days %d: expected a number of days, such as 42", *fl.relapseDays)
		}
		req.RelapseIndexDays = *fl.relapseDays
	}
	if fl.at != nil && *fl.at != "" {
		if req.At, err = parseDay("--at", *fl.at); err != nil {
			return req, err
		}
	}
	if fl.allTimes != nil {
		req.AllTimes = *fl.allTimes
	}
	if fl.cohort != nil {
		req.Cohort = *fl.cohort
	}
	if fl.weeks != nil {
		req.Weeks = *fl.weeks
	}
	return req, nil
}
