package analytics

// exactSum is the SQL of a sum of fractions, written in a SQL file as
// {{exact_sum "days * ptf" "FILTER (WHERE sick)"}}: the expression summed,
// then what follows sum(…), a FILTER or an OVER clause; a DOUBLE.
//
// A sum of DOUBLEs depends on the order its terms are added in, and that
// order follows DuckDB's plan (threads, hash tables, the order rows were
// stored in), so the same data could print another last digit. Here each
// term is counted in units of 2⁻⁶⁰ as a 128-bit integer (HUGEINT): times
// 2⁶⁰, which is exact, then rounded, which is exact for every term of 2⁻⁷
// or more. The integers are added exactly, and the sum is read back as a
// DOUBLE: a value of the terms alone, whatever their order. A HUGEINT holds
// sums up to about 1.4·10²⁰ this way (DuckDB stops with an overflow error
// beyond); the largest here is about 7·10¹², the squared FTE days per
// employee of 1M employees over 6 years. Cheaper than DECIMAL(38,18),
// whose cast back to DOUBLE costs about a microsecond a row, and closer to
// the exactly rounded sum (DuckDB's cast of a DOUBLE to DECIMAL multiplies
// by 10¹⁸ in floating point first).
func exactSum(expr sqlText, tail ...sqlText) sqlText {
	sum := "sum(((" + expr + ")::DOUBLE * " + twoTo60 + ")::HUGEINT)"
	for _, t := range tail {
		sum += " " + t
	}
	return "((" + sum + ")::DOUBLE / " + twoTo60 + ")"
}

// twoTo60 is 2⁶⁰, as SQL.
const twoTo60 sqlText = "1152921504606846976"
