package main

import (
	"fmt"
	"io"
	"strconv"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/analytics/reports"
	"github.com/verzuim/absence/ingest/sheet"
)

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
	case reports.Interventions:
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
