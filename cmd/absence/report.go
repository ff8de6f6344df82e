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
	"github.com/verzuim/absence/ingest/sheet"
)

// runReport prints the standard absence statistics of a period, optionally
// per value of one dimension, with small groups suppressed.
//
//	absence report --from D --to D [--by DIM] [--format table|csv|json] [--config FILE] [--db FILE]
func runReport(args []string) error {
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
	cost := fs.Float64("cost-per-fte-day", 0, "cost of one lost FTE calendar day in euros (0: no cost figure)")
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
	var f analytics.Filter
	var err error
	if *from == "" || *to == "" {
		fs.Usage()
		return errors.New("report: --from and --to are required")
	}
	if f.From, err = parseDay("--from", *from); err != nil {
		return err
	}
	if f.To, err = parseDay("--to", *to); err != nil {
		return err
	}
	if *extract != "" {
		if f.ExtractDate, err = parseDay("--extract-date", *extract); err != nil {
			return err
		}
	}
	cfg, err := settings.load()
	if err != nil {
		return err
	}
	opt := cfg.reportOptions(*minEmployees, *minCases)
	opt.CostPerFTEDay = *cost
	switch *classes {
	case "default":
	case "vernet":
		opt.DurationClasses = analytics.VernetDurationClasses
	default:
		return fmt.Errorf("report: --classes %q: expected default or vernet", *classes)
	}
	var dim analytics.Dimension
	if *by != "" {
		if dim, err = analytics.ParseDimension(*by); err != nil {
			return fmt.Errorf("report: --by: %w", err)
		}
	}
	if *format != "table" && *format != "csv" && *format != "json" {
		return fmt.Errorf("report: --format %q: expected table, csv or json", *format)
	}
	ctx := context.Background()
	store, err := openForReport(ctx, cfg, "report")
	if err != nil {
		return err
	}
	defer store.Close()
	rep, err := standardReport(ctx, store.Reader(), f, dim, opt)
	if err != nil {
		return err
	}
	return writeReport(os.Stdout, rep, *format)
}

// standardReport computes the standard statistics, in total or per group.
func standardReport(ctx context.Context, db analytics.Querier, f analytics.Filter, dim analytics.Dimension, opt analytics.Options) (analytics.Report, error) {
	if dim == "" {
		k, err := analytics.KPIs(ctx, db, f, opt)
		if err != nil {
			return analytics.Report{}, err
		}
		return k.Report(), nil
	}
	b, err := analytics.Breakdown(ctx, db, f, dim, opt)
	if err != nil {
		return analytics.Report{}, err
	}
	return b.Report(), nil
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

// reportColumn is one column of the flat (CSV and table) forms.
type reportColumn struct {
	name     string
	decimals int // in the table
	get      func(g analytics.Group) (float64, bool)
}

func f64(p *float64) (float64, bool) {
	if p == nil {
		return 0, false
	}
	return *p, true
}

func i64(p *int64) (float64, bool) {
	if p == nil {
		return 0, false
	}
	return float64(*p), true
}

func ciLow(p *analytics.Interval) (float64, bool) {
	if p == nil {
		return 0, false
	}
	return p.Low, true
}

func ciHigh(p *analytics.Interval) (float64, bool) {
	if p == nil {
		return 0, false
	}
	return p.High, true
}

func reportColumns(rep analytics.Report) []reportColumn {
	cols := []reportColumn{
		{"employees", 0, func(g analytics.Group) (float64, bool) { return i64(g.Employees) }},
		{"avg_headcount", 1, func(g analytics.Group) (float64, bool) { return f64(g.AvgHeadcount) }},
		{"fte", 1, func(g analytics.Group) (float64, bool) { return f64(g.FTE) }},
		{"zvp_pct", 2, func(g analytics.Group) (float64, bool) { return f64(g.ZVP) }},
		{"zvp_ci95_low", 2, func(g analytics.Group) (float64, bool) { return ciLow(g.ZVPInterval) }},
		{"zvp_ci95_high", 2, func(g analytics.Group) (float64, bool) { return ciHigh(g.ZVPInterval) }},
		{"zvp_incl_pregnancy_pct", 2, func(g analytics.Group) (float64, bool) { return f64(g.ZVPInclPregnancy) }},
		{"zmf", 2, func(g analytics.Group) (float64, bool) { return f64(g.ZMF) }},
		{"zmf_ci95_low", 2, func(g analytics.Group) (float64, bool) { return ciLow(g.ZMFInterval) }},
		{"zmf_ci95_high", 2, func(g analytics.Group) (float64, bool) { return ciHigh(g.ZMFInterval) }},
		{"gzvd_days", 1, func(g analytics.Group) (float64, bool) { return f64(g.GZVD) }},
		{"zero_absence_pct", 1, func(g analytics.Group) (float64, bool) { return f64(g.ZeroAbsence) }},
		{"new_cases", 0, func(g analytics.Group) (float64, bool) { return i64(g.NewCases) }},
		{"closed_cases", 0, func(g analytics.Group) (float64, bool) { return i64(g.ClosedCases) }},
		{"open_cases", 0, func(g analytics.Group) (float64, bool) { return i64(g.OpenCases) }},
		{"sick_days", 1, func(g analytics.Group) (float64, bool) { return f64(g.SickDays) }},
		{"frequent_absentees", 0, func(g analytics.Group) (float64, bool) { return i64(g.FrequentAbsentees) }},
		{"vangnet_zvp_pct", 2, func(g analytics.Group) (float64, bool) { return f64(g.VangnetZVP) }},
		{"vangnet_share_pct", 1, func(g analytics.Group) (float64, bool) { return f64(g.VangnetShare) }},
		{"vangnet_cases", 0, func(g analytics.Group) (float64, bool) { return i64(g.VangnetCases) }},
	}
	if rep.Total.Cost != nil {
		cols = append(cols, reportColumn{"cost", 0, func(g analytics.Group) (float64, bool) { return f64(g.Cost) }})
	}
	for i, c := range rep.Total.DurationClasses {
		cols = append(cols,
			reportColumn{"cases_" + c.Label, 0, func(g analytics.Group) (float64, bool) { return i64(g.DurationClasses[i].Cases) }},
			reportColumn{"zvp_pct_" + c.Label, 2, func(g analytics.Group) (float64, bool) { return f64(g.DurationClasses[i].ZVP) }})
	}
	return cols
}

func reportRows(rep analytics.Report) []analytics.Group {
	return append(append([]analytics.Group{}, rep.Groups...), rep.Total)
}

func writeReportCSV(w io.Writer, rep analytics.Report) error {
	cols := reportColumns(rep)
	cw := sheet.NewWriter(w)
	header := []string{"from", "to", "group", "parent", "suppressed"}
	for _, c := range cols {
		header = append(header, c.name)
	}
	cw.Write(header)
	for _, g := range reportRows(rep) {
		rec := []string{rep.From, rep.To, g.Key, g.Parent, strconv.FormatBool(g.Suppressed)}
		for _, c := range cols {
			v, ok := c.get(g)
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
	cols := reportColumns(rep)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	header := []string{strings.ToUpper(cmpOr(rep.By, "group"))}
	for _, c := range cols {
		header = append(header, c.name)
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
			if v, ok := c.get(g); ok {
				row = append(row, strconv.FormatFloat(v, 'f', c.decimals, 64))
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
