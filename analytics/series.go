package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Granularity is the length of the periods of a series.
type Granularity string

// The granularities.
const (
	Monthly   Granularity = "month"
	Quarterly Granularity = "quarter"
	Yearly    Granularity = "year"
)

func (g Granularity) months() int {
	switch g {
	case Quarterly:
		return 3
	case Yearly:
		return 12
	}
	return 1
}

// MaxSeriesPoints bounds a series, so a typo in a date cannot ask for
// thousands of points.
const MaxSeriesPoints = 240

// SeriesResult is a trend: one point per month, quarter or year.
type SeriesResult struct {
	Granularity Granularity
	ExtractDate time.Time
	Points      []SeriesPoint
}

// SeriesPoint is one period of a series with, alongside, the same period a
// year earlier and the 12 months ending on the same day.
type SeriesPoint struct {
	Label        string // "2024-03", "2024-Q1" or "2024"
	Current      SeriesFigures
	PreviousYear SeriesFigures
	Rolling12    SeriesFigures
}

// SeriesFigures are the additive figures of one period of a series. Figures
// that need each employee separately (employees, zero absence, the ZVP
// interval, frequent absentees, duration classes) are in KPIs and
// BreakdownBy, not in series.
type SeriesFigures struct {
	Period     Period
	Suppressed bool
	// Partial is set when the period was cut at the extract date.
	Partial          bool
	AvgHeadcount     *float64
	FTE              *float64
	ZVP              *float64
	ZVPInclPregnancy *float64
	ZVPExclPartial   *float64
	ZMF              *float64
	ZMFInterval      *Interval
	GZVD             *float64
	NewCases         *int64
	ClosedCases      *int64
	OpenCases        *int64 // open at the end of the period
	SickDays         *float64
}

// span is one date range a series query evaluates.
type span struct {
	from, to time.Time // inclusive
	partial  bool
}

// Series computes a trend over the periods of granularity g that contain
// f.From up to the one that contains f.To (cut at the extract date), with the
// previous year and the rolling 12 months alongside each point.
//
// Protection: each period is a cell with its own thresholds, counted as
// lower bounds (employees: the most employed on one day; cases: those running
// on the first day plus those starting later). The series' periods, and the
// previous year's, are complementary-suppressed among themselves; a rolling
// year is judged on its own counts. Restricted dimensions of f are checked
// per period as in KPIs.
//
// It is computed differently from KPIs, as a sweep: every employment piece
// and sick stretch becomes a +/− event, a running sum over the days gives the
// employed FTE, headcount and sick FTE of each day, and each period sums its
// days. Tests hold the two methods to the same figures.
func Series(ctx context.Context, q Querier, f Filter, g Granularity, opt Options) (SeriesResult, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return SeriesResult{}, err
	}
	if g != Monthly && g != Quarterly && g != Yearly {
		return SeriesResult{}, fmt.Errorf("analytics: unknown granularity %q; expected month, quarter or year", g)
	}
	f, _, err = resolvePeriod(ctx, q, f)
	if err != nil {
		return SeriesResult{}, err
	}
	cur, labels, err := seriesPeriods(f, g)
	if err != nil {
		return SeriesResult{}, err
	}
	n := len(cur)
	spans := make([]span, 0, 3*n)
	spans = append(spans, cur...)
	for _, c := range cur { // the same days a year earlier
		spans = append(spans, span{c.from.AddDate(-1, 0, 0), c.to.AddDate(0, 0, 1).AddDate(-1, 0, 0).AddDate(0, 0, -1), c.partial})
	}
	for _, c := range cur { // the 12 months ending on the same day
		spans = append(spans, span{addMonths(c.to, -12).AddDate(0, 0, 1), c.to, false})
	}
	vals, err := sweep(ctx, q, f, spans, nil)
	if err != nil {
		return SeriesResult{}, err
	}
	hidden, err := seriesHidden(ctx, q, f, spans, vals, thresholdsOf(opt))
	if err != nil {
		return SeriesResult{}, err
	}
	out := SeriesResult{Granularity: g, ExtractDate: f.ExtractDate}
	for i := range n {
		out.Points = append(out.Points, SeriesPoint{
			Label:        labels[i],
			Current:      vals[i][""].figures(spans[i], hidden[i], opt),
			PreviousYear: vals[n+i][""].figures(spans[n+i], hidden[n+i], opt),
			Rolling12:    vals[2*n+i][""].figures(spans[2*n+i], hidden[2*n+i], opt),
		})
	}
	return out, nil
}

// seriesPeriods are the periods of granularity g from the one containing
// f.From to the one containing f.To, the last cut at f.To, with their
// labels.
func seriesPeriods(f Filter, g Granularity) ([]span, []string, error) {
	m := g.months()
	start := time.Date(f.From.Year(), f.From.Month()-time.Month((int(f.From.Month())-1)%m), 1, 0, 0, 0, 0, time.UTC)
	var cur []span
	var labels []string
	for s := start; !s.After(f.To); s = s.AddDate(0, m, 0) {
		e := s.AddDate(0, m, -1)
		partial := false
		if e.After(f.To) {
			partial, e = true, f.To
		}
		cur = append(cur, span{s, e, partial})
		labels = append(labels, bucketLabel(s, g))
		if len(cur) > MaxSeriesPoints {
			return nil, nil, fmt.Errorf("analytics: a series of more than %d points; choose a coarser granularity or a shorter period", MaxSeriesPoints)
		}
	}
	return cur, labels, nil
}

// seriesHidden protects the spans of a series (its periods, the previous
// year's and the rolling years, a third each): each is a cell of its own,
// every value a restricted dimension selects must be visible among the
// values of its dimension in it, and the periods of the series, and of the
// previous year, are complementary-suppressed among themselves.
func seriesHidden(ctx context.Context, q Querier, f Filter, spans []span, vals []map[string]spanSums, th thresholds) ([]bool, error) {
	hidden := make([]bool, len(spans))
	for i := range spans {
		v := vals[i][""]
		hidden[i] = th.small(v.empLB, v.casesLB)
	}
	for k := range numFamilies {
		if !f.restricted(k) {
			continue
		}
		vis, err := seriesFamilyVisibility(ctx, q, f, k, spans, th)
		if err != nil {
			return nil, err
		}
		for i := range spans {
			hidden[i] = hidden[i] || !allSelectedVisible(f, k, vis[i])
		}
	}
	n := len(spans) / 3
	for part := range 2 {
		var cs []cell
		for i := part * n; i < (part+1)*n; i++ {
			v := vals[i][""]
			e, c := v.empLB, v.casesLB
			if hidden[i] {
				e, c = 0, 0 // already suppressed: counts as small
			}
			cs = append(cs, cell{fmt.Sprint(i), e, c})
		}
		for key := range suppressSiblings(cs, th, true) {
			var i int
			fmt.Sscan(key, &i)
			hidden[i] = true
		}
	}
	return hidden, nil
}

// seriesFamilyVisibility is, per span, which values of family k are
// visible among each other (under the other restrictions of f).
func seriesFamilyVisibility(ctx context.Context, q Querier, f Filter, k family, spans []span, th thresholds) ([]map[string]bool, error) {
	fk := f.without(k)
	out := make([]map[string]bool, len(spans))
	if k == famOrg {
		depts, err := sweep(ctx, q, fk, spans, []string{"dept"})
		if err != nil {
			return nil, err
		}
		teams, err := sweep(ctx, q, fk, spans, []string{"dept", "team"})
		if err != nil {
			return nil, err
		}
		for i := range spans {
			out[i] = orgVisibility(cellsOf(depts[i]), cellsOf(teams[i]), th)
		}
		return out, nil
	}
	byVal, err := sweep(ctx, q, fk, spans, familyDim(k).cols())
	if err != nil {
		return nil, err
	}
	for i := range spans {
		cs := cellsOf(byVal[i])
		h := suppressSiblings(cs, th, false)
		out[i] = map[string]bool{}
		for _, c := range cs {
			out[i][c.key] = !h[c.key]
		}
	}
	return out, nil
}

func bucketLabel(s time.Time, g Granularity) string {
	switch g {
	case Quarterly:
		return fmt.Sprintf("%d-Q%d", s.Year(), (int(s.Month())-1)/3+1)
	case Yearly:
		return fmt.Sprint(s.Year())
	}
	return s.Format("2006-01")
}

// spanSums are the sums of one span (and one group).
type spanSums struct {
	hd, x, y, yPreg, yFull float64
	newCases, closed, open int64
	dur                    float64
	empLB, casesLB         int64 // lower bounds of distinct employees and cases
}

func (v spanSums) figures(s span, hidden bool, opt Options) SeriesFigures {
	days := int(s.to.Sub(s.from).Hours()/24+0.5) + 1
	out := SeriesFigures{Period: Period{From: s.from, To: s.to, Days: days}, Suppressed: hidden, Partial: s.partial}
	if hidden {
		return out
	}
	out.AvgHeadcount = ptr(v.hd / float64(days))
	out.FTE = ptr(v.x / float64(days))
	out.SickDays = ptr(v.y)
	out.NewCases, out.ClosedCases, out.OpenCases = ptr(v.newCases), ptr(v.closed), ptr(v.open)
	if v.x > 0 {
		out.ZVP = ptr(100 * v.y / v.x)
		out.ZVPInclPregnancy = ptr(100 * v.yPreg / v.x)
		out.ZVPExclPartial = ptr(100 * v.yFull / v.x)
	}
	if v.hd > 0 {
		out.ZMF = ptr(float64(v.newCases) * 365 / v.hd)
		out.ZMFInterval = zmfInterval(v.newCases, int64(v.hd+0.5))
	}
	if v.closed > 0 && v.closed >= int64(opt.MinCases) {
		out.GZVD = ptr(v.dur / float64(v.closed))
	}
	return out
}

func cellsOf(m map[string]spanSums) []cell {
	var cs []cell
	for k, v := range m {
		cs = append(cs, cell{k, v.empLB, v.casesLB})
	}
	slices.SortFunc(cs, func(a, b cell) int { return strings.Compare(a.key, b.key) })
	return cs
}

// sweep evaluates spans for the population of f, per value of the piece
// columns by (nil: one group ""). Groups are keyed by their values joined
// with keySep.
func sweep(ctx context.Context, q Querier, f Filter, spans []span, by []string) ([]map[string]spanSums, error) {
	w := max(len(by), 1)
	res, err := sweepQuery(f, spans, by).run(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("analytics: series: %w", err)
	}
	defer res.Close()
	out := make([]map[string]spanSums, len(spans))
	for i := range out {
		out[i] = map[string]spanSums{}
	}
	for res.Next() {
		var id int
		keys := make([]sql.NullString, w)
		var v spanSums
		var hd, newc, closed, open, emp, cases sql.NullFloat64
		dest := []any{&id}
		for i := range keys {
			dest = append(dest, &keys[i])
		}
		dest = append(dest, &hd, &v.x, &v.y, &v.yPreg, &v.yFull, &newc, &closed, &v.dur, &open, &emp, &cases)
		if err := res.Scan(dest...); err != nil {
			return nil, fmt.Errorf("analytics: series: %w", err)
		}
		v.hd = hd.Float64
		v.newCases, v.closed, v.open = int64(newc.Float64), int64(closed.Float64), int64(open.Float64)
		v.empLB, v.casesLB = int64(emp.Float64), int64(cases.Float64)
		key := ""
		if len(by) > 0 {
			ks := make([]string, len(by))
			for i := range by {
				ks[i] = keys[i].String
			}
			key = strings.Join(ks, keySep)
		}
		out[id][key] = v
	}
	if err := res.Err(); err != nil {
		return nil, fmt.Errorf("analytics: series: %w", err)
	}
	return out, nil
}

// sweepQuery is the series query (sql/series.sql) of spans for the
// population of f, per value of the piece columns by.
func sweepQuery(f Filter, spans []span, by []string) Query {
	p := params{}.period(f)
	d0, d1 := spans[0].from, spans[0].to
	var rows []string
	for i, s := range spans {
		if s.from.Before(d0) {
			d0 = s.from
		}
		if s.to.After(d1) {
			d1 = s.to
		}
		rows = append(rows, fmt.Sprintf("(%d, %s::DATE, %s::DATE)", i,
			p.set(fmt.Sprintf("span_%d_from", i), s.from), p.set(fmt.Sprintf("span_%d_to", i), s.to)))
	}
	p.set("sweep_from", d0)
	p.set("sweep_to", d1)
	w := max(len(by), 1)
	gcols := make([]string, w)
	for i := range w {
		if i < len(by) {
			gcols[i] = fmt.Sprintf("%s AS g%d", by[i], i+1)
		} else {
			gcols[i] = fmt.Sprintf("''::VARCHAR AS g%d", i+1)
		}
	}
	n := needsCols(f, by)
	return render("series", struct {
		Pieces                                               piecesData
		Groups, Filter, FpG, FpaG, G, CG, StJoin, DdG, Spans sqlText
	}{pieces(p, n), sqlText(strings.Join(gcols, ", ")), f.predicate(p, numFamilies), prefixed("fp.", w), prefixed("fpa.", w),
		gNames(w), prefixed("c.", w), gJoin("st", "c", w), prefixed("dd.", w), sqlText(strings.Join(rows, ", "))}, p)
}
