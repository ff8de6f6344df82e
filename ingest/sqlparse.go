package ingest

import (
	"fmt"
	"strings"

	"github.com/verzuim/absence/ingest/internal/sqlparts"
)

// The SQL expressions that turn a raw text value into a typed one. A value
// that does not parse becomes NULL; the importer reports raw-not-NULL,
// parsed-NULL as an error on that line.

func sqlList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = sqlparts.Quote(s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// cleanText trims and turns empty into NULL.
func cleanText(col string) string { return fmt.Sprintf("NULLIF(trim(%s), '')", col) }

func dateExpr(col string, formats []string) string {
	return fmt.Sprintf("try_strptime(%s, %s)::DATE", cleanText(col), sqlList(formats))
}

// numberExpr parses a decimal number. With a decimal comma, "1.234,5" is read
// with a thousands dot; with a decimal point, a comma is an error, never
// silently a thousands separator ("37,5" must not become 375).
func numberExpr(text, decimal string) string {
	x := fmt.Sprintf("replace(%s, ' ', '')", text)
	var v string
	if decimal == "." {
		v = fmt.Sprintf("TRY_CAST(%s AS DOUBLE)", x)
	} else {
		v = fmt.Sprintf(`TRY_CAST(replace(CASE WHEN regexp_full_match(%[1]s, '-?\d{1,3}(\.\d{3})+(,\d*)?') THEN replace(%[1]s, '.', '') ELSE %[1]s END, ',', '.') AS DOUBLE)`, x)
	}
	return fmt.Sprintf("(CASE WHEN isfinite(%[1]s) THEN %[1]s END)", v)
}

// plainNumberExpr is numberExpr for a plain value (rowHasher), given as
// full. DuckDB's cast takes no space, percent sign or comma, so a value it
// casts to a finite number is left as it is by every rewrite of full, but
// for a point where the decimal separator is a comma (the thousands dot of
// "1.000"): there the cast alone gives full's value, and only the other
// values go through full.
func plainNumberExpr(col, full, decimal string) string {
	cast := fmt.Sprintf("isfinite(TRY_CAST(%s AS DOUBLE))", col)
	if decimal != "." {
		cast = fmt.Sprintf("NOT contains(%s, '.') AND %s", col, cast)
	}
	return fmt.Sprintf("(CASE WHEN %s THEN TRY_CAST(%s AS DOUBLE) ELSE %s END)", cast, col, full)
}

// percentText strips a trailing percent sign.
func percentText(col string) string {
	return fmt.Sprintf("NULLIF(trim(rtrim(trim(%s), '%%')), '')", col)
}

// enumExpr maps file values (case-insensitively) through the profile's
// [values] table; the canonical values themselves are always accepted. text
// is the value trimmed. A value written as its key is mapped without
// lowering it (the keys are lower case, so the result is the same).
func enumExpr(text string, mapping map[string]string, allowed []string) string {
	var whens strings.Builder
	seen := map[string]bool{}
	for from, to := range mapping {
		k := strings.ToLower(strings.TrimSpace(from))
		seen[k] = true
		fmt.Fprintf(&whens, " WHEN %s THEN %s", sqlparts.Quote(k), sqlparts.Quote(to))
	}
	for _, v := range allowed {
		if k := strings.ToLower(v); !seen[k] {
			fmt.Fprintf(&whens, " WHEN %s THEN %s", sqlparts.Quote(k), sqlparts.Quote(v))
		}
	}
	// An empty value would go through every WHEN twice: it is told first.
	return fmt.Sprintf("(CASE WHEN %[1]s IS NULL THEN NULL ELSE (CASE %[1]s%[2]s ELSE (CASE lower(%[1]s)%[2]s END) END) END)", text, whens.String())
}

// humanDateFormat renders "%d-%m-%Y" as "dd-mm-yyyy" for messages.
func humanDateFormat(f string) string {
	return strings.NewReplacer("%d", "dd", "%m", "mm", "%Y", "yyyy", "%y", "yy", "%H", "hh", "%M", "mi", "%S", "ss").Replace(f)
}

// dateCandidates are tried, in this order, when a profile names no date format.
// Month-first formats are left out on purpose: in Dutch exports 03-04 is
// 3 April, and guessing otherwise would silently corrupt dates.
var dateCandidates = []string{"%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%Y%m%d", "%Y-%m-%d %H:%M:%S", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M"}
