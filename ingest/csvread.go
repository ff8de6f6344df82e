package ingest

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/verzuim/absence/ingest/internal/sqlparts"
)

// readCSV is DuckDB's CSV reader over the numbered copy: each row's line
// (__line) and whether it is plain (__plain: the copy's line is negative
// when not), then each column as text, or as the type typed names for it
// (parse). With rejects, rows it cannot split or cast land in its
// (per-connection) reject table.
func (imp *fileImport) readCSV(typed map[string]string, rejects bool) string {
	opts := "ignore_errors=true"
	if rejects {
		opts = "store_rejects=true, rejects_table='raw_rejects', rejects_scan='raw_reject_scans', rejects_limit=0"
	}
	return imp.scanCSV(typed, opts)
}

// sampleRows is how many rows the formats are detected from.
const sampleRows = 20000

// sample is the rows of the numbered copy the formats are detected from, as
// text: the first the reader gives. Its buffers are 2 MB, or twice the
// longest line if that is more (a buffer holds at least one line), not its
// default of sixteen times the longest line: with 16 MB buffers a sample
// took 25–50 ms at a million employees, with 2 MB buffers 6–12 ms.
func (imp *fileImport) sample() string {
	buffer := max(2<<20, 2*imp.maxLineSize())
	return fmt.Sprintf("(SELECT * FROM %s LIMIT %d)", imp.scanCSV(nil, fmt.Sprintf("ignore_errors=true, buffer_size=%d", buffer)), sampleRows)
}

// scanCSV is readCSV with the reader's options for errors given.
func (imp *fileImport) scanCSV(typed map[string]string, opts string) string {
	cols := []string{"'__line': 'BIGINT'"}
	for i := range imp.src.header {
		c := fmt.Sprintf("c%d", i+1)
		cols = append(cols, fmt.Sprintf("'%s': '%s'", c, cmp.Or(typed[c], "VARCHAR")))
	}
	if len(typed) > 0 {
		opts += ", dateformat=" + sqlparts.Quote(imp.dateFormats[0])
	}
	return fmt.Sprintf(`(SELECT abs(__line) AS __line, __line > 0 AS __plain, * EXCLUDE (__line) FROM read_csv(%s, delim=%s, quote='"', escape='"', header=true, auto_detect=false,
		new_line='\n', columns={%s}, %s, strict_mode=true, null_padding=false, max_line_size=%d))`,
		sqlparts.Quote(imp.numbered), sqlparts.Quote(imp.src.delimiter), strings.Join(cols, ", "), opts, imp.maxLineSize())
}

// maxLineSize is the longest line of the numbered copy: the reading pass
// held every row to the limits; the line number and delimiter it put in
// front need a few bytes more.
func (imp *fileImport) maxLineSize() int { return imp.limits.MaxLineBytes + 64 }

var columnCount = regexp.MustCompile(`Expected Number of Columns: (\d+) Found: (\d+)`)

// structuralRejects turns DuckDB's rejects into our errors, one per row; a
// value it could not cast is no reject of its own (parse reads that row again). The
// line number is the one we prepended to the row, never DuckDB's own count.
func (imp *fileImport) structuralRejects(ctx context.Context) error {
	if !imp.part.fileRejects() {
		return nil // another employer's part of the file reports them
	}
	rows, err := imp.conn.QueryContext(ctx, fmt.Sprintf(`SELECT DISTINCT %s, error_type::VARCHAR, error_message
		FROM raw_rejects WHERE error_type <> 'CAST'`, imp.rejectedLine()))
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
				r.reason = fieldCountReason(r.fields, len(imp.src.header))
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

// rejectedLine is the SQL for the line of a row in the reject table: the
// first value of the row as the copy has it, without its sign.
func (imp *fileImport) rejectedLine() string {
	return fmt.Sprintf("abs(TRY_CAST(split_part(csv_line, %s, 1) AS BIGINT))", sqlparts.Quote(imp.src.delimiter))
}

// addRowRejects records rows rejected as a whole, all in one statement.
func (imp *fileImport) addRowRejects(ctx context.Context, rejects []rowReject) error {
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
