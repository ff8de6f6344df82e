package storage

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

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
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // a no-op after Commit
	var removed []any
	for _, w := range importWrites {
		res, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %[1]s WHERE %[2]s IS NULL OR %[2]s NOT IN (%[3]s)`, w.table, w.importID, committedImports))
		if err != nil {
			return fmt.Errorf("remove rows of unfinished imports from %s: %w", w.table, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			removed = append(removed, w.table, n)
		}
	}
	// An undo puts rows back under the ids of the imports that first stored
	// them, so a torn undo cannot be found by import id. But a row is never
	// live and replaced at once, import id included: the undo that puts it
	// back removes it from replaced_ in the same transaction. A live row
	// that equals a replaced one is such a leak.
	for _, table := range replacedTwins {
		cols, err := sqlparts.Columns(ctx, tx, table)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %[1]s t WHERE EXISTS (SELECT 1 FROM replaced_%[1]s r WHERE %[2]s)`, table, sqlparts.SameRow(cols, "r", "t")))
		if err != nil {
			return fmt.Errorf("remove rows of an unfinished undo from %s: %w", table, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			removed = append(removed, table+" (undo)", n)
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
