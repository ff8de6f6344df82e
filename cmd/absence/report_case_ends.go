package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/verzuim/absence/ingest/sheet"

	"github.com/verzuim/absence/analytics"
)

// The tables and CSV of `absence report outcomes` and `absence report
// frequent-to-long`, and the relapse table of `absence report
// interventions`.

// caseEndColumns are the states in table order, with their headers.
var caseEndColumns = []struct{ state, header string }{
	{analytics.StateStillAbsent, "STILL ABSENT"},
	{analytics.EndOwnEmployer, "OWN EMPLOYER"},
	{analytics.EndSecondTrack, "SECOND TRACK"},
	{analytics.EndWIA, "WIA/IVA"},
	{analytics.EndEmploymentEnded, "EMPLOYMENT ENDED"},
	{analytics.EndOther, "OTHER"},
}

// ocShare is a fraction as "12.5% (8.1–19.0)", with '-' when unknown.
func ocShare(est, lo, hi *float64) string {
	if est == nil {
		return "-"
	}
	pct := func(p *float64) *float64 {
		if p == nil {
			return nil
		}
		return new(100 * *p)
	}
	if lo == nil && hi == nil {
		return ocNum(pct(est), 1) + "%"
	}
	return ocNum(pct(est), 1) + "% (" + ocNum(pct(lo), 1) + "–" + ocNum(pct(hi), 1) + ")"
}

func ocGroup(group, parent string) string {
	if parent != "" {
		return parent + " / " + group
	}
	return group
}

func outcomesTable(w io.Writer, r analytics.OutcomesResult) error {
	ocHeader(w, r.Coverage, "How the sickness cases ended, cases starting")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(cells ...string) { fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t") }
	cells := []string{"GROUP", "DAY", "AT RISK"}
	for _, c := range caseEndColumns {
		cells = append(cells, c.header+" % (95% CI)")
	}
	row(cells...)
	type key struct {
		group string
		t     int
	}
	byKey := map[key]map[string]analytics.OutcomeEstimate{}
	var order []key
	for _, e := range r.CumulativeIncidence {
		k := key{ocGroup(e.Group, e.Parent), e.T}
		if byKey[k] == nil {
			byKey[k] = map[string]analytics.OutcomeEstimate{}
			order = append(order, k)
		}
		byKey[k][e.Outcome] = e
	}
	for _, g := range r.Groups {
		if g.Suppressed {
			row(ocGroup(g.Group, g.Parent) + " (suppressed)")
		}
	}
	for _, k := range order {
		es := byKey[k]
		cells := []string{k.group, strconv.Itoa(k.t), strconv.FormatInt(es[analytics.StateStillAbsent].NRisk, 10)}
		for _, c := range caseEndColumns {
			e := es[c.state]
			cells = append(cells, ocShare(e.Estimate, e.Lower, e.Upper))
		}
		row(cells...)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nLong cases (still absent after %d days) and how they ended:\n", analytics.LongCaseDays)
	cells = []string{"GROUP", "LONG CASES"}
	for _, c := range caseEndColumns[1:] {
		cells = append(cells, c.header)
	}
	row(append(cells, "STILL ABSENT")...)
	long := map[string]map[string]analytics.LongCaseCount{}
	for _, l := range r.LongCases {
		g := ocGroup(l.Group, l.Parent)
		if long[g] == nil {
			long[g] = map[string]analytics.LongCaseCount{}
		}
		long[g][l.Outcome] = l
	}
	for _, g := range r.Groups {
		name := ocGroup(g.Group, g.Parent)
		if g.Suppressed || g.LongSuppressed {
			row(name+" (suppressed)", "-")
			continue
		}
		cells := []string{name, ocCount(g.LongCases)}
		for _, c := range append(caseEndColumns[1:], caseEndColumns[0]) {
			if l, ok := long[name][c.state]; ok {
				cells = append(cells, fmt.Sprintf("%d (%.0f%%)", l.N, 100*l.Share))
			} else {
				cells = append(cells, "-")
			}
		}
		row(cells...)
	}
	return tw.Flush()
}

func outcomesCSV(cw *sheet.Writer, r analytics.OutcomesResult) {
	cw.Write([]string{"table", "group", "parent", "outcome", "t", "estimate", "lower", "upper", "n_risk", "n", "share"})
	for _, e := range r.CumulativeIncidence {
		cw.Write([]string{"cumulative_incidence", e.Group, e.Parent, e.Outcome, strconv.Itoa(e.T), ocCSVNum(e.Estimate), ocCSVNum(e.Lower), ocCSVNum(e.Upper),
			strconv.FormatInt(e.NRisk, 10), "", ""})
	}
	for _, l := range r.LongCases {
		cw.Write([]string{"long_cases", l.Group, l.Parent, l.Outcome, "", "", "", "", "", strconv.FormatInt(l.N, 10), ocCSVNum(&l.Share)})
	}
	for _, g := range r.Groups {
		if g.Suppressed || g.LongSuppressed {
			cw.Write([]string{"suppressed", g.Group, g.Parent, map[bool]string{true: "all", false: "long_cases"}[g.Suppressed], "", "", "", "", "", "", ""})
		}
	}
}

// relapseTable prints the relapse figure of the interventions report.
func relapseTable(w io.Writer, iv analytics.InterventionsResult) error {
	fmt.Fprintf(w, "\nRelapse after a return to the own employer from a case of at least %d days: a new sick report within … days (return talk: %d days before to %d days after the recovery date):\n",
		iv.RelapseIndexDays, analytics.ReturnTalkWindowDays, analytics.ReturnTalkWindowDays)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	cells := []string{"ARM", "RETURNS"}
	for _, d := range analytics.RelapseDays {
		cells = append(cells, fmt.Sprintf("%dd %% (95%% CI)", d))
	}
	fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	for i := 0; i < len(iv.Relapse); i += len(analytics.RelapseDays) {
		arm := iv.Relapse[i]
		name := arm.Arm
		if arm.Suppressed {
			name += " (suppressed)"
		}
		cells := []string{name, ocCount(arm.N)}
		for _, r := range iv.Relapse[i : i+len(analytics.RelapseDays)] {
			cells = append(cells, ocShare(r.Estimate, r.Lower, r.Upper))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if lr := iv.RelapseLogRank; lr != nil {
		fmt.Fprintf(w, "Log-rank test, return talk against none: chi-square %.2f on %d df, p = %.3g.\n", lr.ChiSquare, lr.DF, lr.P)
	}
	return nil
}

// ocUnlinked lists the reasons interventions could not be linked.
func ocUnlinked(reasons []analytics.UnlinkedCount) string {
	if len(reasons) == 0 {
		return ""
	}
	var parts []string
	for _, r := range reasons {
		parts = append(parts, fmt.Sprintf("%d %s", r.Interventions, r.Reason))
	}
	return " (" + strings.Join(parts, ", ") + "; see the definition intervention_link)"
}

func frequentToLongTable(w io.Writer, r analytics.FrequentToLongResult) error {
	fmt.Fprintf(w, "Frequent absentees on %s (%d or more sick reports from %s) against the other employees:\nshare that started a case of more than %d days afterwards; followed up to %s (extract date %s).\n",
		ocDay(r.At.Time), r.Threshold, ocDay(r.WindowFrom.Time), analytics.LongAbsenceDays, ocDay(r.FollowUpTo.Time), ocDay(r.ExtractDate.Time))
	fmt.Fprintln(w, "'-' is suppressed (too few employees or cases) or beyond the follow-up; see --format json for the definitions.")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	cells := []string{"GROUP", "EMPLOYEES"}
	for _, m := range analytics.FrequentToLongMonths {
		cells = append(cells, fmt.Sprintf("%d MONTHS %% (95%% CI)", m))
	}
	fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	n := len(analytics.FrequentToLongMonths)
	for i := 0; i < len(r.CumulativeIncidence); i += n {
		g := r.CumulativeIncidence[i]
		name := g.Group
		if g.Suppressed {
			name += " (suppressed)"
		}
		cells := []string{name, ocCount(g.N)}
		for _, e := range r.CumulativeIncidence[i : i+n] {
			cells = append(cells, ocShare(e.Estimate, e.Lower, e.Upper))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if lr := r.LogRank; lr != nil {
		fmt.Fprintf(w, "\nLog-rank test, frequent against other: chi-square %.2f on %d df, p = %.3g.\n", lr.ChiSquare, lr.DF, lr.P)
	}
	return nil
}

func frequentToLongCSV(cw *sheet.Writer, r analytics.FrequentToLongResult) {
	cw.Write([]string{"group", "months", "t", "suppressed", "estimate", "lower", "upper", "n", "n_risk"})
	for _, e := range r.CumulativeIncidence {
		cw.Write([]string{e.Group, strconv.Itoa(e.Months), strconv.Itoa(e.T), strconv.FormatBool(e.Suppressed),
			ocCSVNum(e.Estimate), ocCSVNum(e.Lower), ocCSVNum(e.Upper), ocCSVCount(e.N), ocCSVCount(e.NRisk)})
	}
}

// referenceDate is --at, or analytics.DefaultReferenceDate of the extract
// date.
func referenceDate(ctx context.Context, q analytics.Querier, f analytics.Filter, at string) (time.Time, error) {
	if at != "" {
		return parseDay("--at", at)
	}
	ex := f.ExtractDate
	if ex.IsZero() {
		var err error
		if ex, err = analytics.LatestExtractDate(ctx, q, f.Employers...); err != nil {
			return ex, err
		}
	}
	return analytics.DefaultReferenceDate(ex), nil
}
