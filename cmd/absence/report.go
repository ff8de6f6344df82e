package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/analytics/reports"
	"github.com/verzuim/absence/ingest/sheet"
	"github.com/verzuim/absence/ingest/storage"
)

// runReport prints the standard absence statistics of a period, optionally
// per value of one dimension, with small groups suppressed.
//
//	absence report --from D --to D [--by DIM] [--format table|csv|json] [--explain] [--config FILE] [--db FILE]
func runReport(args []string) error { return statisticsReport(os.Stdout, args) }

func statisticsReport(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	from := fs.String("from", "", "first day of the period, YYYY-MM-DD (required)")
	to := fs.String("to", "", "last day of the period, YYYY-MM-DD (required; cut back to the extract date)")
	by := fs.String("by", "", "break down by department, team, location, age, gender, hours or tenure")
	format := fs.String("format", "table", "output format: table, csv or json")
	settings := addConfigFlags(fs)
	extract := fs.String("extract-date", "", "date the absence data run to, YYYY-MM-DD (default: the latest absence import's)")
	classes := fs.String("classes", "default", "duration classes: default (1-7, 8-42, 43-365, 366+) or vernet (1-14, 15-91, 92-365, 366-730)")
	minEmployees := fs.Int("min-employees", 0, "hide groups with fewer employees; default and least: suppression.min_employees of the configuration (10 without one)")
	minCases := fs.Int("min-cases", 0, "hide groups with fewer sickness cases; default and least: suppression.min_cases of the configuration (5 without one)")
	cost := fs.Float64("cost-per-fte-day", 0, "wage cost of one full-time calendar day in euros, over cost.wage_per_fte_day of the configuration (0: the configuration's)")
	explain := fs.Bool("explain", false, explainUsage)
	server, user := addServerFlags(fs)
	employer := fs.String("employer", "", employerUsage)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: absence report --from YYYY-MM-DD --to YYYY-MM-DD [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("report: unexpected argument %q", fs.Arg(0))
	}
	if *from == "" || *to == "" {
		fs.Usage()
		return errors.New("report: --from and --to are required")
	}
	f, err := reportFilter(*from, *to, *extract)
	if err != nil {
		return err
	}
	req := reports.Request{Kind: "statistics", From: f.From, To: f.To, ExtractDate: f.ExtractDate, CostPerFTEDay: *cost}
	switch *classes {
	case "default":
	case "vernet":
		req.Vernet = true
	default:
		return fmt.Errorf("report: --classes %q: expected default or vernet", *classes)
	}
	if *by != "" {
		if req.By, err = analytics.ParseDimension(*by); err != nil {
			return fmt.Errorf("report: --by: %w", err)
		}
	}
	if *format != "table" && *format != "csv" && *format != "json" {
		return fmt.Errorf("report: --format %q: expected table, csv or json", *format)
	}
	if *server != "" {
		if err := onServer(fs, "report", *explain); err != nil {
			return err
		}
		rep, err := reportFromServer(*server, *user, *employer, req)
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		return writeReport(w, rep.(analytics.Report), *format)
	}
	cfg, err := settings.load()
	if err != nil {
		return err
	}
	ctx := context.Background()
	store, err := openForReport(ctx, cfg, "report")
	if err != nil {
		return err
	}
	defer store.Close()
	if req.Employers, err = employerScope(ctx, store, *employer); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	var q analytics.Querier = store.Reader()
	rec := &analytics.Recorder{Querier: q}
	if *explain {
		q = rec
	}
	rep, err := reports.Compute(ctx, q, req, req.Options(cfg.reportOptions(*minEmployees, *minCases)))
	if err != nil {
		return err
	}
	if *explain {
		return writeExplain(w, "absence report "+strings.Join(args, " "), rec.Queries())
	}
	return writeReport(w, rep.(analytics.Report), *format)
}

const employerUsage = "only this employer's data (as 'absence employers' lists them); default: every employer in the database"

// employerScope is the filter's employers for --employer: none for "".
func employerScope(ctx context.Context, store *storage.Store, name string) ([]int64, error) {
	if name == "" {
		return nil, nil
	}
	return store.Reader().EmployerIDs(ctx, []string{name})
}

// reportFilter is the period of --from, --to and --extract-date.
func reportFilter(from, to, extract string) (analytics.Filter, error) {
	var f analytics.Filter
	var err error
	if f.From, err = parseDay("--from", from); err != nil {
		return f, err
	}
	if f.To, err = parseDay("--to", to); err != nil {
		return f, err
	}
	if extract != "" {
		f.ExtractDate, err = parseDay("--extract-date", extract)
	}
	return f, err
}

func parseDay(flag, s string) (time.Time, error) {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("report: %s %q: expected YYYY-MM-DD", flag, s)
	}
	return d, nil
}

func writeReport(w io.Writer, rep analytics.Report, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(analytics.EmptyLists(rep))
	case "csv":
		return writeReportCSV(w, rep)
	default:
		return writeReportTable(w, rep)
	}
}

func reportRows(rep analytics.Report) []analytics.Group {
	return append(append([]analytics.Group{}, rep.Groups...), rep.Total)
}

func writeReportCSV(w io.Writer, rep analytics.Report) error {
	cols := analytics.Columns(rep.Total)
	cw := sheet.NewWriter(w)
	header := []string{"from", "to", "group", "parent", "suppressed"}
	for _, c := range cols {
		header = append(header, c.Name)
	}
	cw.Write(header)
	for _, g := range reportRows(rep) {
		rec := []string{rep.From, rep.To, g.Key, g.Parent, strconv.FormatBool(g.Suppressed)}
		for _, c := range cols {
			v, ok := c.Value(g)
			if ok {
				rec = append(rec, strconv.FormatFloat(v, 'g', -1, 64))
			} else {
				rec = append(rec, "")
			}
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

func writeReportTable(w io.Writer, rep analytics.Report) error {
	cut := ""
	if rep.CutAtExtract {
		cut = " (cut at the extract date)"
	}
	fmt.Fprintf(w, "Period %s to %s, %d days%s; absence data up to %s.\n", rep.From, rep.To, rep.Days, cut, rep.ExtractDate)
	fmt.Fprintln(w, "ZVP excludes pregnancy leave; vangnet = the part the Ziektewet pays (pregnancy-related sickness, organ donation, no-risk);")
	fmt.Fprintln(w, "frequent absentees never count those. '-' is suppressed (too few employees or cases) or not defined.")
	fmt.Fprintln(w)
	cols := analytics.Columns(rep.Total)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	header := []string{strings.ToUpper(cmpOr(rep.By, "group"))}
	for _, c := range cols {
		header = append(header, c.Name)
	}
	fmt.Fprintln(tw, strings.Join(header, "\t")+"\t")
	for _, g := range reportRows(rep) {
		name := g.Key
		if g.Parent != "" {
			name = g.Parent + " / " + g.Key
		}
		if g.Suppressed {
			name += " (suppressed)"
		}
		row := []string{name}
		for _, c := range cols {
			if v, ok := c.Value(g); ok {
				row = append(row, strconv.FormatFloat(v, 'f', c.Decimals, 64))
			} else {
				row = append(row, "-")
			}
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	return tw.Flush()
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
