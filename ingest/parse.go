package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"maps"
	"sort"
	"strings"
	"time"

	"github.com/verzuim/absence/ingest/internal/sqlparts"
)

// detectFormats settles the date formats (the profile's, or those that parse
// the file's date columns) and whether percentages are fractions. An
// employer's part of a file has those of the file (employercol.go).
func (imp *fileImport) detectFormats(ctx context.Context) error {
	if imp.part != nil {
		return nil
	}
	start := time.Now()
	defer func() {
		slog.Debug("import step", "file", imp.src.Path, "took", time.Since(start), "step", "detect formats")
	}()
	imp.dateFormats = imp.profile.DateFormats
	var dateCols []string
	for _, f := range imp.profile.fields() {
		if c := imp.rawCol(f.name); c != "" && f.typ == dateField {
			dateCols = append(dateCols, c)
		}
	}
	if len(imp.dateFormats) == 0 && len(dateCols) > 0 {
		// Each distinct value of the sample's date columns is tried once:
		// a format is kept when it parses any.
		var parts []string
		for _, format := range dateCandidates {
			parts = append(parts, fmt.Sprintf("count(CASE WHEN %s THEN %s END)", holdsLiterals("v", format), dateExpr("v", []string{format})))
		}
		query := fmt.Sprintf("SELECT %s FROM (SELECT DISTINCT unnest([%s]) AS v FROM %s)",
			strings.Join(parts, ", "), strings.Join(dateCols, ", "), imp.sample())
		counts := make([]int64, len(dateCandidates))
		ptrs := make([]any, len(counts))
		for i := range counts {
			ptrs[i] = &counts[i]
		}
		if err := imp.conn.QueryRowContext(ctx, query).Scan(ptrs...); err != nil {
			return readFault(imp.src.Path, fmt.Errorf("detect date format: %w", err))
		}
		// Keep every candidate that parses something: they cannot be confused
		// with one another (the year's position differs or the separator does).
		for i, n := range counts {
			if n > 0 {
				imp.dateFormats = append(imp.dateFormats, dateCandidates[i])
			}
		}
		if len(imp.dateFormats) == 0 {
			imp.dateFormats = []string{"%Y-%m-%d"}
		}
	}
	var human []string
	for _, f := range imp.dateFormats {
		human = append(human, humanDateFormat(f))
	}
	if len(dateCols) > 0 {
		imp.res.Detected += ", dates " + strings.Join(human, " or ")
	}

	if c := imp.rawCol("absence_pct"); c != "" {
		v := numberExpr(percentText(c), imp.profile.DecimalSeparator)
		var fraction sql.NullBool
		query := fmt.Sprintf("SELECT max(%[1]s) <= 1 AND bool_or(%[1]s > 0 AND %[1]s < 1) FROM %[2]s", v, imp.sample())
		if err := imp.conn.QueryRowContext(ctx, query).Scan(&fraction); err != nil {
			return readFault(imp.src.Path, fmt.Errorf("detect percentages: %w", err))
		}
		imp.fraction = fraction.Valid && fraction.Bool
		if imp.fraction {
			imp.res.Detected += ", percentages as fractions (0.75 = 75%)"
		}
	}
	return nil
}

// holdsLiterals is a condition on text column c that every value parsing
// with date format holds: it contains the format's literal characters
// (DuckDB's strptime matches them exactly). A failed parse costs more than
// a successful one, so detection tests it first: most candidates then fail
// without a parse.
func holdsLiterals(c, format string) string {
	conds := []string{"true"}
	seen := map[byte]bool{}
	for i := 0; i < len(format); i++ {
		switch b := format[i]; {
		case b == '%':
			i++ // a directive
		case b != ' ' && !seen[b]: // a space matches any whitespace
			seen[b] = true
			conds = append(conds, fmt.Sprintf("contains(%s, %s)", c, sqlparts.Quote(string(b))))
		}
	}
	return strings.Join(conds, " AND ")
}

// fieldCheck is a rule on parsed rows: rows where cond holds are rejected
// with reason (SQL expressions), naming the file's column and the value.
type fieldCheck struct{ cond, column, value, reason string }

// parse reads the file once into parsed, a table of typed fields. Dates, and
// numbers written with a decimal point, are read typed by the CSV reader
// (typedColumns); the other fields go through the expressions of
// sqlparse.go. Only the rows that fail somewhere — a value the reader cannot
// cast, or one a field check rejects — are read again as text, into
// parsed_raw, which keeps what the file said (raw_<field>) to quote in their
// errors and replaces them in parsed. An employer's part of a combined file
// is read as text (rows).
func (imp *fileImport) parse(ctx context.Context) error {
	var typed map[string]string
	if imp.part == nil && !imp.textOnly {
		var err error
		if typed, err = imp.typedColumns(ctx); err != nil {
			return err
		}
	}
	fast, conds := imp.parseFields(typed, true)
	var names []string
	imp.kept = nil
	for _, f := range imp.profile.fields() {
		names = append(names, f.name)
		if imp.rawCol(f.name) != "" {
			imp.kept = append(imp.kept, f.name)
		}
	}
	bad := []string{"NOT __plain"}
	if imp.textOnly {
		bad[0] = "true"
	}
	for _, c := range conds {
		bad = append(bad, "("+c+")")
	}
	// A check that cannot tell (NULL) does not reject: one coalesce for
	// them all costs less than one each.
	query := fmt.Sprintf(`SELECT __line, %s, coalesce(%s, false) AS __bad FROM (SELECT __line, __plain, %s FROM %s)`,
		strings.Join(names, ", "), strings.Join(bad, " OR "), strings.Join(fast, ",\n"), imp.rows(typed, true))
	if err := imp.temp(ctx, "parsed", query); err != nil {
		return readFault(imp.src.Path, fmt.Errorf("load: %w", err))
	}
	// The rows to read again as text: those a check rejects, and those the
	// reader could not cast (they are not in parsed; only a typed read has
	// them, and an employer's later part has no reject table at all).
	recheck := `SELECT __line FROM parsed WHERE __bad`
	if len(typed) > 0 {
		recheck += ` UNION SELECT ` + imp.rejectedLine() + ` FROM raw_rejects WHERE error_type = 'CAST'`
	}
	if err := imp.temp(ctx, "recheck", recheck); err != nil {
		return err
	}
	if err := imp.conn.QueryRowContext(ctx, `SELECT count(*) FROM recheck`).Scan(&imp.rechecked); err != nil {
		return fmt.Errorf("count the rows to read again: %w", err)
	}
	slow, _ := imp.parseFields(nil, false) // the checks (imp.checks) are those of the text
	if imp.rechecked == 0 {
		return nil
	}
	query = fmt.Sprintf(`SELECT __line, %s FROM %s SEMI JOIN recheck USING (__line)`, strings.Join(slow, ",\n"), imp.rows(nil, false))
	if err := imp.temp(ctx, "parsed_raw", query); err != nil {
		return readFault(imp.src.Path, fmt.Errorf("load: %w", err))
	}
	if err := imp.exec(ctx, `DELETE FROM parsed WHERE __bad`); err != nil {
		return err
	}
	return imp.exec(ctx, fmt.Sprintf(`INSERT INTO parsed SELECT __line, %s, false FROM parsed_raw`, strings.Join(names, ", ")))
}

// parseFields builds the select list that types each field of the profile
// (expr AS field, and raw_<field> with the text where parsing can fail),
// from text columns or, where typed names a type, from typed ones; it
// records the field checks (imp.checks, on the text) and returns their
// conditions. For plain rows (rowHasher) text needs no trimming.
func (imp *fileImport) parseFields(typed map[string]string, plain bool) (sel, conds []string) {
	imp.checks = nil
	clean := cleanText
	if plain {
		clean = func(c string) string { return c } // the reader makes an empty value NULL
	}
	for _, f := range imp.profile.fields() {
		c := imp.rawCol(f.name)
		if c == "" {
			sel = append(sel, fmt.Sprintf("%s AS %s", imp.impliedValue(f, clean), f.name))
			continue
		}
		header := sqlparts.Quote(imp.src.header[imp.cols[f.name]])
		raw := "raw_" + f.name
		rawExpr := clean(c)
		var expr, bad string
		switch f.typ {
		case idField, textField:
			expr, raw = clean(c), f.name
		case dateField:
			expr = dateExpr(c, imp.dateFormats)
			bad = fmt.Sprintf("not a valid date; expected %s", humanDateFormat(imp.dateFormats[0]))
		case numberField, percentField:
			text := clean(c)
			bad = "not a number"
			if f.typ == percentField {
				text, bad = percentText(c), "not a percentage"
			}
			expr = numberExpr(text, imp.profile.DecimalSeparator)
			if plain {
				expr = plainNumberExpr(c, expr, imp.profile.DecimalSeparator)
			}
		case enumField:
			expr = enumExpr(clean(c), imp.profile.Values[f.name], f.allowed)
		case boolField:
			expr = fmt.Sprintf("(%s)::BOOLEAN", enumExpr(clean(c), withBooleanWords(imp.profile.Values[f.name]), f.allowed))
			bad = "not yes or no; expected ja/nee, j/n, yes/no, true/false or 1/0"
		}
		switch typed[c] {
		case "DATE": // cast by the reader: never a value it could not parse
			expr, rawExpr = c, c
		case "DOUBLE": // the reader takes inf and nan, which a number is not
			expr, rawExpr = fmt.Sprintf("(CASE WHEN isfinite(%[1]s) THEN %[1]s END)", c), c
		}
		if f.typ == percentField && imp.fraction {
			expr = fmt.Sprintf("(%s * 100)", expr)
		}
		if f.name == "vangnet" {
			expr = fmt.Sprintf("coalesce(%s, %s)", imp.impliedValue(f, clean), expr)
		}
		sel = append(sel, fmt.Sprintf("%s AS %s", expr, f.name))
		if raw != f.name {
			sel = append(sel, fmt.Sprintf("%s AS %s", rawExpr, raw))
		}
		if f.required {
			imp.checks = append(imp.checks, fieldCheck{raw + " IS NULL", header, "NULL", sqlparts.Quote(imp.src.header[imp.cols[f.name]] + " is empty")})
		}
		reason := sqlparts.Quote(bad)
		if f.typ == enumField {
			reason = imp.unknownValueReason(f, raw)
		}
		if bad != "" || f.typ == enumField {
			imp.checks = append(imp.checks, fieldCheck{fmt.Sprintf("%s IS NOT NULL AND %s IS NULL", raw, f.name), header, raw, reason})
		}
		switch f.typ {
		case dateField:
			imp.checks = append(imp.checks, fieldCheck{fmt.Sprintf("NOT %s BETWEEN DATE '1900-01-01' AND DATE '2100-12-31'", f.name), header, raw, "'date out of range (1900–2100); is the year written in full?'"})
		case percentField:
			imp.checks = append(imp.checks, fieldCheck{fmt.Sprintf("NOT %s BETWEEN 0 AND 100", f.name), header, raw, "'percentage must be between 0 and 100'"})
		}
	}
	for _, ch := range imp.checks {
		conds = append(conds, ch.cond)
	}
	return sel, conds
}

// typedColumns chooses the columns the CSV reader casts itself: dates when
// the file has one date format (without a time), and numbers when the
// profile says they are written with a decimal point — there the reader
// takes exactly what the expressions take ("auto" and the comma read
// "1.234" as 1234). A column whose sample casts badly stays text, so a file
// written otherwise is not read twice.
func (imp *fileImport) typedColumns(ctx context.Context) (map[string]string, error) {
	typed := map[string]string{}
	var tests []string
	var cols []string
	for _, f := range imp.profile.fields() {
		c := imp.rawCol(f.name)
		switch {
		case c == "":
			continue
		case f.typ == dateField && len(imp.dateFormats) == 1 && !strings.Contains(imp.dateFormats[0], "%H"):
			typed[c] = "DATE"
			tests = append(tests, fmt.Sprintf("count(*) FILTER (trim(%[1]s) <> '' AND try_strptime(%[1]s, %[2]s) IS NULL)", c, sqlparts.Quote(imp.dateFormats[0])))
		case (f.typ == numberField || f.typ == percentField) && imp.profile.DecimalSeparator == ".":
			typed[c] = "DOUBLE"
			tests = append(tests, fmt.Sprintf("count(*) FILTER (trim(%[1]s) <> '' AND TRY_CAST(%[1]s AS DOUBLE) IS NULL)", c))
		default:
			continue
		}
		cols = append(cols, c)
	}
	if len(cols) == 0 {
		return nil, nil
	}
	start := time.Now()
	defer func() {
		slog.Debug("import step", "file", imp.src.Path, "took", time.Since(start), "step", "sample the typed columns")
	}()
	fails := make([]int64, len(cols))
	ptrs := make([]any, len(cols)+1)
	var sample int64
	ptrs[0] = &sample
	for i := range fails {
		ptrs[i+1] = &fails[i]
	}
	query := fmt.Sprintf("SELECT count(*), %s FROM %s", strings.Join(tests, ", "), imp.sample())
	if err := imp.conn.QueryRowContext(ctx, query).Scan(ptrs...); err != nil {
		return nil, readFault(imp.src.Path, fmt.Errorf("sample the typed columns: %w", err))
	}
	for i, c := range cols {
		if fails[i]*100 > sample {
			delete(typed, c)
		}
	}
	return typed, nil
}

func sqlType(t fieldType) string {
	switch t {
	case dateField:
		return "DATE"
	case numberField, percentField:
		return "DOUBLE"
	case boolField:
		return "BOOLEAN"
	default:
		return "VARCHAR"
	}
}

// unknownValueReason is the SQL reason for a value of enum field f that
// neither the profile's [values] nor the canonical vocabulary knows: the
// value, the known ones and the line to add to the profile.
func (imp *fileImport) unknownValueReason(f field, raw string) string {
	return fmt.Sprintf(`'unknown %[1]s "' || %[2]s || '"; known values: %[3]s. To import it, add "' || %[2]s || '" = "%[4]s" (or %[5]s) under [values.%[1]s] in a copy of profile %[6]s'`,
		f.name, raw, strings.ReplaceAll(strings.Join(enumLabels(imp.profile.Values[f.name], f.allowed), ", "), "'", "''"),
		f.allowed[0], strings.Join(f.allowed[1:], ", "), strings.ReplaceAll(imp.profile.Name, "'", "''"))
}

// impliedValue is what a field holds when the file has no column for it:
// NULL, except vangnet, which a profile's vangnet_types derive from the
// absence type ("Vangnetindicatie").
func (imp *fileImport) impliedValue(f field, clean func(string) string) string {
	c := imp.rawCol("absence_type")
	if f.name != "vangnet" || len(imp.profile.VangnetTypes) == 0 || c == "" {
		return fmt.Sprintf("NULL::%s", sqlType(f.typ))
	}
	types := make([]string, len(imp.profile.VangnetTypes))
	for i, t := range imp.profile.VangnetTypes {
		types[i] = sqlparts.Quote(strings.ToLower(strings.TrimSpace(t)))
	}
	// Written in lower case, the value needs no lowering.
	return fmt.Sprintf("(CASE WHEN %[1]s IN (%[2]s) THEN true WHEN lower(%[1]s) IN (%[2]s) THEN true END)", clean(c), strings.Join(types, ", "))
}

// booleanWords are the spellings of yes and no a boolean field accepts
// without a [values] table.
var booleanWords = map[string]string{
	"ja": "true", "j": "true", "yes": "true", "y": "true", "1": "true", "waar": "true",
	"nee": "false", "n": "false", "no": "false", "0": "false", "onwaar": "false",
}

func withBooleanWords(mapping map[string]string) map[string]string {
	out := maps.Clone(booleanWords)
	maps.Copy(out, mapping)
	return out
}

func enumLabels(mapping map[string]string, allowed []string) []string {
	if len(mapping) == 0 {
		return allowed
	}
	var labels []string
	for from := range mapping {
		labels = append(labels, fmt.Sprintf("%q", from))
	}
	sort.Strings(labels)
	return labels
}
