package storage

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"

	"github.com/verzuim/absence/ingest/internal/sqlparts"
)

// importWrites lists every table an import or a purge writes, each with the
// column that holds the ledger row (imports.import_id) of the transaction
// that wrote the row. A table written by imports must be listed here, or a
// killed import can leave rows in it. employees has no such column: a key
// a killed import left behind names no row; the next import gives its
// pseudonym the same key, and the next purge removes it if none does.
var importWrites = []struct{ table, importID string }{
	{"employments", "import_id"},
	{"absence_cases", "import_id"},
	{"case_segments", "import_id"},
	{"interventions", "import_id"},
	{"milestones", "import_id"},
	{"import_errors", "import_id"},
	{"purges", "import_id"},
	{"undos", "import_id"},
	{"replaced_employments", "replaced_by_import"},
	{"replaced_absence_cases", "replaced_by_import"},
	{"replaced_case_segments", "replaced_by_import"},
	{"replaced_interventions", "replaced_by_import"},
	{"replaced_milestones", "replaced_by_import"},
}

// replacedTwins are the tables whose replaced rows an undo puts back.
var replacedTwins = []string{"employments", "absence_cases", "case_segments", "interventions", "milestones"}

// committedImports are the ledger rows whose transaction committed: an
// import's ledger row is written in the same transaction as its rows. An
// undone import committed too; its undo took its rows out again.
const committedImports = `SELECT import_id FROM imports WHERE status IN ('committed', 'undone')`

// removeUncommitted deletes, in one transaction, every row whose import has
// no committed ledger row, and logs how many it removed from each table.
//
// Such rows should not exist, but DuckDB 1.5 can bring them back: a large
// insert is written to the database file before the commit ("optimistic
// writes"), and the commit logs only pointers to those blocks in the
// write-ahead log. When the process is killed while that log is written,
// the replay on the next open adds the pointed-to rows to the table directly
// and keeps them when it rolls back the incomplete transaction, while the
// transaction's ledger row and deletes are undone (duckdb/duckdb#25931). A
// killed snapshot import then showed its new cases beside the old ones.
//
// DuckDB can be told to checkpoint at every commit instead of writing the
// log (checkpoint_threshold = 0, auto_checkpoint_skip_wal_threshold = 0),
// which avoids the log whenever a checkpoint can run. It is not used: a
// checkpoint that fails, on a full disk say, invalidates the database until
// the process restarts, where a failed log write only fails the import.
func removeUncommitted(ctx context.Context, db *sql.DB) error {
	leaks, err := findUncommitted(ctx, db)
	if err != nil || len(leaks) == 0 {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // a no-op after Commit
	var removed []any
	for _, w := range importWrites {
		if !leaks[w.table] {
			continue
		}
		res, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s WHERE %s`, w.table, uncommittedRow(w.importID)))
		if err != nil {
			return fmt.Errorf("remove rows of unfinished imports from %s: %w", w.table, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			removed = append(removed, w.table, n)
		}
	}
	for _, table := range replacedTwins {
		if !leaks[undoLeak(table)] {
			continue
		}
		same, err := putBackTwin(ctx, tx, table)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s t WHERE %s`, table, same))
		if err != nil {
			return fmt.Errorf("remove rows of an unfinished undo from %s: %w", table, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			removed = append(removed, undoLeak(table), n)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("remove rows of unfinished imports: %w", err)
	}
	if len(removed) > 0 {
		slog.Warn("removed rows of an import or undo that never finished (the process was stopped during its commit); the database is as it was before it", removed...)
	}
	return nil
}

// findUncommitted names the tables that hold rows removeUncommitted
// removes (the table, or undoLeak of it), in one read: the ids of each
// table's imports, grouped, against the ledger, and the live rows that
// equal a replaced one. Nearly every open finds none and writes nothing,
// where a DELETE per table took 0.15 s at 300,000 employees and grew with
// the data.
func findUncommitted(ctx context.Context, db *sql.DB) (map[string]bool, error) {
	var parts []string
	for _, w := range importWrites {
		parts = append(parts, fmt.Sprintf(`SELECT '%[1]s' AS leak FROM (SELECT %[2]s FROM %[1]s GROUP BY ALL) WHERE %[3]s`, w.table, w.importID, uncommittedRow(w.importID)))
	}
	for _, table := range replacedTwins {
		same, err := putBackTwin(ctx, db, table)
		if err != nil {
			return nil, err
		}
		parts = append(parts, fmt.Sprintf(`SELECT '%s' FROM (SELECT 1 FROM %s t WHERE %s LIMIT 1)`, undoLeak(table), table, same))
	}
	rows, err := db.QueryContext(ctx, strings.Join(parts, "\nUNION ALL "))
	if err != nil {
		return nil, fmt.Errorf("look for rows of unfinished imports: %w", err)
	}
	defer rows.Close()
	leaks := map[string]bool{}
	for rows.Next() {
		var leak string
		if err := rows.Scan(&leak); err != nil {
			return nil, fmt.Errorf("look for rows of unfinished imports: %w", err)
		}
		leaks[leak] = true
	}
	return leaks, rows.Err()
}

// uncommittedRow is the condition on a row's import column that its
// import never committed.
func uncommittedRow(importID string) string {
	return fmt.Sprintf(`%[1]s IS NULL OR %[1]s NOT IN (%[2]s)`, importID, committedImports)
}

// putBackTwin is the condition that a live row t of table equals one of
// its replaced rows. An undo puts rows back under the ids of the imports
// that first stored them, so a torn undo cannot be found by import id. But
// a row is never live and replaced at once, import id included: the undo
// that puts it back removes it from replaced_ in the same transaction. A
// live row that equals a replaced one is such a leak.
func putBackTwin(ctx context.Context, q sqlparts.Querier, table string) (string, error) {
	cols, err := sqlparts.Columns(ctx, q, table)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(`EXISTS (SELECT 1 FROM replaced_%s r WHERE %s)`, table, sqlparts.SameRow(cols, "r", "t")), nil
}

// undoLeak names the rows of a torn undo in table, in the log and for
// findUncommitted.
func undoLeak(table string) string { return table + " (undo)" }
