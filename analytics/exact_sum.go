package analytics

// exactSum is the SQL of a sum of fractions, written in a SQL file as
// {{exact_sum "fte"}} or {{exact_sum "coalesce(st.y, 0)" "OVER w"}}: the
// expression summed, then what follows sum(…), a FILTER or an OVER clause;
// a DOUBLE.
//
// A sum of DOUBLEs depends on the order its terms are added in, and that
// order follows DuckDB's plan (threads, hash tables, the order rows were
// stored in), so the same data could print another last digit. Here each
// term is counted in units of 2⁻⁶⁰ as a 128-bit integer (HUGEINT): times
// 2⁶⁰, which is exact, then rounded, which is exact for every term of 2⁻⁷
// or more. The integers are added exactly and the sum is read back as a
// DOUBLE: a value of the terms alone, whatever their order. Terms and sums
// up to about 1.4·10²⁰ (DuckDB stops with an overflow error beyond); the
// largest here is about 7·10¹², the squared FTE days per employee of 1M
// employees over 6 years. (A DECIMAL(38,18) would do as well, but its cast
// back to DOUBLE costs about a microsecond a row.)
func exactSum(expr sqlText, tail ...sqlText) sqlText {
	return fixedPointSum("HUGEINT", "1152921504606846976", expr, tail) // 2⁶⁰
}

// exactDaySum is exactSum for terms below 2¹⁹ = 524,288, such as days of a
// period times a part-time factor (at most 80: 80 contract hours on a
// full-time week of 1 hour; so any period up to 18 years), in units of
// 2⁻⁴⁴ as a BIGINT, whose sum DuckDB keeps as a HUGEINT: the cast costs a
// third of exactSum's. Exact for every term of 2⁻⁹ or more, within
// 2.8·10⁻¹⁴ for smaller ones. {{exact_day_sum "days * ptf * ao"}}.
func exactDaySum(expr sqlText, tail ...sqlText) sqlText {
	return fixedPointSum("BIGINT", "17592186044416", expr, tail) // 2⁴⁴
}

// fixedPointSum counts each term in units of 1/scale, a power of two, as
// an integer of type typ, and reads the exact sum back as a DOUBLE.
func fixedPointSum(typ, scale, expr sqlText, tail []sqlText) sqlText {
	sum := "sum(((" + expr + ")::DOUBLE * " + scale + ")::" + typ + ")"
	for _, t := range tail {
		sum += " " + t
	}
	return "((" + sum + ")::DOUBLE / " + scale + ")"
}
