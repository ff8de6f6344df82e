package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/verzuim/absence/ingest/storage"
)

// fileImport holds one file's import on one session's connection: DuckDB's
// temp tables (the raw rows, the reject tables, what the import stages)
// live per connection.
type fileImport struct {
	conn     *sql.Conn
	profile  *Profile
	src      *Source
	limits   Limits
	cols     map[string]int // canonical field → column index in the header
	res      *Result
	extract  time.Time
	numbered string
	progress func(string)
	// readRejects are the rows the reading pass refused; DuckDB never saw them.
	readRejects []rowReject
	// repeats are the rows whose values hash like another row's
	// (writeNumbered): the only ones that can be duplicates.
	repeats []hashedRow
	// retention is the rule of the last purge, if any: rows of employees
	// past it are left out (retention.go).
	retention retentionRule
	// employer is the employer the file's rows belong to.
	employer storage.Employer
	// part, for a file that names each row's employer, limits the import
	// to the rows of its employer (employercol.go); nil: every row.
	part *employerPart
	// afterParse is the importer's test hook (Config.afterParse).
	afterParse func(ctx context.Context, conn *sql.Conn) error
	textOnly   bool // the importer's test switch (Config.textOnly)

	dateFormats []string
	fraction    bool         // percentages come as fractions (0,75)
	checks      []fieldCheck // per-field rules, made while building the parse
	kept        []string     // parsed columns that hold what the file said
	rechecked   int64        // rows read again as text (parse): parsed_raw
	temps       []string
	views       []string     // temp views, dropped as views (replace.go)
	windowFrom  sql.NullTime // start of a rolling export's window (window = "file")
	unitCols    []string     // columns the stored and new units are compared on
}

func (imp *fileImport) exec(ctx context.Context, query string, args ...any) error {
	start := time.Now()
	if _, err := imp.conn.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("%w\nin: %.300s", err, query)
	}
	slog.Debug("import step", "file", imp.src.Path, "took", time.Since(start), "sql", truncate(strings.Join(strings.Fields(query), " "), 120))
	return nil
}

// temp creates a temp table and remembers to drop it: the connection goes back
// to the pool afterwards.
func (imp *fileImport) temp(ctx context.Context, name, as string) error {
	imp.temps = append(imp.temps, name)
	return imp.exec(ctx, fmt.Sprintf("CREATE OR REPLACE TEMP TABLE %s AS %s", name, as))
}

func (imp *fileImport) dropTemps() {
	ctx := context.Background()
	for _, v := range imp.views {
		imp.conn.ExecContext(ctx, "DROP VIEW IF EXISTS temp."+v)
	}
	for _, t := range append(imp.temps, "raw_rejects", "raw_reject_scans") {
		imp.conn.ExecContext(ctx, "DROP TABLE IF EXISTS temp."+t)
	}
}

// view creates a temp view, which is dropped as one (doneWith, dropTemps).
func (imp *fileImport) view(ctx context.Context, name, as string) error {
	imp.views = append(imp.views, name)
	return imp.exec(ctx, "CREATE OR REPLACE TEMP VIEW "+name+" AS "+as)
}

// keepOnly drops the import's other temp tables (doneWith).
func (imp *fileImport) keepOnly(ctx context.Context, keep ...string) error {
	var done []string
	for _, t := range imp.temps {
		if !slices.Contains(keep, t) {
			done = append(done, t)
		}
	}
	return imp.doneWith(ctx, done...)
}

// doneWith drops temp tables the import no longer reads, as soon as it is
// done with them: DuckDB keeps what fits of them in its memory and spills
// the rest, so each one that goes early leaves more room for the next step.
func (imp *fileImport) doneWith(ctx context.Context, tables ...string) error {
	for _, t := range tables {
		kind := "TABLE"
		if slices.Contains(imp.views, t) {
			kind = "VIEW"
		}
		if err := imp.exec(ctx, "DROP "+kind+" IF EXISTS temp."+t); err != nil {
			return err
		}
	}
	return nil
}

// raw column name of a canonical field, or "" when the file lacks it.
func (imp *fileImport) rawCol(field string) string {
	i, ok := imp.cols[field]
	if !ok {
		return ""
	}
	return fmt.Sprintf("c%d", i+1)
}

// run stages the file: reads it into DuckDB, validates it row by row,
// leaves out employees past the retention period and builds what its kind
// stores. Nothing outside the session's temp tables changes.
func (imp *fileImport) run(ctx context.Context) error {
	// The formats are detected from the file's first rows (sample), in
	// the file's order; the parse lifts it (unordered).
	if err := imp.exec(ctx, "SET preserve_insertion_order = true"); err != nil {
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
	if imp.afterParse != nil {
		if err := imp.afterParse(ctx, imp.conn); err != nil {
			return err
		}
	}
	imp.progress("validating")
	for _, step := range []func(context.Context) error{imp.structuralRejects, imp.markDuplicates, imp.checkFields, imp.pseudonymiseIDs, imp.leaveOutPastRetention} {
		if err := step(ctx); err != nil {
			return err
		}
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

// pseudonymiseIDs computes each distinct personnel number's pseudonym once,
// with the store's pseudonym function and the employer's salt (the key stays
// in the store), and gives each its employee key: the stored one, or for a
// pseudonym new to the employer the next free one (new_employees, stored
// with the import). The session holds the writer lock until it commits, so
// no other import hands out the same keys. The stored keys are looked up
// once, with the pseudonyms: at a million employees a second look-up, to
// find the new ones, took as long again.
func (imp *fileImport) pseudonymiseIDs(ctx context.Context) error {
	err := imp.temp(ctx, "pseudonyms", fmt.Sprintf(`SELECT p.raw_emp, p.pseudonym, e.employee_key FROM (
			SELECT employee_id AS raw_emp, pseudonym(s.pseudonym_salt, employee_id) AS pseudonym
			FROM (SELECT DISTINCT employee_id FROM parsed WHERE employee_id IS NOT NULL), (SELECT pseudonym_salt FROM employers WHERE employer_id = %[1]d) s) p
		LEFT JOIN (SELECT employee_key, pseudonym FROM employees WHERE employer_id = %[1]d) e USING (pseudonym)`, imp.employer.ID))
	if err != nil {
		return err
	}
	err = imp.temp(ctx, "new_employees", fmt.Sprintf(`SELECT (SELECT coalesce(max(employee_key), 0) FROM employees) + row_number() OVER (ORDER BY pseudonym) AS employee_key,
			%d AS employer_id, pseudonym
		FROM (SELECT DISTINCT pseudonym FROM pseudonyms WHERE employee_key IS NULL)`, imp.employer.ID))
	if err != nil {
		return err
	}
	return imp.temp(ctx, "ids", `SELECT p.raw_emp, coalesce(p.employee_key, n.employee_key)::INTEGER AS emp FROM pseudonyms p
		LEFT JOIN new_employees n USING (pseudonym)`)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
