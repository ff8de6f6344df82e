package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// What an import replaces, and how it can be undone.
//
// Each import has a scope: the stored rows it is the new truth for — all of
// its source's rows for a snapshot (or, with window = "file", those in the
// period the file covers), the cases or rows it names for an increment. Before
// writing, the import compares the scope as stored with the scope as it will
// be. For absence the unit compared is a case with all its segments, for the
// other kinds a row. Units that are the same in both stay untouched, with the
// import that stored them. Units only stored are moved to the replaced_ table
// of their table, tagged with this import (replaced_by_import), so that undoing
// it can put them back; units only in the file are stored with this import's
// id. A nightly snapshot that repeats yesterday's data therefore moves
// nothing aside, and what is kept for undo is what actually changed.

// DefaultMaxShrink is the share of its scope's units or employees an import
// may remove without being confirmed.
const DefaultMaxShrink = 0.2

// Change is what an import does to its scope.
type Change struct {
	Kind   Kind   `json:"kind"`
	Source string `json:"source"`
	Mode   string `json:"mode"`
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
func (c Change) Units() string {
	switch c.Kind {
	case KindAbsence:
		return "absence cases"
	case KindEmployment:
		return "employment records"
	case KindIntervention:
		return "interventions"
	}
	return "milestones"
}

// Scope says in words which of the units the import replaces, e.g. `of
// source "afas"`.
func (c Change) Scope() string {
	switch {
	case c.Mode == "increment":
		return fmt.Sprintf("that the file names (source %q)", c.Source)
	case !c.WindowFrom.IsZero():
		return fmt.Sprintf("of source %q with a first sick day from %s to %s", c.Source,
			c.WindowFrom.Format(time.DateOnly), c.WindowTo.Format(time.DateOnly))
	}
	return fmt.Sprintf("of source %q", c.Source)
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
// fills in res.Change. It writes only temp tables: gone and added (and for
// absence new_segments), which commit then applies.
func (imp *importer) planReplacement(ctx context.Context) error {
	p := imp.profile
	src := sqlString(p.Source)
	table := tableOf[p.Kind]
	var rows string
	switch p.Kind {
	case KindAbsence:
		if err := imp.newSegments(ctx); err != nil {
			return err
		}
		rows = `SELECT emp AS employee_id, first_sick_day, recovery_date, absence_type, end_reason, vangnet, ` + src + ` AS source FROM file_cases WHERE NOT rejected`
	case KindEmployment:
		rows = `SELECT emp AS employee_id, start_date, end_date, department, team, location, contract_hours, fulltime_hours, birth_year, gender, ` + src + ` AS source FROM emp_ok`
	case KindIntervention:
		rows = `SELECT emp AS employee_id, intervention_type, provider, start_date, end_date, sessions::INTEGER AS sessions, outcome, cost, ` + src + ` AS source FROM iv_ok`
	default:
		rows = `SELECT emp AS employee_id, first_sick_day, milestone, done_date, ` + src + ` AS source FROM ms_ok`
	}
	// new_units are the import's rows typed as the table's; scope_units the
	// stored rows they replace. Rows move between tables by column name
	// (BY NAME), never by position: a later migration appends columns.
	if err := imp.temp(ctx, "new_units", `SELECT * EXCLUDE (import_id) FROM `+table+` LIMIT 0`); err != nil {
		return err
	}
	if err := imp.exec(ctx, `INSERT INTO new_units BY NAME `+rows); err != nil {
		return err
	}
	if err := imp.temp(ctx, "scope_units", `SELECT * FROM `+table+` t WHERE `+imp.scope()); err != nil {
		return err
	}
	if err := imp.keepOnly(ctx, "errs", "new_units", "scope_units", "new_segments"); err != nil {
		return err
	}
	var err error
	if imp.unitCols, err = tableColumns(ctx, imp.conn, "temp.new_units"); err != nil {
		return err
	}
	// A unit is unchanged when the file repeats it exactly; for a case that
	// includes all its segments.
	newSame, scopeSame := "new_units", "scope_units"
	if p.Kind == KindAbsence {
		if err := imp.changedSegments(ctx); err != nil {
			return err
		}
		newSame = `(SELECT * FROM new_units ANTI JOIN changed_segments USING (employee_id, first_sick_day))`
		scopeSame = `(SELECT * FROM scope_units ANTI JOIN changed_segments USING (employee_id, first_sick_day))`
	}
	same := matchAll(imp.unitCols, "n", "s")
	if err := imp.temp(ctx, "gone", `SELECT s.* FROM scope_units s ANTI JOIN `+newSame+` n ON `+same); err != nil {
		return err
	}
	if err := imp.temp(ctx, "added", `SELECT n.* FROM new_units n ANTI JOIN `+scopeSame+` s ON `+same); err != nil {
		return err
	}
	c := Change{Kind: p.Kind, Source: p.Source, Mode: p.Mode}
	if imp.windowFrom.Valid {
		c.WindowFrom, c.WindowTo = imp.windowFrom.Time, imp.extract
	}
	err = imp.conn.QueryRowContext(ctx, `SELECT
			(SELECT count(*) FROM scope_units), (SELECT count(DISTINCT employee_id) FROM scope_units),
			(SELECT count(*) FROM new_units), (SELECT count(DISTINCT employee_id) FROM new_units),
			(SELECT count(*) FROM new_units) - (SELECT count(*) FROM added)`).
		Scan(&c.Before, &c.EmployeesBefore, &c.After, &c.EmployeesAfter, &c.Unchanged)
	if err != nil {
		return fmt.Errorf("count what the import replaces: %w", err)
	}
	imp.res.Change = &c
	return imp.keepOnly(ctx, "errs", "gone", "added", "new_segments")
}

// keepOnly drops the import's other temp tables: what is done with goes
// early, which keeps the memory an import needs close to what it had
// before it compared old and new.
func (imp *importer) keepOnly(ctx context.Context, keep ...string) error {
	for _, t := range imp.temps {
		if !slices.Contains(keep, t) {
			if err := imp.exec(ctx, "DROP TABLE IF EXISTS temp."+t); err != nil {
				return err
			}
		}
	}
	return nil
}

// tableOf is the table each kind of file is stored in.
var tableOf = map[Kind]string{
	KindAbsence:      "absence_cases",
	KindEmployment:   "employments",
	KindIntervention: "interventions",
	KindMilestone:    "milestones",
}

// newSegments makes new_segments: the segments of the cases the import
// stores.
func (imp *importer) newSegments(ctx context.Context) error {
	if err := imp.temp(ctx, "new_segments", `SELECT * EXCLUDE (import_id) FROM case_segments LIMIT 0`); err != nil {
		return err
	}
	if imp.profile.Mode != "increment" {
		return imp.exec(ctx, `INSERT INTO new_segments SELECT emp, first_sick_day, valid_from, valid_to, absence_pct FROM (`+segmentsSQL+`)`)
	}
	// An increment updates a stored case from the file's first row on: what
	// the case held before that date stays.
	err := imp.temp(ctx, "kept_segments", `SELECT s.employee_id, s.first_sick_day, s.valid_from,
			CASE WHEN s.valid_to IS NULL OR s.valid_to > f.first_event THEN f.first_event ELSE s.valid_to END AS valid_to, s.absence_pct
		FROM case_segments s JOIN file_cases f ON NOT f.rejected AND f.emp = s.employee_id AND f.first_sick_day = s.first_sick_day
		WHERE s.valid_from < f.first_event`)
	if err != nil {
		return err
	}
	if err := imp.exec(ctx, `INSERT INTO new_segments SELECT * FROM kept_segments`); err != nil {
		return err
	}
	return imp.exec(ctx, `INSERT INTO new_segments SELECT emp, first_sick_day, valid_from, valid_to, absence_pct FROM (`+segmentsSQL+`) s
		WHERE NOT (s.synthetic AND EXISTS (SELECT 1 FROM kept_segments k WHERE k.employee_id = s.emp AND k.first_sick_day = s.first_sick_day))`)
}

// changedSegments lists the cases whose segments differ between the store
// and the file: a segment of one not in the other, either way. (The
// segments of a case start on different days, so sets compare them
// exactly.) It may list cases beyond those in both, which changes nothing:
// a case in only one of them is gone or added anyway. These are plain anti
// joins, which DuckDB spills to disk; a list per case, EXCEPT ALL, or
// narrowing both sides to the cases in both first, ran out of 1 GB for a
// million employees. Only an increment, which names few cases, narrows the
// stored side.
func (imp *importer) changedSegments(ctx context.Context) error {
	stored := "case_segments"
	if imp.profile.Mode == "increment" {
		stored = "(SELECT * FROM case_segments SEMI JOIN new_units USING (employee_id, first_sick_day))"
	}
	same := matchAll([]string{"employee_id", "first_sick_day", "valid_from", "valid_to", "absence_pct"}, "a", "b")
	return imp.temp(ctx, "changed_segments", `SELECT DISTINCT employee_id, first_sick_day FROM (
		SELECT a.employee_id, a.first_sick_day FROM `+stored+` a ANTI JOIN new_segments b ON `+same+`
		UNION ALL
		SELECT a.employee_id, a.first_sick_day FROM new_segments a ANTI JOIN `+stored+` b ON `+same+`)`)
}

// scope is the condition on a stored row (alias t) that the import replaces.
func (imp *importer) scope() string {
	p := imp.profile
	if p.Mode == "snapshot" {
		cond := "t.source = " + sqlString(p.Source)
		if p.Window == "file" {
			from := time.Time{}
			if imp.windowFrom.Valid {
				from = imp.windowFrom.Time
			}
			cond += fmt.Sprintf(" AND t.first_sick_day BETWEEN %s AND %s", sqlDate(from), imp.extractDate())
		}
		return cond
	}
	switch p.Kind {
	case KindAbsence:
		return `EXISTS (SELECT 1 FROM file_cases f WHERE NOT f.rejected AND f.emp = t.employee_id AND f.first_sick_day = t.first_sick_day)`
	case KindEmployment:
		return `t.employee_id IN (SELECT emp FROM emp_ok)`
	case KindIntervention:
		return `EXISTS (SELECT 1 FROM iv_ok n WHERE n.emp = t.employee_id AND n.intervention_type = t.intervention_type AND n.start_date = t.start_date)`
	}
	return `EXISTS (SELECT 1 FROM ms_ok n WHERE n.emp = t.employee_id AND n.first_sick_day = t.first_sick_day AND n.milestone = t.milestone)`
}

// tableColumns names the columns of a table (one of ours, never a user's
// name), in order; q is a connection or a transaction.
func tableColumns(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, table string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT * FROM `+table+` LIMIT 0`)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	defer rows.Close()
	return rows.Columns()
}

// matchAll compares aliases a and b on every column, NULL equal to NULL.
func matchAll(cols []string, a, b string) string {
	var conds []string
	for _, c := range cols {
		conds = append(conds, fmt.Sprintf("%s.%s IS NOT DISTINCT FROM %s.%s", a, c, b, c))
	}
	return strings.Join(conds, " AND ")
}

// replacementWrites apply the plan as import id: what is gone moves to the
// replaced_ tables, what is added is stored. A case takes its segments along.
func (imp *importer) replacementWrites(id int64) []string {
	table := tableOf[imp.profile.Kind]
	rows := []string{
		fmt.Sprintf(`INSERT INTO replaced_%s BY NAME SELECT *, %d AS replaced_by_import FROM gone`, table, id),
		fmt.Sprintf(`DELETE FROM %s s WHERE EXISTS (SELECT 1 FROM gone g WHERE %s AND g.import_id = s.import_id)`, table, matchAll(imp.unitCols, "g", "s")),
		fmt.Sprintf(`INSERT INTO %s BY NAME SELECT *, %d AS import_id FROM added`, table, id),
	}
	if imp.profile.Kind != KindAbsence {
		return rows
	}
	const ofGone = `EXISTS (SELECT 1 FROM gone g WHERE g.employee_id = s.employee_id AND g.first_sick_day = s.first_sick_day)`
	return append([]string{
		fmt.Sprintf(`INSERT INTO replaced_case_segments BY NAME SELECT s.*, %d AS replaced_by_import FROM case_segments s WHERE %s`, id, ofGone),
		`DELETE FROM case_segments s WHERE ` + ofGone,
	}, append(rows,
		fmt.Sprintf(`INSERT INTO case_segments BY NAME SELECT s.*, %d AS import_id FROM new_segments s SEMI JOIN added USING (employee_id, first_sick_day)`, id))...)
}
