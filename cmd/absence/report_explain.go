package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/verzuim/absence/analytics"
)

const explainUsage = "print the SQL the report runs, with its parameters, as a script for DuckDB (PREPARE and EXECUTE), instead of the report"

// writeExplain prints the queries a report ran as a DuckDB script: each
// query prepared as it ran, with its named parameters ($name), then
// executed with the values it had. Run it with the DuckDB command line on a
// copy of the database (the server holds the file while it runs):
//
//	absence report --from 2025-01-01 --to 2025-12-31 --explain > q.sql
//	duckdb absence.duckdb < q.sql
func writeExplain(w io.Writer, command string, queries []analytics.Query) error {
	fmt.Fprintf(w, "-- %s\n-- %d queries, in the order they ran; the SQL of each is in analytics/sql.\n", command, len(queries))
	for i, q := range queries {
		name := q.Name
		if name == "" {
			name = "query"
		}
		fmt.Fprintf(w, "\n-- %d. %s\nPREPARE q%d AS\n%s;\n", i+1, name, i+1, q.SQL)
		if len(q.Params) == 0 {
			fmt.Fprintf(w, "EXECUTE q%d;\n", i+1)
			continue
		}
		values := make([]string, len(q.Params))
		for j, p := range q.Params {
			values[j] = "\n\t" + p.Name + " := " + sqlLiteral(p.Value)
		}
		fmt.Fprintf(w, "EXECUTE q%d(%s\n);\n", i+1, strings.Join(values, ","))
	}
	return nil
}

// sqlLiteral writes a parameter's value as a DuckDB literal, for the
// script only: the report itself binds it.
func sqlLiteral(v any) string {
	switch x := v.(type) {
	case time.Time:
		return "DATE '" + x.Format("2006-01-02") + "'"
	case string:
		return "'" + strings.ReplaceAll(x, "'", "''") + "'"
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprintf("%v", v)
}
