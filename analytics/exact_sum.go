package analytics

// A sum of DOUBLEs depends on the order its terms are added in, and that
// order follows DuckDB's plan (threads, hash tables, the order rows were
// stored in), so the same data could print another last digit. The SQL
// files therefore add fractions exactly: each term is counted in units of
// 2⁻⁶⁰ as a 128-bit integer (HUGEINT): times 2⁶⁰, which is exact, then
// rounded, which is exact for every term of 2⁻⁷ or more. Such integers add
// up exactly in any order, and a sum read back as a DOUBLE is a value of
// the terms alone. Terms and sums up to about 1.4·10²⁰ (DuckDB stops with
// an overflow error beyond); the largest here is about 7·10¹², the squared
// FTE days per employee of 1M employees over 6 years. (A DECIMAL(38,18)
// would do as well, but its cast back to DOUBLE costs about a microsecond a
// row; units of 2⁻⁴⁴ in a BIGINT cast faster but round terms too coarsely:
// 107.85 became 107.85000000000002.)
//
// In a SQL file: {{exact_term "days * ptf"}} is a term as such an integer;
// sum() of them is exact, also as a window (OVER) or with a FILTER; and
// {{from_exact "sum(y)"}} reads one back as a DOUBLE.

// unit is 2⁶⁰, the number of units in 1, as SQL.
const unit sqlText = "1152921504606846976"

func exactTerm(expr sqlText) sqlText { return "((" + expr + ")::DOUBLE * " + unit + ")::HUGEINT" }

// fromExact takes a string, so that a template can build a column name
// with print.
func fromExact(expr string) sqlText { return "((" + sqlText(expr) + ")::DOUBLE / " + unit + ")" }

// The KPI query adds many terms, and there the DOUBLE to HUGEINT cast cost
// most of the exactness (about 60 ns a term with its sum, against 15 for
// the two parts below). There each term t is split into two BIGINTs that
// make the same integer in units of 2⁻⁶⁰ as above: NAME_i, the integer part
// trunc(t), and NAME_f, the rest (t − trunc(t))·2⁶⁰ (exact in a DOUBLE, and
// rounded as the HUGEINT cast rounds t·2⁶⁰: to the nearest, ties to even).
// The parts are added separately (a sum of BIGINTs is a HUGEINT, exact) and
// put together once per group: NAME_i·2⁶⁰ + NAME_f, so every sum is the
// same integer as exact_term's.
//
// {{exact_parts "days * ptf" "y"}} is the columns y_i and y_f of a term;
// {{exact_sum "y" "y_vg" "FILTER (WHERE vg)"}} adds them up as y_vg_i and
// y_vg_f; {{from_exact_parts "a.y_vg"}} reads such a sum back as a DOUBLE,
// 0 when both parts are NULL.

func exactParts(expr, name string) sqlText {
	e := "(" + expr + ")::DOUBLE"
	return sqlText("trunc(" + e + ")::BIGINT AS " + name + "_i, ((" + e + " - trunc(" + e + ")) * " + string(unit) + ")::BIGINT AS " + name + "_f")
}

func exactSum(name, as, filter string) sqlText {
	if filter != "" {
		filter = " " + filter
	}
	return sqlText("sum(" + name + "_i)" + filter + " AS " + as + "_i, sum(" + name + "_f)" + filter + " AS " + as + "_f")
}

func fromExactParts(name string) sqlText {
	return sqlText("((coalesce(" + name + "_i, 0) * " + string(unit) + " + coalesce(" + name + "_f, 0))::DOUBLE / " + string(unit) + ")")
}
