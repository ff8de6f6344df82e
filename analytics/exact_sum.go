package analytics

import "strings"

// exactSum is the SQL of the sum of DOUBLE terms, written in a SQL file as
// {{exact_sum "days * ptf" "FILTER (WHERE sick)"}}: the expression summed,
// then what follows sum(…), a FILTER or an OVER clause. A sum of DOUBLEs
// depends on the order its terms are added in, and that order follows
// DuckDB's plan (threads, hash tables, the order rows were stored in), so
// the same data could print another last digit. Here each term is rounded
// to 18 decimals and the terms are added exactly, as DECIMAL(38,18) (a
// 128-bit integer), and the sum is read back as a DOUBLE: a value of the
// terms alone. 38 digits leave 20 before the point; the largest sum is
// about 5·10¹² (the squared FTE days per employee, 1M employees over 6
// years).
func exactSum(expr string, tail ...string) sqlText {
	return sqlText("(sum((" + expr + ")::DECIMAL(38,18))" + strings.Join(append([]string{""}, tail...), " ") + ")::DOUBLE")
}
