package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// importer holds one file's import on one connection: DuckDB's temp tables
// (the raw rows, the reject tables) live per connection.
type importer struct {
	conn     *sql.Conn
	store    *Store
	profile  *Profile
	src      *sourceFile
	cols     map[string]int // canonical field → column index in the header
	res      *Result
	extract  time.Time
	numbered string
	progress func(string)
	// readRejects are the rows the reading pass refused; DuckDB never saw them.
	readRejects []rowReject

	dateFormats []string
	fraction    bool         // percentages come as fractions (0,75)
	checks      []fieldCheck // per-field rules, made while building the parse
	kept        []string     // parsed columns that hold what the file said
	temps       []string
}

func (imp *importer) exec(ctx context.Context, query string, args ...any) error {
	start := time.Now()
	if _, err := imp.conn.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("%w\nin: %.300s", err, query)
	}
	slog.Debug("import step", "file", imp.src.Path, "took", time.Since(start), "sql", truncate(strings.Join(strings.Fields(query), " "), 120))
	return nil
}

// temp creates a temp table and remembers to drop it: the connection goes back
// to the pool afterwards.
func (imp *importer) temp(ctx context.Context, name, as string) error {
	imp.temps = append(imp.temps, name)
	return imp.exec(ctx, fmt.Sprintf("CREATE OR REPLACE TEMP TABLE %s AS %s", name, as))
}

func (imp *importer) dropTemps() {
	ctx := context.Background()
	for _, t := range append(imp.temps, "raw_rejects", "raw_reject_scans") {
		imp.conn.ExecContext(ctx, "DROP TABLE IF EXISTS temp."+t)
	}
}

// raw column name of a canonical field, or "" when the file lacks it.
func (imp *importer) rawCol(field string) string {
	i, ok := imp.cols[field]
	if !ok {
		return ""
	}
	return fmt.Sprintf("c%d", i+1)
}

func (imp *importer) run(ctx context.Context) error {
	if err := imp.exec(ctx, "SET preserve_insertion_order = false"); err != nil {
		return err
	}
	if err := imp.exec(ctx, pseudonymMacro(imp.store.key)); err != nil {
		return err
	}
	if err := imp.temp(ctx, "errs", `SELECT NULL::BIGINT AS line, NULL::VARCHAR AS column_name, NULL::VARCHAR AS raw_value, NULL::VARCHAR AS reason LIMIT 0`); err != nil {
		return err
	}
	if err := imp.addRowRejects(ctx, imp.readRejects); err != nil {
		return err
	}
	imp.progress("loading")
	if err := imp.detectFormats(ctx); err != nil {
		return err
	}
	if err := imp.parse(ctx); err != nil {
		return err
	}
	imp.progress("validating")
	if err := imp.structuralRejects(ctx); err != nil {
		return err
	}
	if err := imp.markDuplicates(ctx); err != nil {
		return err
	}
	if err := imp.checkFields(ctx); err != nil {
		return err
	}
	switch imp.profile.Kind {
	case KindAbsence:
		return imp.buildCases(ctx)
	case KindEmployment:
		return imp.buildEmployments(ctx)
	case KindMilestone:
		return imp.buildMilestones(ctx)
	default:
		return imp.buildInterventions(ctx)
	}
}

// readCSV is DuckDB's CSV reader over the numbered copy, every column as text.
// With rejects, rows it cannot split land in its (per-connection) reject table.
func (imp *importer) readCSV(rejects bool) string {
	var cols []string
	cols = append(cols, "'__line': 'BIGINT'")
	for i := range imp.src.Header {
		cols = append(cols, fmt.Sprintf("'c%d': 'VARCHAR'", i+1))
	}
	opts := "ignore_errors=true"
	if rejects {
		opts = "store_rejects=true, rejects_table='raw_rejects', rejects_scan='raw_reject_scans', rejects_limit=0"
	}
	// The reading pass held every row to the limits; the line number and
	// delimiter it put in front need a few bytes more.
	return fmt.Sprintf(`read_csv(%s, delim=%s, quote='"', escape='"', header=true, auto_detect=false,
		new_line='\n', columns={%s}, %s, strict_mode=true, null_padding=false, max_line_size=%d)`,
		sqlString(imp.numbered), sqlString(imp.src.Delimiter), strings.Join(cols, ", "), opts, imp.store.limits.MaxLineBytes+64)
}

var columnCount = regexp.MustCompile(`Expected Number of Columns: (\d+) Found: (\d+)`)

// structuralRejects turns DuckDB's rejects into our errors, one per row. The
// line number is the one we prepended to the row, never DuckDB's own count.
func (imp *importer) structuralRejects(ctx context.Context) error {
	rows, err := imp.conn.QueryContext(ctx, fmt.Sprintf(`SELECT DISTINCT TRY_CAST(split_part(csv_line, %s, 1) AS BIGINT), error_type::VARCHAR, error_message
		FROM raw_rejects`, sqlString(imp.src.Delimiter)))
	if err != nil {
		return fmt.Errorf("read rejects: %w", err)
	}
	defer rows.Close()
	// DuckDB reports a row with too many fields once per field it could not
	// place; the row gets one reason, with the count of the whole row.
	type reject struct {
		reason string
		fields int
	}
	byLine := map[int64]reject{}
	for rows.Next() {
		var line sql.NullInt64
		var typ, msg string
		if err := rows.Scan(&line, &typ, &msg); err != nil {
			return err
		}
		if !line.Valid {
			slog.Warn("import: a row DuckDB could not read has no line number", "file", imp.src.Path, "error", msg)
			return badFile{errors.New("a row cannot be read as CSV and its line cannot be told; export the file again")}
		}
		r := reject{reason: "cannot be read as a CSV row"}
		switch typ {
		case "TOO MANY COLUMNS", "MISSING COLUMNS":
			if m := columnCount.FindStringSubmatch(msg); m != nil {
				r.fields, _ = strconv.Atoi(m[2])
				r.fields-- // our line number
				r.reason = fieldCountReason(r.fields, len(imp.src.Header))
			}
		case "UNQUOTED VALUE":
			r.reason = "has a quote (\") inside a value that is not quoted"
		default:
			slog.Debug("import: row rejected by the CSV reader", "file", imp.src.Path, "line", line.Int64, "type", typ, "error", msg)
		}
		if prev, seen := byLine[line.Int64]; !seen || r.fields > prev.fields {
			byLine[line.Int64] = r
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	var rejects []rowReject
	for line, r := range byLine {
		rejects = append(rejects, rowReject{line: line, reason: r.reason})
	}
	return imp.addRowRejects(ctx, rejects)
}

// addRowRejects records rows rejected as a whole, all in one statement.
func (imp *importer) addRowRejects(ctx context.Context, rejects []rowReject) error {
	if len(rejects) == 0 {
		return nil
	}
	lines := make([]int64, len(rejects))
	columns := make([]string, len(rejects))
	reasons := make([]string, len(rejects))
	for i, r := range rejects {
		lines[i], columns[i], reasons[i] = r.line, r.column, r.reason
	}
	return imp.exec(ctx, `INSERT INTO errs SELECT unnest($1::BIGINT[]), NULLIF(unnest($2::VARCHAR[]), ''), NULL, unnest($3::VARCHAR[])`, lines, columns, reasons)
}

// readFault classifies an error DuckDB raised while reading the user's file
// (its numbered copy). The reading pass lets through only what a CSV reader
// should manage, so such an error lies in the file, unless it is the
// machine's: out of memory, disk or other I/O, an interrupted query, a broken
// connection; after those the same file is worth another try. A bad file is
// told in words a payroll administrator understands; the engine's own
// message goes to the log.
func readFault(file string, err error) error {
	var engine *duckdb.Error
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &engine) {
		return err
	}
	switch engine.Type {
	case duckdb.ErrorTypeIO, duckdb.ErrorTypeOutOfMemory, duckdb.ErrorTypeInterrupt, duckdb.ErrorTypeFatal,
		duckdb.ErrorTypeConnection, duckdb.ErrorTypePermission, duckdb.ErrorTypeTransaction:
		return err
	}
	slog.Warn("import: the CSV reader refused the file", "file", file, "error", err)
	return badFile{errors.New("the file cannot be read as CSV: it is damaged or is not a plain CSV export (binary content, mixed line endings, …); export it again")}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// detectFormats settles the date formats (the profile's, or those that parse
// the file's date columns) and whether percentages are fractions.
func (imp *importer) detectFormats(ctx context.Context) error {
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
func (imp *importer) parse(ctx context.Context) error {
	var sel, all []string
	for i := range imp.src.Header {
		all = append(all, fmt.Sprintf("c%d", i+1))
	}
	imp.checks = nil
	for _, f := range imp.profile.fields() {
		c := imp.rawCol(f.name)
		if c == "" {
			sel = append(sel, fmt.Sprintf("%s AS %s", imp.impliedValue(f), f.name))
			continue
		}
		header := sqlString(imp.src.Header[imp.cols[f.name]])
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
			imp.checks = append(imp.checks, fieldCheck{raw + " IS NULL", header, "NULL", sqlString(imp.src.Header[imp.cols[f.name]] + " is empty")})
		}
		reason := sqlString(bad)
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
	query := fmt.Sprintf(`SELECT __line, hash(%s) AS row_hash, %s FROM %s`, strings.Join(all, ", "), strings.Join(sel, ",\n"), imp.readCSV(true))
	if err := imp.temp(ctx, "parsed", query); err != nil {
		return readFault(imp.src.Path, fmt.Errorf("load: %w", err))
	}
	return nil
}

// duplicateReason marks, in errs, a row that repeats an earlier row exactly:
// skipped and counted, but not an error.
const duplicateReason = "duplicate"

// markDuplicates finds exact repeats. The hash narrows the search to a few
// rows; equal hashes with equal fields are repeats (a row that differs only
// in a column we do not store repeats all that we would store).
func (imp *importer) markDuplicates(ctx context.Context) error {
	return imp.exec(ctx, fmt.Sprintf(`INSERT INTO errs SELECT __line, NULL, NULL, %s FROM (
			SELECT __line, row_number() OVER (PARTITION BY row_hash, %s ORDER BY __line) AS rn
			FROM parsed WHERE row_hash IN (SELECT row_hash FROM parsed GROUP BY row_hash HAVING count(*) > 1))
		WHERE rn > 1`, sqlString(duplicateReason), strings.Join(imp.kept, ", ")))
}

// checkFields records one error per bad value of each row.
func (imp *importer) checkFields(ctx context.Context) error {
	var unions []string
	for _, ch := range imp.checks {
		unions = append(unions, fmt.Sprintf("SELECT __line, %s, %s, %s FROM parsed p WHERE %s AND NOT EXISTS (SELECT 1 FROM errs e WHERE e.line = p.__line)",
			ch.column, ch.value, ch.reason, ch.cond))
	}
	if len(unions) == 0 {
		return nil
	}
	return imp.addErrors(ctx, strings.Join(unions, "\nUNION ALL\n"))
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
func (imp *importer) unknownValueReason(f field, raw string) string {
	return fmt.Sprintf(`'unknown %[1]s "' || %[2]s || '"; known values: %[3]s. To import it, add "' || %[2]s || '" = "%[4]s" (or %[5]s) under [values.%[1]s] in a copy of profile %[6]s'`,
		f.name, raw, strings.ReplaceAll(strings.Join(enumLabels(imp.profile.Values[f.name], f.allowed), ", "), "'", "''"),
		f.allowed[0], strings.Join(f.allowed[1:], ", "), strings.ReplaceAll(imp.profile.Name, "'", "''"))
}

// impliedValue is what a field holds when the file has no column for it:
// NULL, except vangnet, which a profile's vangnet_types derive from the
// absence type ("Vangnetindicatie").
func (imp *importer) impliedValue(f field) string {
	c := imp.rawCol("absence_type")
	if f.name != "vangnet" || len(imp.profile.VangnetTypes) == 0 || c == "" {
		return fmt.Sprintf("NULL::%s", sqlType(f.typ))
	}
	types := make([]string, len(imp.profile.VangnetTypes))
	for i, t := range imp.profile.VangnetTypes {
		types[i] = sqlString(strings.ToLower(strings.TrimSpace(t)))
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

// rowCheck is a kind-specific rule on parsed rows: rows where cond holds are
// rejected with reason, naming column and value.
type rowCheck struct{ cond, field, value, reason string }

// applyRowChecks records the errors of each rule on the rows not yet rejected.
func (imp *importer) applyRowChecks(ctx context.Context, table string, checks []rowCheck) error {
	var unions []string
	for _, ch := range checks {
		col := "NULL"
		if i, ok := imp.cols[ch.field]; ok {
			col = sqlString(imp.src.Header[i])
		}
		unions = append(unions, fmt.Sprintf("SELECT line, %s, %s, %s FROM %s t WHERE %s AND NOT EXISTS (SELECT 1 FROM errs e WHERE e.line = t.line)",
			col, ch.value, ch.reason, table, ch.cond))
	}
	if len(unions) == 0 {
		return nil
	}
	return imp.addErrors(ctx, strings.Join(unions, "\nUNION ALL\n"))
}

// addErrors records the errors a query finds, all of them: the query runs to
// the end before errs changes, so a row with two faults gets both reasons
// (inside one INSERT, DuckDB may already see the statement's own rows).
func (imp *importer) addErrors(ctx context.Context, query string) error {
	if err := imp.temp(ctx, "new_errs", query); err != nil {
		return err
	}
	return imp.exec(ctx, "INSERT INTO errs SELECT * FROM new_errs")
}
