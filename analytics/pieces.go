package analytics

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The SQL building blocks shared by every metric family.
//
// A "piece" is a stretch of one employment record over which every attribute
// a query can filter or group by is constant: the record itself, cut where
// the employee moves into another age band (1 January) or tenure band (a
// service anniversary), but only when the query needs those bands. Every
// query works on pieces, so an attribute is always the one valid on the day
// that is counted.
//
// Dates: s is the first day of a piece, e the day after its last day
// (exclusive), and an open end is the sentinel openEnd.

const openEnd = "DATE '9999-12-31'"

// needs says which optional attributes a query uses.
type needs struct{ age, tenure bool }

func needsFor(f Filter, dims ...Dimension) needs {
	n := needs{age: f.restricted(famAge), tenure: f.restricted(famTenure)}
	for _, d := range dims {
		n.age = n.age || d == ByAgeBand
		n.tenure = n.tenure || d == ByTenureBand
	}
	return n
}

// bandCase classifies expr into bands as a SQL CASE expression.
func bandCase(expr string, bands []Band) string {
	var b strings.Builder
	b.WriteString("CASE")
	for i := len(bands) - 1; i >= 1; i-- {
		fmt.Fprintf(&b, " WHEN %s >= %s THEN %s", expr, num(bands[i].From), lit(bands[i].Label))
	}
	fmt.Fprintf(&b, " ELSE %s END", lit(bands[0].Label))
	return b.String()
}

// bandTable is a VALUES table of (label, lo, hi) with hi the next band's lower
// bound (200 for the last band: beyond any age or tenure).
func bandTable(bands []Band) string {
	rows := make([]string, len(bands))
	for i, b := range bands {
		hi := 200.0
		if i+1 < len(bands) {
			hi = bands[i+1].From
		}
		rows[i] = fmt.Sprintf("(%s, %s, %s)", lit(b.Label), num(b.From), num(hi))
	}
	return "(VALUES " + strings.Join(rows, ", ") + ")"
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// piecesSQL defines the CTE "pieces" (emp, s, e, ptf, dept, team, loc,
// gender, hours_band, age_band, tenure_band) over all employment records.
func piecesSQL(n needs) string {
	var b strings.Builder
	fmt.Fprintf(&b, `emp_rows AS (
	SELECT employee_id AS emp, start_date AS s, coalesce(end_date + 1, %[1]s) AS e,
		contract_hours / fulltime_hours AS ptf,
		department AS dept, coalesce(team, %[2]s) AS team, coalesce(location, %[2]s) AS loc,
		coalesce(gender, %[2]s) AS gender, birth_year,
		%[3]s AS hours_band
	FROM employments
)`, openEnd, lit(NotRecorded), bandCase("contract_hours", HoursBands))
	last := "emp_rows"
	if n.tenure {
		// Service is unbroken while a contract starts the day after the
		// previous one ended; tenure counts from the start of that run.
		fmt.Fprintf(&b, `,
service AS (
	SELECT *, min(s) OVER (PARTITION BY emp, run) AS service_start FROM (
		SELECT *, sum(CASE WHEN s = prev_e THEN 0 ELSE 1 END) OVER (PARTITION BY emp ORDER BY s) AS run
		FROM (SELECT *, lag(e) OVER (PARTITION BY emp ORDER BY s) AS prev_e FROM %[1]s))
),
tenure_cut AS (
	SELECT * EXCLUDE (s, e, lo, hi, ts, te, run, prev_e, service_start), greatest(s, ts) AS s, least(e, te) AS e FROM (
		SELECT r.*, t.label AS tenure_band, t.lo, t.hi,
			(r.service_start + to_years(t.lo::INTEGER))::DATE AS ts,
			(r.service_start + to_years(t.hi::INTEGER))::DATE AS te
		FROM service r, %[2]s t(label, lo, hi))
	WHERE greatest(s, ts) < least(e, te)
)`, last, bandTable(TenureBands))
		last = "tenure_cut"
	}
	if n.age {
		// Age is the calendar year minus the birth year, so bands change on
		// 1 January; a missing birth year is one NotRecorded piece.
		fmt.Fprintf(&b, `,
age_cut AS (
	SELECT * EXCLUDE (s, e, lo, hi, a_s, a_e), greatest(s, a_s) AS s, least(e, a_e) AS e FROM (
		SELECT r.*, a.label AS age_band, a.lo, a.hi,
			CASE WHEN r.birth_year IS NULL THEN r.s ELSE make_date(r.birth_year + a.lo::INTEGER, 1, 1) END AS a_s,
			CASE WHEN r.birth_year IS NULL THEN r.e ELSE make_date(r.birth_year + a.hi::INTEGER, 1, 1) END AS a_e
		FROM %[1]s r JOIN (SELECT * FROM %[2]s UNION ALL SELECT %[3]s, 0, 0) a(label, lo, hi)
			ON (r.birth_year IS NULL) = (a.label = %[3]s))
	WHERE greatest(s, a_s) < least(e, a_e)
)`, last, bandTable(AgeBands), lit(NotRecorded))
		last = "age_cut"
	}
	age, tenure := "NULL::VARCHAR", "NULL::VARCHAR"
	if n.age {
		age = "age_band"
	}
	if n.tenure {
		tenure = "tenure_band"
	}
	fmt.Fprintf(&b, `,
pieces AS (
	SELECT emp, s, e, ptf, dept, team, loc, gender, hours_band, %s AS age_band, %s AS tenure_band FROM %s
)`, age, tenure, last)
	return b.String()
}

// The absence types by what they count for.
//
//   - sickTypes count as sickness in every standard figure (ZVP, ZMF, GZVD,
//     durations, survival): the 1996 standard and CBS count incapacity from
//     sickness, pregnancy-related sickness included; organ donation is
//     incapacity of the same kind (Xpert Suite classifies it "Ziek t.g.v.
//     orgaandonatie").
//   - frequentTypes count towards frequent absence and the Bradford factor:
//     pregnancy-related sickness never does (holding it against an employee
//     is unequal treatment on grounds of sex: Algemene wet gelijke
//     behandeling, art. 7:646 BW), nor does organ donation.
//   - vangnetCase holds for a case of alias c the Ziektewet pays for (the
//     vangnet): pregnancy-related sickness (art. 29a ZW), organ donation,
//     and any case the export flags (no-risk polis).
const (
	sickTypes     = "('sickness', 'sickness_pregnancy', 'organ_donation')"
	frequentTypes = "('sickness')"
	vangnetCase   = "(c.absence_type IN ('sickness_pregnancy', 'organ_donation') OR coalesce(c.vangnet, false))"
)

// segmentsSQL defines the CTE "seg": the segments of sickness cases and of
// pregnancy leave that touch [from, to], with their exclusive end vt capped
// at the recovery date and at the day after the extract date (an open case
// is sick through the extract date). ao is the fraction of working time
// absent; typ the case's absence type; vg whether the vangnet pays.
func segmentsSQL(from, to, extract time.Time) string {
	return fmt.Sprintf(`seg AS (
	SELECT * FROM (
		SELECT g.employee_id AS emp, g.first_sick_day AS fsd, g.valid_from AS vf,
			least(coalesce(g.valid_to, %[1]s), coalesce(c.recovery_date, %[1]s), %[4]s + 1) AS vt,
			g.absence_pct / 100.0 AS ao, c.absence_type AS typ, c.recovery_date AS rec, %[6]s AS vg
		FROM case_segments g JOIN absence_cases c
			ON c.employee_id = g.employee_id AND c.first_sick_day = g.first_sick_day
		WHERE (c.absence_type IN %[5]s OR c.absence_type = 'pregnancy_leave')
			-- each side narrowed to the period before the join
			AND g.valid_from <= %[3]s AND coalesce(g.valid_to, %[1]s) > %[2]s
			AND c.first_sick_day <= %[3]s AND coalesce(c.recovery_date, %[1]s) > %[2]s)
	WHERE vt > %[2]s AND vt > vf
)`, openEnd, dateLit(from), dateLit(to), dateLit(extract), sickTypes, vangnetCase)
}

// groupCols renders the group columns of dims as "expr AS g1, expr AS g2, …",
// padded with NULLs to width columns.
func groupCols(prefix string, dims []Dimension, width int) string {
	var cols []string
	for _, d := range dims {
		for _, c := range d.cols() {
			cols = append(cols, prefix+c)
		}
	}
	out := make([]string, width)
	for i := range width {
		if i < len(cols) {
			out[i] = fmt.Sprintf("%s AS g%d", cols[i], i+1)
		} else {
			out[i] = fmt.Sprintf("NULL::VARCHAR AS g%d", i+1)
		}
	}
	return strings.Join(out, ", ")
}

func gNames(width int) string {
	out := make([]string, width)
	for i := range width {
		out[i] = fmt.Sprintf("g%d", i+1)
	}
	return strings.Join(out, ", ")
}

func gJoin(a, b string, width int) string {
	out := make([]string, width)
	for i := range width {
		out[i] = fmt.Sprintf("%[1]s.g%[3]d IS NOT DISTINCT FROM %[2]s.g%[3]d", a, b, i+1)
	}
	return strings.Join(out, " AND ")
}

func width(dims []Dimension) int {
	n := 0
	for _, d := range dims {
		n += len(d.cols())
	}
	return n
}
