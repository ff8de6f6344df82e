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
// In a SQL file: {{exact_sum "days * ptf" "FILTER (WHERE sick)"}} is the
// sum as a DOUBLE (the expression summed, then what follows sum(…): a
// FILTER or an OVER clause). Where a sum is summed again, a query keeps
// the integers instead, which costs only an integer addition per row:
// {{exact_term "days * ptf"}} is a term as an integer, sum() of such
// integers is exact, {{from_exact "y"}} reads one back as a DOUBLE and
// {{exact_product_sum "s.y" "d.x"}} is the exact sum of the products of two
// such integers as DOUBLEs.

// unit is 2⁶⁰, the number of units in 1, as SQL.
const unit sqlText = "1152921504606846976"

func exactTerm(expr sqlText) sqlText { return "((" + expr + ")::DOUBLE * " + unit + ")::HUGEINT" }

// fromExact takes a string, so that a template can build a column name
// with print.
func fromExact(expr string) sqlText { return "((" + sqlText(expr) + ")::DOUBLE / " + unit + ")" }

func exactSum(expr sqlText, tail ...sqlText) sqlText {
	sum := "sum(" + exactTerm(expr) + ")"
	for _, t := range tail {
		sum += " " + t
	}
	return fromExact(string(sum))
}

func exactProductSum(a, b string) sqlText { return exactSum(fromExact(a) + " * " + fromExact(b)) }
