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
// sum() of them is exact, also as a window (OVER) or with a FILTER;
// {{from_exact "sum(y)"}} reads one back as a DOUBLE; and
// {{exact_product_sum "s.y" "d.x"}} is the exact sum of the products of two
// of them read as DOUBLEs (the squares for the ZVP's interval).

// unit is 2⁶⁰, the number of units in 1, as SQL.
const unit sqlText = "1152921504606846976"

func exactTerm(expr sqlText) sqlText { return "((" + expr + ")::DOUBLE * " + unit + ")::HUGEINT" }

// fromExact takes a string, so that a template can build a column name
// with print.
func fromExact(expr string) sqlText { return "((" + sqlText(expr) + ")::DOUBLE / " + unit + ")" }

func exactProductSum(a, b string) sqlText {
	return fromExact("sum(" + string(exactTerm(fromExact(a)+" * "+fromExact(b))) + ")")
}
