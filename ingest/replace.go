package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/verzuim/absence/ingest/internal/sqlparts"
	"github.com/verzuim/absence/ingest/storage"
)

// What an import replaces: each import has a scope, the stored rows it is
// the new truth for — all of its source's rows for a snapshot (or, with
// window = "file", those in the period the file covers), the cases or rows
// it names for an increment. planReplacement compares the scope as stored
// with the import's rows and stages the difference, which the store commits
// and can undo (storage/replace.go).

// DefaultMaxShrink is the share of its scope's units or employees an import
// may remove without being confirmed.
const DefaultMaxShrink = 0.2

// Change is what an import does to its scope.
type Change struct {
	Kind Kind `json:"kind"`
	// Employer is the employer whose source it is; "" for the default one.
	Employer string `json:"employer,omitempty"`
	Source   string `json:"source"`
	Mode     string `json:"mode"`
	// WindowFrom and WindowTo bound the first sick days a rolling export
	// (window = "file") replaces; zero for a whole-source snapshot or an
	// increment.
	WindowFrom time.Time `json:"window_from,omitzero"`
	WindowTo   time.Time `json:"window_to,omitzero"`
	// Before and After count the units in scope (absence cases, or rows of
	// the other kinds), stored now and after the import; Employees* count
	// the employees they belong to.
	Before          int64 `json:"before"`
	After           int64 `json:"after"`
	EmployeesBefore int64 `json:"employees_before"`
	EmployeesAfter  int64 `json:"employees_after"`
	// Unchanged counts the stored units the file repeats exactly.
	Unchanged int64 `json:"unchanged"`
}

// Units names what the counts count.
func (c Change) Units() string { return storage.Units(string(c.Kind)) }

// Scope says in words which of the units the import replaces, e.g. `of
// source "afas"`.
func (c Change) Scope() string {
	source := fmt.Sprintf("source %q", c.Source)
	if c.Employer != "" {
		source += fmt.Sprintf(" of employer %q", c.Employer)
	}
	switch {
	case c.Mode == "increment":
		return fmt.Sprintf("that the file names (%s)", source)
	case !c.WindowFrom.IsZero():
		return fmt.Sprintf("of %s with a first sick day from %s to %s", source,
			c.WindowFrom.Format(time.DateOnly), c.WindowTo.Format(time.DateOnly))
	}
	return "of " + source
}

// note tells the user what the import replaces, before and after.
func (c Change) note() string {
	return fmt.Sprintf("replaces the %s %s: %d stored (%s), %d after the import (%s), %d of them unchanged",
		c.Units(), c.Scope(), c.Before, countOf(c.EmployeesBefore, "employee", "employees"),
		c.After, countOf(c.EmployeesAfter, "employee", "employees"), c.Unchanged)
}

// Shrink is the larger of the shares of units and of employees the import
// removes from its scope (0 when it removes none).
func (c Change) Shrink() float64 {
	share := func(before, after int64) float64 {
		if before == 0 || after >= before {
			return 0
		}
		return float64(before-after) / float64(before)
	}
	return max(share(c.Before, c.After), share(c.EmployeesBefore, c.EmployeesAfter))
}

// ErrShrink is wrapped by a ShrinkError.
var ErrShrink = errors.New("the import would remove too much of what its source delivered")

// ShrinkError refuses an import that would remove more than the allowed
// share of its scope: a truncated or mostly broken export looks just like
// that, and it would wipe good data.
type ShrinkError struct {
	Change Change
	Limit  float64
}

func (e *ShrinkError) Error() string {
	c := e.Change
	return fmt.Sprintf("this export would leave %d of the %d %s %s (%d of their %d employees): "+
		"it removes more than the %.0f%% an import may remove without confirmation, so nothing was imported. "+
		"Check that the export is complete. If the source really shrank this much, confirm the import "+
		"('absence import --allow-shrink', the confirmation on the Imports page, or allow_shrink=true in the API)",
		c.After, c.Before, c.Units(), c.Scope(), c.EmployeesAfter, c.EmployeesBefore, 100*e.Limit)
}

func (e *ShrinkError) Unwrap() error { return ErrShrink }

// planReplacement compares the scope as stored with the import's rows and
// fills in res.Change. It writes only temp tables and views: gone and added
// (and for absence new_segments, the segments of the cases added), which
// the store's CommitImport then applies.
func (imp *fileImport) planReplacement(ctx context.Context) error {
	p := imp.profile
	src := sqlparts.Quote(p.Source) + fmt.Sprintf(" AS source, %d AS employer_id", imp.employer.ID)
	table, _ := storage.TableOf(string(p.Kind))
	var rows, staged string // the import's units, and the temp table they are read from
	switch p.Kind {
	case KindAbsence:
		rows, staged = `SELECT emp AS employee_key, first_sick_day, recovery_date, absence_type, end_reason, vangnet, `+src+` FROM file_cases WHERE NOT rejected`, "file_cases"
	case KindEmployment:
		rows, staged = `SELECT emp AS employee_key, start_date, end_date, department, team, location, contract_hours, fulltime_hours, birth_year, gender, `+src+` FROM emp_ok`, "emp_ok"
	case KindIntervention:
		rows, staged = `SELECT emp AS employee_key, intervention_type, provider, start_date, end_date, sessions::INTEGER AS sessions, outcome, cost, payer, `+src+` FROM iv_ok`, "iv_ok"
	default:
		rows, staged = `SELECT emp AS employee_key, first_sick_day, milestone, done_date, `+src+` FROM ms_ok`, "ms_ok"
	}
	c := Change{Kind: p.Kind, Source: p.Source, Mode: p.Mode}
	if imp.employer.ID != storage.DefaultEmployerID {
		c.Employer = imp.employer.Name
	}
	if imp.windowFrom.Valid {
		c.WindowFrom, c.WindowTo = imp.windowFrom.Time, imp.extract
	}
	err := imp.conn.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT employee_key) FROM `+imp.scopeUnits()).
		Scan(&c.Before, &c.EmployeesBefore)
	if err != nil {
		return fmt.Errorf("count what the import replaces: %w", err)
	}
	if c.Before == 0 {
		if err := imp.addAll(ctx, &c, rows, staged); err != nil {
			return err
		}
		imp.res.Change = &c
		return nil
	}
	if p.Kind == KindAbsence {
		if err := imp.newSegments(ctx); err != nil {
			return err
		}
	}
	// new_units are the import's rows typed as the table's. Rows move
	// between tables by column name (BY NAME), never by position: a later
	// migration appends columns.
	if err := imp.temp(ctx, "new_units", `SELECT * EXCLUDE (import_id) FROM `+table+` LIMIT 0`); err != nil {
		return err
	}
	if err := imp.exec(ctx, `INSERT INTO new_units BY NAME `+rows); err != nil {
		return err
	}
	// What the rows were built from goes before the comparison, but for
	// what the scope reads (modeScope, retention).
	keep := []string{"errs", "rejected_rows", "new_units", "new_segments", "new_employees", "past_retention"}
	if p.Mode == "increment" {
		keep = append(keep, "file_cases", "emp_ok", "iv_ok", "ms_ok")
	}
	if err := imp.keepOnly(ctx, keep...); err != nil {
		return err
	}
	if imp.unitCols, err = sqlparts.Columns(ctx, imp.conn, "temp.new_units"); err != nil {
		return err
	}
	err = imp.conn.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT employee_key) FROM new_units`).Scan(&c.After, &c.EmployeesAfter)
	if err != nil {
		return fmt.Errorf("count what the import stores: %w", err)
	}
	if err := imp.compare(ctx, &c); err != nil {
		return err
	}
	imp.res.Change = &c
	return imp.keepOnly(ctx, "errs", "rejected_rows", "gone", "added", "new_segments", "new_employees")
}

// addAll stages an import into an empty scope (a source's first import):
// every unit is added as it is, with nothing to compare, so added (and for
// a snapshot of absence, new_segments) are views of the staged rows, which
// the commit stores straight from them. Copied into temp tables first, at
// a million employees, they took 1.2 s and spilled to disk.
func (imp *fileImport) addAll(ctx context.Context, c *Change, rows, staged string) error {
	table, _ := storage.TableOf(string(imp.profile.Kind))
	if err := imp.temp(ctx, "gone", `SELECT * FROM `+table+` LIMIT 0`); err != nil {
		return err
	}
	if err := imp.view(ctx, "added", rows); err != nil {
		return err
	}
	keep := []string{"errs", "rejected_rows", "gone", "new_employees", staged}
	if imp.profile.Kind == KindAbsence {
		segments := imp.newSegments
		if imp.profile.Mode != "increment" {
			segments = func(ctx context.Context) error { return imp.view(ctx, "new_segments", imp.segmentRows()) }
		}
		if err := segments(ctx); err != nil {
			return err
		}
		// what the segments are read from (segments)
		keep = append(keep, "new_segments", "file_rows", "case_gaps", "case_problems")
	}
	if err := imp.keepOnly(ctx, keep...); err != nil {
		return err
	}
	err := imp.conn.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT employee_key) FROM added`).Scan(&c.After, &c.EmployeesAfter)
	if err != nil {
		return fmt.Errorf("count what the import stores: %w", err)
	}
	return nil
}

// scopeUnits selects the stored units the import replaces, read where they
// are stored: a copy of them, beside the import's own, took more memory
// than anything else in a nightly import.
func (imp *fileImport) scopeUnits() string {
	table, _ := storage.TableOf(string(imp.profile.Kind))
	return `(SELECT * FROM ` + table + ` t WHERE ` + imp.scope() + `)`
}

// compare splits the scope as stored and the import's units into gone and
// added, and counts the units unchanged. new_segments keeps the segments of
// the cases added only.
//
// A unit is unchanged when the file repeats it exactly; a case, with all
// its segments. One full outer join pairs the stored units with the
// file's and keeps those left without a partner (unmatched): the gone and
// added units but for the cases whose segments changed, which are gone
// and added whole. The join compares the columns the scope leaves free:
// every unit in scope is of the import's employer, and in a snapshot of
// its source (unitKey).
func (imp *fileImport) compare(ctx context.Context, c *Change) error {
	cols := strings.Join(imp.unitCols, ", ")
	coalesced := make([]string, len(imp.unitCols))
	for i, col := range imp.unitCols {
		coalesced[i] = fmt.Sprintf("coalesce(s.%[1]s, n.%[1]s) AS %[1]s", col)
	}
	err := imp.temp(ctx, "unmatched", `SELECT s.stored IS NOT NULL AS stored, `+strings.Join(coalesced, ", ")+`, s.import_id
		FROM (SELECT *, true AS stored FROM `+imp.scopeUnits()+`) s
		FULL JOIN (SELECT *, true AS new FROM new_units) n ON `+sqlparts.SameRow(imp.unitKey(), "n", "s")+`
		WHERE s.stored IS NULL OR n.new IS NULL`)
	if err != nil {
		return err
	}
	gone := `SELECT ` + cols + `, import_id FROM unmatched WHERE stored`
	added := `SELECT ` + cols + ` FROM unmatched WHERE NOT stored`
	if imp.profile.Kind == KindAbsence {
		if err := imp.changedSegments(ctx); err != nil {
			return err
		}
		const changed = ` changed_segments USING (employee_key, first_sick_day)`
		gone = `SELECT ` + cols + `, import_id FROM unmatched ANTI JOIN` + changed + ` WHERE stored
			UNION ALL SELECT ` + cols + `, import_id FROM ` + imp.scopeUnits() + ` SEMI JOIN` + changed
		added = `SELECT ` + cols + ` FROM unmatched ANTI JOIN` + changed + ` WHERE NOT stored
			UNION ALL SELECT ` + cols + ` FROM new_units SEMI JOIN` + changed
	}
	if err := imp.temp(ctx, "gone", gone); err != nil {
		return err
	}
	if err := imp.temp(ctx, "added", added); err != nil {
		return err
	}
	var n int64
	if err := imp.conn.QueryRowContext(ctx, `SELECT count(*) FROM added`).Scan(&n); err != nil {
		return fmt.Errorf("count what the import adds: %w", err)
	}
	c.Unchanged = c.After - n
	if c.Unchanged == 0 || imp.profile.Kind != KindAbsence {
		return nil
	}
	return imp.exec(ctx, `DELETE FROM new_segments s WHERE NOT EXISTS (SELECT 1 FROM added a WHERE a.employee_key = s.employee_key AND a.first_sick_day = s.first_sick_day)`)
}

// unitKey are the columns compare pairs units on: all but those the scope
// holds the same on both sides, the employer and, for a snapshot, the
// source.
func (imp *fileImport) unitKey() []string {
	var key []string
	for _, col := range imp.unitCols {
		if col == "employer_id" || col == "source" && imp.profile.Mode == "snapshot" {
			continue
		}
		key = append(key, col)
	}
	return key
}

// newSegments makes new_segments: the segments of the cases the import
// stores.
func (imp *fileImport) newSegments(ctx context.Context) error {
	if err := imp.temp(ctx, "new_segments", `SELECT * EXCLUDE (import_id) FROM case_segments LIMIT 0`); err != nil {
		return err
	}
	if imp.profile.Mode != "increment" {
		return imp.exec(ctx, `INSERT INTO new_segments BY NAME `+imp.segmentRows())
	}
	// An increment updates a stored case from the file's first row on: what
	// the case held before that date stays.
	err := imp.temp(ctx, "kept_segments", `SELECT s.employee_key, s.first_sick_day, s.valid_from,
			CASE WHEN s.valid_to IS NULL OR s.valid_to > f.first_event THEN f.first_event ELSE s.valid_to END AS valid_to, s.absence_pct, s.employer_id
		FROM case_segments s JOIN file_cases f ON NOT f.rejected AND f.emp = s.employee_key AND f.first_sick_day = s.first_sick_day
		WHERE s.valid_from < f.first_event AND `+imp.own("s"))
	if err != nil {
		return err
	}
	if err := imp.exec(ctx, `INSERT INTO new_segments BY NAME SELECT * FROM kept_segments`); err != nil {
		return err
	}
	return imp.exec(ctx, `INSERT INTO new_segments BY NAME SELECT emp AS employee_key, first_sick_day, valid_from, valid_to, absence_pct, `+imp.employerCol()+` FROM (`+imp.segments()+`) s
		WHERE NOT (s.synthetic AND EXISTS (SELECT 1 FROM kept_segments k WHERE k.employee_key = s.emp AND k.first_sick_day = s.first_sick_day))`)
}

// segmentRows selects the segments of the cases that land as the stored
// segments' columns.
func (imp *fileImport) segmentRows() string {
	return `SELECT emp AS employee_key, first_sick_day, valid_from, valid_to, absence_pct, ` + imp.employerCol() + ` FROM (` + imp.segments() + `)`
}

// changedSegments lists the cases whose segments differ between the store
// and the file: a segment of one not in the other, either way. (The
// segments of a case start on different days, so sets compare them
// exactly.) It may list cases beyond those in both, which changes nothing:
// a case in only one of them is gone or added anyway. One full outer join
// finds both ways at once, and DuckDB spills it to disk; a list per case,
// EXCEPT ALL, or narrowing both sides to the cases in both first, ran out
// of 1 GB for a million employees. The stored side is the employer's; an
// increment, which names few cases, narrows it to those.
func (imp *fileImport) changedSegments(ctx context.Context) error {
	stored := "(SELECT * FROM case_segments s WHERE " + imp.own("s") + ")"
	if imp.profile.Mode == "increment" {
		stored = "(SELECT * FROM case_segments s SEMI JOIN new_units USING (employee_key, first_sick_day) WHERE " + imp.own("s") + ")"
	}
	same := sqlparts.SameRow([]string{"employee_key", "first_sick_day", "valid_from", "valid_to", "absence_pct"}, "a", "b")
	return imp.temp(ctx, "changed_segments", `SELECT DISTINCT coalesce(a.employee_key, b.employee_key) AS employee_key, coalesce(a.first_sick_day, b.first_sick_day) AS first_sick_day
		FROM (SELECT *, true AS stored FROM `+stored+`) a FULL JOIN (SELECT *, true AS new FROM new_segments) b ON `+same+`
		WHERE a.stored IS NULL OR b.new IS NULL`)
}

// employerCol is the employer_id column of the rows the import stores.
func (imp *fileImport) employerCol() string { return fmt.Sprintf("%d AS employer_id", imp.employer.ID) }

// own is the condition that a stored row (of table alias t) is the
// import's employer's. Every read of stored rows has it: an import's cost
// and its checks must not depend on the other employers in the
// installation, whose rows may even share employee keys.
func (imp *fileImport) own(t string) string {
	return fmt.Sprintf("%s.employer_id = %d", t, imp.employer.ID)
}

// scope is the condition on a stored row (alias t) that the import
// replaces: always of its own employer. Employees past the retention
// period are left alone (retention.go).
func (imp *fileImport) scope() string {
	cond := imp.own("t") + " AND (" + imp.modeScope() + ")"
	if imp.retention.applies {
		cond += " AND t.employee_key NOT IN (SELECT emp FROM past_retention)"
	}
	return cond
}

// modeScope is the scope of the import's mode and kind within its employer.
func (imp *fileImport) modeScope() string {
	p := imp.profile
	if p.Mode == "snapshot" {
		cond := "t.source = " + sqlparts.Quote(p.Source)
		if p.Window == "file" {
			from := time.Time{}
			if imp.windowFrom.Valid {
				from = imp.windowFrom.Time
			}
			cond += fmt.Sprintf(" AND t.first_sick_day BETWEEN %s AND %s", sqlparts.Date(from), imp.extractDate())
		}
		return cond
	}
	switch p.Kind {
	case KindAbsence:
		return `EXISTS (SELECT 1 FROM file_cases f WHERE NOT f.rejected AND f.emp = t.employee_key AND f.first_sick_day = t.first_sick_day)`
	case KindEmployment:
		return `t.employee_key IN (SELECT emp FROM emp_ok)`
	case KindIntervention:
		return `EXISTS (SELECT 1 FROM iv_ok n WHERE n.emp = t.employee_key AND n.intervention_type = t.intervention_type AND n.start_date = t.start_date)`
	}
	return `EXISTS (SELECT 1 FROM ms_ok n WHERE n.emp = t.employee_key AND n.first_sick_day = t.first_sick_day AND n.milestone = t.milestone)`
}
