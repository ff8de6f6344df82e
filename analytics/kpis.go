package analytics

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Period is the period a result covers, after cutting it back to the
// extract date.
type Period struct {
	From, To time.Time // inclusive
	Days     int       // calendar days in [From, To]
	// CutAtExtract is set when the requested end lay after the extract date
	// and To was moved back to it.
	CutAtExtract bool
}

// Figures are the statistics of one group. A nil pointer means suppressed
// (see Group.Suppressed) or undefined (a ratio with a zero denominator, GZVD
// without closed cases, a cost without a configured day price). The JSON
// names are the report's field names; Definitions describes each one.
type Figures struct {
	Employees         *int64       `json:"employees"`
	AvgHeadcount      *float64     `json:"avg_headcount"`
	FTE               *float64     `json:"fte"`
	ZVP               *float64     `json:"zvp_pct"`
	ZVPInterval       *Interval    `json:"zvp_pct_ci95"`
	ZVPInclPregnancy  *float64     `json:"zvp_incl_pregnancy_pct"`
	ZVPExclPartial    *float64     `json:"zvp_excl_partial_pct"`
	ZMF               *float64     `json:"zmf"`
	ZMFInterval       *Interval    `json:"zmf_ci95"`
	GZVD              *float64     `json:"gzvd_days"`
	GZVDMedian        *float64     `json:"gzvd_median_days"`
	ZeroAbsence       *float64     `json:"zero_absence_pct"`
	NewCases          *int64       `json:"new_cases"`
	ClosedCases       *int64       `json:"closed_cases"`
	OpenCases         *int64       `json:"open_cases"`
	SickDays          *float64     `json:"sick_days"`
	FTEDays           *float64     `json:"fte_days"`
	EmployedDays      *int64       `json:"employed_days"`
	Cost              *float64     `json:"cost"`
	DurationClasses   ClassFigures `json:"duration_classes"`
	FrequentAbsentees *int64       `json:"frequent_absentees"`
}

// Interval is a 95% confidence interval.
type Interval struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// ClassFigure is one duration class: the cases of that length with a sick
// day in the period, and the ZVP of their sick days (the classes' ZVPs add
// up to the group's ZVP).
type ClassFigure struct {
	Label string   `json:"-"`
	Cases *int64   `json:"cases"`
	ZVP   *float64 `json:"zvp_pct"`
}

// ClassFigures are the duration classes in order. In JSON they are an object
// keyed by class label, in class order.
type ClassFigures []ClassFigure

// MarshalJSON writes the classes as an object keyed by label.
func (cs ClassFigures) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, c := range cs {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(c.Label)
		v, err := json.Marshal(c)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

// Group is one row of a result: the total or one value of a dimension.
type Group struct {
	// Key is the dimension value (a team's name for ByTeam), or "total".
	Key string `json:"group"`
	// Parent is the department of a team.
	Parent string `json:"parent,omitempty"`
	// Suppressed groups carry no figures: too few employees or cases, or
	// hidden so that another suppressed group cannot be worked out.
	Suppressed bool `json:"suppressed"`
	Figures
}

// TotalKey is the Key of the total row.
const TotalKey = "total"

// KPISet is the full set of figures for the filtered population.
type KPISet struct {
	Period      Period
	ExtractDate time.Time
	Total       Group
}

// Breakdown is the figures per value of one dimension, with the total.
type Breakdown struct {
	Period      Period
	ExtractDate time.Time
	Dimension   Dimension
	Total       Group
	Groups      []Group
}

// KPIs computes every figure for the population and period of f.
func KPIs(ctx context.Context, q Querier, f Filter, opt Options) (KPISet, error) {
	b, err := breakdown(ctx, q, f, opt, nil)
	if err != nil {
		return KPISet{}, err
	}
	return KPISet{Period: b.Period, ExtractDate: b.ExtractDate, Total: b.Total}, nil
}

// Breakdown computes every figure per value of dimension d, plus the total,
// with small groups suppressed.
func BreakdownBy(ctx context.Context, q Querier, f Filter, d Dimension, opt Options) (Breakdown, error) {
	if _, err := ParseDimension(string(d)); err != nil {
		return Breakdown{}, err
	}
	return breakdown(ctx, q, f, opt, []Dimension{d})
}

func breakdown(ctx context.Context, q Querier, f Filter, opt Options, dims []Dimension) (Breakdown, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return Breakdown{}, err
	}
	f, err = resolvePeriod(ctx, q, f)
	if err != nil {
		return Breakdown{}, err
	}
	raw, err := computeRaw(ctx, q, f, opt, dims)
	if err != nil {
		return Breakdown{}, err
	}
	out := Breakdown{Period: periodOf(f, raw.cut), ExtractDate: f.ExtractDate}
	if len(dims) == 1 {
		out.Dimension = dims[0]
	}
	vis, err := visibility(ctx, q, f, opt, dims, raw)
	if err != nil {
		return Breakdown{}, err
	}
	out.Total = raw.total.group(TotalKey, "", out.Period.Days, opt, !vis.total)
	for _, r := range raw.groups {
		key, parent := r.keys[0], ""
		if len(dims) == 1 && dims[0] == ByTeam {
			parent, key = r.keys[0], r.keys[1]
		}
		out.Groups = append(out.Groups, r.group(key, parent, out.Period.Days, opt, !vis.groups[r.key()]))
	}
	return out, nil
}

func periodOf(f Filter, cut bool) Period {
	return Period{From: f.From, To: f.To, Days: int(f.To.Sub(f.From).Hours()/24+0.5) + 1, CutAtExtract: cut}
}

// rawRow holds the sums of one group, before suppression.
type rawRow struct {
	keys []string
	// employed
	employees    int64
	employedDays int64   // Σ days employed (headcount days)
	x            float64 // Σ ptf × days employed (FTE days)
	// sick (inside P, inside employment)
	y, yPreg, yFull float64 // Σ ptf × ao × days: sickness; incl. pregnancy leave; ao = 1
	sickCal         float64 // Σ calendar sick days (unweighted)
	yy, xx, xy      float64 // per-employee sums of squares for the ZVP interval
	zero            int64   // employees without a sick day
	frequent        int64
	cases           int64 // sickness cases with a sick day in P
	classY          []float64
	classN          []int64
	// case level
	newCases, closed, open int64
	durSum                 float64
	durMedian              sql.NullFloat64
}

func (r rawRow) key() string { return strings.Join(r.keys, keySep) }

type rawResult struct {
	total  rawRow
	groups []rawRow
	cut    bool
}

// computeRaw runs the KPI query: one row per group plus the total.
func computeRaw(ctx context.Context, q Querier, f Filter, opt Options, dims []Dimension) (rawResult, error) {
	query := kpiSQL(f, opt, dims)
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return rawResult{}, fmt.Errorf("analytics: KPI query: %w", err)
	}
	defer rows.Close()
	w := width(dims)
	nc := len(opt.DurationClasses)
	var res rawResult
	res.total.classY, res.total.classN = make([]float64, nc), make([]int64, nc)
	for rows.Next() {
		r := rawRow{classY: make([]float64, nc), classN: make([]int64, nc)}
		var tot bool
		keys := make([]sql.NullString, w)
		dest := []any{&tot}
		for i := range keys {
			dest = append(dest, &keys[i])
		}
		dest = append(dest, &r.employees, &r.employedDays, &r.x, &r.y, &r.yPreg, &r.yFull, &r.sickCal,
			&r.yy, &r.xx, &r.xy, &r.zero, &r.frequent, &r.cases,
			&r.newCases, &r.closed, &r.open, &r.durSum, &r.durMedian)
		for i := range nc {
			dest = append(dest, &r.classY[i], &r.classN[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return rawResult{}, fmt.Errorf("analytics: KPI query: %w", err)
		}
		if tot {
			res.total = r
			continue
		}
		for _, k := range keys {
			r.keys = append(r.keys, k.String)
		}
		res.groups = append(res.groups, r)
	}
	if err := rows.Err(); err != nil {
		return rawResult{}, fmt.Errorf("analytics: KPI query: %w", err)
	}
	if len(dims) == 1 {
		less := dims[0].order()
		slices.SortFunc(res.groups, func(a, b rawRow) int {
			for i := range a.keys {
				if c := less(a.keys[i], b.keys[i]); c != 0 {
					return c
				}
			}
			return 0
		})
	}
	return res, nil
}

// kpiSQL is the KPI query. Reading order: pieces of employment → employed
// stretches inside P (ed) → sick stretches inside P and inside employment
// (sd) → per-employee sums (emps) → per-group sums (grp); separately the
// sickness cases attributed to the piece holding their first sick day
// (cases → cgrp). With a dimension, GROUPING SETS give the groups and the
// total in one pass; an employee is one cluster of the total even when the
// groups split their days.
func kpiSQL(f Filter, opt Options, dims []Dimension) string {
	w := max(width(dims), 1)
	ps, pe := dateLit(f.From), dateLit(f.To)
	g := gNames(w)
	groupBy := func(extra string) string {
		if len(dims) == 0 {
			return "GROUP BY ALL"
		}
		if extra == "" {
			return fmt.Sprintf("GROUP BY GROUPING SETS ((%s), ())", g)
		}
		return fmt.Sprintf("GROUP BY GROUPING SETS ((%s, %s), (%s))", g, extra, extra)
	}
	isTotal := "true"
	if len(dims) > 0 {
		isTotal = "grouping(g1) = 1"
	}
	var classSums, classCols, classOut []string
	for i, c := range opt.DurationClasses {
		// The last class also takes cases longer than its upper bound.
		cond := fmt.Sprintf("len >= %d", c.Min)
		if c.Max != 0 && i < len(opt.DurationClasses)-1 {
			cond += fmt.Sprintf(" AND len <= %d", c.Max)
		}
		classSums = append(classSums, fmt.Sprintf(
			"sum(days * ptf * ao) FILTER (WHERE sick AND %[1]s) AS y_c%[2]d, count(DISTINCT fsd) FILTER (WHERE sick AND %[1]s) AS n_c%[2]d", cond, i))
		classCols = append(classCols, fmt.Sprintf("coalesce(s.y_c%[1]d, 0) AS y_c%[1]d, coalesce(s.n_c%[1]d, 0) AS n_c%[1]d", i))
		classOut = append(classOut, fmt.Sprintf("coalesce(a.y_c%[1]d, 0), coalesce(a.n_c%[1]d, 0)", i))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "WITH %s,\n", piecesSQL(needsFor(f, dims...)))
	fmt.Fprintf(&b, `fp AS (SELECT * FROM pieces WHERE %[1]s),
ed AS MATERIALIZED (
	SELECT %[2]s, emp, ptf, greatest(s, %[3]s) AS os, least(e, %[4]s + 1) AS oe
	FROM fp WHERE s <= %[4]s AND e > %[3]s
),
%[5]s,
sd AS (
	SELECT %[6]s, ed.emp, ed.ptf, s.fsd, s.typ <> 'pregnancy_leave' AS sick, s.ao,
		least(coalesce(s.rec, %[7]s), %[4]s + 1) - s.fsd AS len,
		least(s.vt, ed.oe) - greatest(s.vf, ed.os) AS days
	FROM seg s JOIN ed ON ed.emp = s.emp AND s.vf < ed.oe AND s.vt > ed.os
),
emp_days AS (
	SELECT %[8]s AS tot, %[9]s, emp, sum((oe - os) * ptf) AS x, sum(oe - os) AS hd
	FROM ed %[10]s
),
emp_sick AS (
	SELECT %[8]s AS tot, %[9]s, emp,
		coalesce(sum(days) FILTER (WHERE sick), 0) AS sick_cal,
		coalesce(sum(days * ptf * ao) FILTER (WHERE sick), 0) AS y,
		sum(days * ptf * ao) AS y_preg,
		coalesce(sum(days * ptf) FILTER (WHERE sick), 0) AS y_full,
		count(DISTINCT fsd) FILTER (WHERE sick) AS ncases,
		%[11]s
	FROM sd %[10]s
),
freq AS (
	SELECT employee_id AS emp, count(*) AS n FROM absence_cases
	WHERE absence_type IN %[12]s AND first_sick_day > %[13]s AND first_sick_day <= %[4]s
	GROUP BY employee_id
),
emps AS (
	SELECT d.tot, %[14]s, d.emp, d.x, d.hd,
		coalesce(s.y, 0) AS y, coalesce(s.y_preg, 0) AS y_preg, coalesce(s.y_full, 0) AS y_full,
		coalesce(s.sick_cal, 0) AS sick_cal, coalesce(s.ncases, 0) AS ncases,
		coalesce(f.n, 0) >= %[15]d AS frequent,
		%[16]s
	FROM emp_days d
	LEFT JOIN emp_sick s ON s.emp = d.emp AND s.tot = d.tot AND %[17]s
	LEFT JOIN freq f ON f.emp = d.emp
),
grp AS (
	SELECT tot, %[9]s, count(*) AS employees, sum(hd) AS hd, sum(x) AS x,
		sum(y) AS y, sum(y_preg) AS y_preg, sum(y_full) AS y_full, sum(sick_cal) AS sick_cal,
		sum(y * y) AS yy, sum(x * x) AS xx, sum(x * y) AS xy,
		count(*) FILTER (WHERE sick_cal = 0) AS zero,
		count(*) FILTER (WHERE frequent) AS frequent,
		sum(ncases) AS cases,
		%[18]s
	FROM emps GROUP BY ALL
),
cases AS (
	SELECT %[19]s, c.first_sick_day AS fsd, c.recovery_date AS rec
	FROM absence_cases c JOIN fp p ON p.emp = c.employee_id AND p.s <= c.first_sick_day AND c.first_sick_day < p.e
	WHERE c.absence_type IN %[12]s AND c.first_sick_day <= %[4]s AND coalesce(c.recovery_date, %[7]s) >= %[3]s
),
cgrp AS (
	SELECT %[8]s AS tot, %[9]s,
		count(*) FILTER (WHERE fsd >= %[3]s) AS new_cases,
		count(*) FILTER (WHERE rec <= %[4]s) AS closed,
		coalesce(sum(rec - fsd) FILTER (WHERE rec <= %[4]s), 0) AS dur,
		median(rec - fsd) FILTER (WHERE rec <= %[4]s) AS dur_median,
		count(*) FILTER (WHERE rec IS NULL OR rec > %[4]s) AS open
	FROM cases %[20]s
)
SELECT coalesce(a.tot, c.tot), %[21]s,
	coalesce(a.employees, 0), coalesce(a.hd, 0), coalesce(a.x, 0), coalesce(a.y, 0), coalesce(a.y_preg, 0),
	coalesce(a.y_full, 0), coalesce(a.sick_cal, 0), coalesce(a.yy, 0), coalesce(a.xx, 0), coalesce(a.xy, 0),
	coalesce(a.zero, 0), coalesce(a.frequent, 0), coalesce(a.cases, 0),
	coalesce(c.new_cases, 0), coalesce(c.closed, 0), coalesce(c.open, 0), coalesce(c.dur, 0), c.dur_median,
	%[22]s
FROM grp a FULL JOIN cgrp c ON c.tot = a.tot AND %[23]s`,
		f.predicate(numFamilies),                // 1
		groupCols("", dims, w),                  // 2
		ps, pe,                                  // 3, 4
		segmentsSQL(f.From, f.To, f.ExtractDate), // 5
		prefixed("ed.", w),                      // 6
		openEnd,                                 // 7
		isTotal,                                 // 8
		g,                                       // 9
		groupBy("emp"),                          // 10
		strings.Join(classSums, ",\n\t\t"),      // 11
		sickTypes,                               // 12
		dateLit(f.To.AddDate(0, -opt.FrequentWindowMonths, 0)), // 13
		prefixed("d.", w),                       // 14
		opt.FrequentThreshold,                   // 15
		strings.Join(classCols, ", "),           // 16
		gJoin("s", "d", w),                      // 17
		strings.Join(classOut2(len(opt.DurationClasses)), ", "), // 18
		groupCols("p.", dims, w),                // 19
		groupBy(""),                             // 20
		coalesced("a", "c", w),                  // 21
		strings.Join(classOut, ", "),            // 22
		gJoin("a", "c", w),                      // 23
	)
	return b.String()
}

func classOut2(n int) []string {
	out := make([]string, n)
	for i := range n {
		out[i] = fmt.Sprintf("sum(y_c%[1]d) AS y_c%[1]d, sum(n_c%[1]d) AS n_c%[1]d", i)
	}
	return out
}

func prefixed(p string, w int) string {
	out := make([]string, w)
	for i := range w {
		out[i] = fmt.Sprintf("%sg%d", p, i+1)
	}
	return strings.Join(out, ", ")
}

func coalesced(a, b string, w int) string {
	out := make([]string, w)
	for i := range w {
		out[i] = fmt.Sprintf("coalesce(%[1]s.g%[3]d, %[2]s.g%[3]d)", a, b, i+1)
	}
	return strings.Join(out, ", ")
}

// group turns sums into figures; suppressed groups keep only their key.
func (r rawRow) group(key, parent string, days int, opt Options, suppressed bool) Group {
	g := Group{Key: key, Parent: parent, Suppressed: suppressed}
	g.DurationClasses = make(ClassFigures, len(opt.DurationClasses))
	for i, c := range opt.DurationClasses {
		g.DurationClasses[i].Label = c.Label
	}
	if suppressed {
		return g
	}
	fig := &g.Figures
	fig.Employees = ptr(r.employees)
	fig.EmployedDays = ptr(r.employedDays)
	fig.AvgHeadcount = ptr(float64(r.employedDays) / float64(days))
	fig.FTE = ptr(r.x / float64(days))
	fig.FTEDays = ptr(r.x)
	fig.SickDays = ptr(r.y)
	fig.NewCases, fig.ClosedCases, fig.OpenCases = ptr(r.newCases), ptr(r.closed), ptr(r.open)
	fig.FrequentAbsentees = ptr(r.frequent)
	if r.x > 0 {
		fig.ZVP = ptr(100 * r.y / r.x)
		fig.ZVPInclPregnancy = ptr(100 * r.yPreg / r.x)
		fig.ZVPExclPartial = ptr(100 * r.yFull / r.x)
		fig.ZVPInterval = zvpInterval(r.y, r.x, r.yy, r.xx, r.xy, r.employees)
		for i := range g.DurationClasses {
			g.DurationClasses[i].ZVP = ptr(100 * r.classY[i] / r.x)
		}
	}
	for i := range g.DurationClasses {
		g.DurationClasses[i].Cases = ptr(r.classN[i])
	}
	if r.employedDays > 0 {
		fig.ZMF = ptr(float64(r.newCases) * 365 / float64(r.employedDays))
		fig.ZMFInterval = zmfInterval(r.newCases, r.employedDays)
	}
	if r.employees > 0 {
		fig.ZeroAbsence = ptr(100 * float64(r.zero) / float64(r.employees))
	}
	// A mean or median over fewer closed cases than MinCases would show
	// single people's durations: figure-level suppression.
	if r.closed > 0 && r.closed >= int64(opt.MinCases) {
		fig.GZVD = ptr(r.durSum / float64(r.closed))
		if r.durMedian.Valid {
			fig.GZVDMedian = ptr(r.durMedian.Float64)
		}
	}
	if opt.CostPerFTEDay > 0 {
		fig.Cost = ptr(r.y * opt.CostPerFTEDay)
	}
	return g
}

func ptr[T any](v T) *T { return &v }
