package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"sort"
	"strings"

	"github.com/verzuim/absence/ingest/internal/sqlparts"
)

// detectFormats settles the date formats (the profile's, or those that parse
// the file's date columns) and whether percentages are fractions. An
// employer's part of a file has those of the file (employercol.go).
func (imp *fileImport) detectFormats(ctx context.Context) error {
	if imp.part != nil {
		return nil
	}
	imp.dateFormats = imp.profile.DateFormats
	var dateCols []string
	for _, f := range imp.profile.fields() {
		if c := imp.rawCol(f.name); c != "" && f.typ == dateField {
			dateCols = append(dateCols, c)
		}
	}
	if len(imp.dateFormats) == 0 && len(dateCols) > 0 {
		var parts []string
		for _, format := range dateCandidates {
			var hits []string
			for _, c := range dateCols {
				hits = append(hits, fmt.Sprintf("count(%s)", dateExpr(c, []string{format})))
			}
			parts = append(parts, strings.Join(hits, " + "))
		}
		query := fmt.Sprintf("SELECT %s FROM (SELECT * FROM %s LIMIT 20000)", strings.Join(parts, ", "), imp.readCSV(false))
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
		query := fmt.Sprintf("SELECT max(%[1]s) <= 1 AND bool_or(%[1]s > 0 AND %[1]s < 1) FROM (SELECT * FROM %[2]s LIMIT 20000)", v, imp.readCSV(false))
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

// fieldCheck is a rule on parsed rows: rows where cond holds are rejected
// with reason (SQL expressions), naming the file's column and the value.
type fieldCheck struct{ cond, column, value, reason string }

// parse reads the file once into a table of typed fields. Text kept as it
// was (raw_<field>) only for fields whose parsing can fail, to quote the value
// in an error; row_hash covers every column, for finding repeated rows.
func (imp *fileImport) parse(ctx context.Context) error {
	var sel, all []string
	for i := range imp.src.header {
		all = append(all, fmt.Sprintf("c%d", i+1))
	}
	imp.checks = nil
	for _, f := range imp.profile.fields() {
		c := imp.rawCol(f.name)
		if c == "" {
			sel = append(sel, fmt.Sprintf("%s AS %s", imp.impliedValue(f), f.name))
			continue
		}
		header := sqlparts.Quote(imp.src.header[imp.cols[f.name]])
		raw := "raw_" + f.name
		var expr, bad string
		switch f.typ {
		case idField, textField:
			expr, raw = cleanText(c), f.name
		case dateField:
			expr = dateExpr(c, imp.dateFormats)
			bad = fmt.Sprintf("not a valid date; expected %s", humanDateFormat(imp.dateFormats[0]))
		case numberField:
			expr = numberExpr(cleanText(c), imp.profile.DecimalSeparator)
			bad = "not a number"
		case percentField:
			expr = numberExpr(percentText(c), imp.profile.DecimalSeparator)
			if imp.fraction {
				expr = fmt.Sprintf("(%s * 100)", expr)
			}
			bad = "not a percentage"
		case enumField:
			expr = enumExpr(c, imp.profile.Values[f.name], f.allowed)
		case boolField:
			expr = fmt.Sprintf("(%s)::BOOLEAN", enumExpr(c, withBooleanWords(imp.profile.Values[f.name]), f.allowed))
			bad = "not yes or no; expected ja/nee, j/n, yes/no, true/false or 1/0"
		}
		if f.name == "vangnet" {
			expr = fmt.Sprintf("coalesce(%s, %s)", imp.impliedValue(f), expr)
		}
		sel = append(sel, fmt.Sprintf("%s AS %s", expr, f.name))
		if raw != f.name {
			sel = append(sel, fmt.Sprintf("%s AS %s", cleanText(c), raw))
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
		imp.kept = append(imp.kept, raw)
	}
	query := fmt.Sprintf(`SELECT __line, hash(%s) AS row_hash, %s FROM %s`, strings.Join(all, ", "), strings.Join(sel, ",\n"), imp.rows())
	if err := imp.temp(ctx, "parsed", query); err != nil {
		return readFault(imp.src.Path, fmt.Errorf("load: %w", err))
	}
	return nil
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
func (imp *fileImport) impliedValue(f field) string {
	c := imp.rawCol("absence_type")
	if f.name != "vangnet" || len(imp.profile.VangnetTypes) == 0 || c == "" {
		return fmt.Sprintf("NULL::%s", sqlType(f.typ))
	}
	types := make([]string, len(imp.profile.VangnetTypes))
	for i, t := range imp.profile.VangnetTypes {
		types[i] = sqlparts.Quote(strings.ToLower(strings.TrimSpace(t)))
	}
	return fmt.Sprintf("(CASE WHEN lower(%s) IN (%s) THEN true END)", cleanText(c), strings.Join(types, ", "))
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
