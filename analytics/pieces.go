package analytics

import (
	"fmt"
	"slices"
	"strings"
)

// The Go side of the shared SQL building blocks (sql/pieces.sql,
// sql/segments.sql, sql/employed.sql): which optional attributes a query
// needs, the bands as bound parameters, and the group columns g1, g2, … a
// dimension groups by.

// needs says which optional attributes a query uses.
type needs struct{ age, tenure, employer bool }

func needsFor(f Filter, dims ...Dimension) needs {
	n := needs{age: f.restricted(famAge), tenure: f.restricted(famTenure)}
	for _, d := range dims {
		n.age = n.age || d == ByAgeBand
		n.tenure = n.tenure || d == ByTenureBand
		n.employer = n.employer || d == ByEmployer
	}
	return n
}

// needsCols is needsFor for queries that group by piece columns.
func needsCols(f Filter, cols []string) needs {
	return needs{age: f.restricted(famAge) || slices.Contains(cols, "age_band"), tenure: f.restricted(famTenure) || slices.Contains(cols, "tenure_band"),
		employer: slices.Contains(cols, "employer")}
}

// piecesData is the data of the template "pieces".
type piecesData struct {
	Age, Tenure, Employer            bool
	HoursBand, AgeBands, TenureBands sqlText
}

func pieces(p params, n needs) piecesData {
	p.set("not_recorded", NotRecorded)
	return piecesData{Age: n.age, Tenure: n.tenure, Employer: n.employer,
		HoursBand:   bandCase(p, "contract_hours", "hours_band", HoursBands),
		AgeBands:    bandTable(p, "age_band", AgeBands),
		TenureBands: bandTable(p, "tenure_band", TenureBands)}
}

// bandCase classifies expr into bands as a SQL CASE expression; the bands'
// labels and bounds are parameters $name_N and $name_N_from.
func bandCase(p params, expr, name string, bands []Band) sqlText {
	var b strings.Builder
	b.WriteString("CASE")
	for i := len(bands) - 1; i >= 1; i-- {
		fmt.Fprintf(&b, " WHEN %s >= %s THEN %s::VARCHAR", expr,
			p.set(fmt.Sprintf("%s_%d_from", name, i+1), bands[i].From), p.set(fmt.Sprintf("%s_%d", name, i+1), bands[i].Label))
	}
	fmt.Fprintf(&b, " ELSE %s::VARCHAR END", p.set(name+"_1", bands[0].Label))
	return sqlText(b.String())
}

// bandTable is a VALUES table of (label, lo, hi) with hi the next band's
// lower bound (200 for the last band: beyond any age or tenure), as
// parameters $name_N, $name_N_from and $name_N_to.
func bandTable(p params, name string, bands []Band) sqlText {
	rows := make([]string, len(bands))
	for i, b := range bands {
		hi := 200.0
		if i+1 < len(bands) {
			hi = bands[i+1].From
		}
		n := fmt.Sprintf("%s_%d", name, i+1)
		rows[i] = fmt.Sprintf("(%s::VARCHAR, %s::DOUBLE, %s::DOUBLE)", p.set(n, b.Label), p.set(n+"_from", b.From), p.set(n+"_to", hi))
	}
	return sqlText("(VALUES " + strings.Join(rows, ", ") + ")")
}

// vocabulary binds the names the queries give to groups, arms and ways a
// case ends: the Go constants, so that SQL and Go agree on them. A query
// keeps only those it uses.
func (p params) vocabulary() params {
	for name, v := range map[string]string{
		"not_recorded": NotRecorded, "censored": censored, "return_talk": ReturnTalk,
		"end_own_employer": EndOwnEmployer, "end_second_track": EndSecondTrack, "end_wia_iva": EndWIA,
		"end_employment_ended": EndEmploymentEnded, "end_other": EndOther,
		"arm_return_talk": ArmReturnTalk, "arm_no_return_talk": ArmNoReturnTalk,
		"group_frequent": GroupFrequent, "group_other": GroupOther,
		"unlinked_no_case": UnlinkedNoCase, "unlinked_not_sickness": UnlinkedNotSickness, "unlinked_no_contract": UnlinkedNoContract,
	} {
		p.set(name, v)
	}
	return p
}

// groupCols renders the group columns of dims as "expr AS g1, expr AS g2, …",
// padded with NULLs to width columns.
func groupCols(prefix string, dims []Dimension, width int) sqlText {
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
	return sqlText(strings.Join(out, ", "))
}

func gNames(width int) sqlText { return prefixed("", width) }

func prefixed(p string, w int) sqlText {
	out := make([]string, w)
	for i := range w {
		out[i] = fmt.Sprintf("%sg%d", p, i+1)
	}
	return sqlText(strings.Join(out, ", "))
}

func gJoin(a, b string, width int) sqlText {
	out := make([]string, width)
	for i := range width {
		out[i] = fmt.Sprintf("%[1]s.g%[3]d IS NOT DISTINCT FROM %[2]s.g%[3]d", a, b, i+1)
	}
	return sqlText(strings.Join(out, " AND "))
}

func width(dims []Dimension) int {
	n := 0
	for _, d := range dims {
		n += len(d.cols())
	}
	return n
}
