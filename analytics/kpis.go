package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

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
func Breakdown(ctx context.Context, q Querier, f Filter, d Dimension, opt Options) (BreakdownResult, error) {
	if _, err := ParseDimension(string(d)); err != nil {
		return BreakdownResult{}, err
	}
	return breakdown(ctx, q, f, opt, []Dimension{d})
}

func breakdown(ctx context.Context, q Querier, f Filter, opt Options, dims []Dimension) (BreakdownResult, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return BreakdownResult{}, err
	}
	f, cut, err := resolvePeriod(ctx, q, f)
	if err != nil {
		return BreakdownResult{}, err
	}
	raw, err := computeRaw(ctx, q, f, opt, dims)
	if err != nil {
		return BreakdownResult{}, err
	}
	out := BreakdownResult{Period: periodOf(f, cut), ExtractDate: f.ExtractDate}
	if len(dims) == 1 {
		out.Dimension = dims[0]
	}
	vis, err := visibility(ctx, q, f, opt, dims, raw)
	if err != nil {
		return BreakdownResult{}, err
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
	y1, y2          float64 // y in the cases' first year (days 1–365) and second (366–730)
	yy, xx, xy      float64 // per-employee sums of squares for the ZVP interval
	zero            int64   // employees without a sick day
	frequent        int64
	cases           int64 // sickness cases with a sick day in P
	yVangnet        float64
	vangnetCases    int64
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
}

// computeRaw runs the KPI query: one row per group plus the total.
func computeRaw(ctx context.Context, q Querier, f Filter, opt Options, dims []Dimension) (rawResult, error) {
	rows, err := kpiQuery(f, opt, dims).run(ctx, q)
	if err != nil {
		return rawResult{}, fmt.Errorf("analytics: KPI query: %w", err)
	}
	defer rows.Close()
	w := max(width(dims), 1)
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
		dest = append(dest, &r.employees, &r.employedDays, &r.x, &r.y, &r.yPreg, &r.yFull,
			&r.yy, &r.xx, &r.xy, &r.zero, &r.frequent, &r.cases, &r.yVangnet, &r.vangnetCases,
			&r.newCases, &r.closed, &r.open, &r.durSum, &r.durMedian, &r.y1, &r.y2)
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
		for _, k := range keys[:width(dims)] {
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

// kpiData is the data of sql/kpis.sql.
type kpiData struct {
	Pieces                         piecesData
	Filter, Cols, EdCols, PCols, G sqlText
	// GroupedBy is G with a dimension, else empty. Tot and Again are the
	// columns tot, g1, … of an aggregation by group and total (kpi_group_by)
	// and of one over such rows (GroupAgain).
	GroupedBy, Tot, Again, GroupAgain                     sqlText
	DG, SDJoin, JoinAE, JoinAK, JoinAN, CoalescedG, JoinG sqlText
	Classes                                               []sqlText // the condition of each duration class's sick cases
}

// kpiQuery is the KPI query (sql/kpis.sql) for the resolved filter f.
func kpiQuery(f Filter, opt Options, dims []Dimension) Query {
	p := params{}.period(f)
	p.set("frequent_window_after", addMonths(f.To, -opt.FrequentWindowMonths))
	p.set("frequent_threshold", opt.FrequentThreshold)
	w := max(width(dims), 1)
	d := kpiData{Pieces: pieces(p, needsFor(f, dims...)), Filter: f.predicate(p, numFamilies),
		Cols: groupCols("", dims, w), EdCols: prefixed("ed.", w), PCols: groupCols("p.", dims, w), G: gNames(w),
		Tot: "true AS tot, NULL::VARCHAR AS g1", Again: "true AS tot, NULL::VARCHAR AS g1",
		DG: prefixed("d.", w), SDJoin: gJoin("s", "d", w), JoinAE: gJoin("a", "e", w), JoinAK: gJoin("a", "k", w), JoinAN: gJoin("a", "n", w),
		CoalescedG: coalesced("a", "c", w), JoinG: gJoin("a", "c", w)}
	if len(dims) > 0 {
		d.GroupedBy, d.Tot, d.Again, d.GroupAgain = d.G, "grouping(g1) = 1 AS tot, "+d.G, "tot, "+d.G, "GROUP BY tot, "+d.G
	}
	d.Classes = make([]sqlText, len(opt.DurationClasses))
	for i, c := range opt.DurationClasses {
		d.Classes[i] = "sick AND len >= " + p.set(fmt.Sprintf("class_%d_min", i+1), c.Min)
		if c.Max != 0 && i < len(opt.DurationClasses)-1 {
			d.Classes[i] += " AND len <= " + p.set(fmt.Sprintf("class_%d_max", i+1), c.Max)
		}
	}
	return render("kpis", d, p)
}

func coalesced(a, b string, w int) sqlText {
	out := make([]string, w)
	for i := range w {
		out[i] = fmt.Sprintf("coalesce(%[1]s.g%[3]d, %[2]s.g%[3]d)", a, b, i+1)
	}
	return sqlText(strings.Join(out, ", "))
}

// group turns sums into figures; suppressed groups keep only their key.
func (r rawRow) group(key, parent string, days int, opt Options, suppressed bool) Group {
	g := Group{Key: key, Parent: parent, Suppressed: suppressed}
	g.DurationClasses = make(ClassFigures, len(opt.DurationClasses))
	for i, c := range opt.DurationClasses {
		g.DurationClasses[i].Label, g.DurationClasses[i].Min = c.Label, c.Min
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
		fig.SickDaysPerFTE = ptr(365 * r.y / r.x)
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
	if opt.Cost.Configured() {
		fig.Cost = ptr(opt.Cost.absenceCost(r.y1, r.y2, r.y))
	}
	// A few vangnet cases would point at a pregnancy or a donation in the
	// group: figure-level suppression, as for GZVD.
	if r.vangnetCases == 0 || r.vangnetCases >= int64(opt.MinCases) {
		fig.VangnetCases = ptr(r.vangnetCases)
		if r.x > 0 {
			fig.VangnetZVP = ptr(100 * r.yVangnet / r.x)
		}
		if r.y > 0 {
			fig.VangnetShare = ptr(100 * r.yVangnet / r.y)
		}
	}
	return g
}

func ptr[T any](v T) *T { return &v }
