package storage

import (
	"context"
	"database/sql"
)

// What the tests of this package (package storage_test) see of its inside.

// ImportWrites lists the tables imports write, as the cleanup on open knows
// them, with the column that names the import.
func ImportWrites() []struct{ Table, ImportID string } {
	var out []struct{ Table, ImportID string }
	for _, w := range importWrites {
		out = append(out, struct{ Table, ImportID string }{w.table, w.importID})
	}
	return out
}

// MigrateTo brings a database's schema up to version v only.
func MigrateTo(ctx context.Context, db *sql.DB, v int) error {
	all := migrations
	defer func() { migrations = all }()
	migrations = all[:v]
	return migrate(ctx, db)
}

// Uncommitted names the tables the cleanup on open finds rows to remove in
// (a table of replaced rows' live table as "employments (undo)").
func (s *Store) Uncommitted(ctx context.Context) (map[string]bool, error) {
	return findUncommitted(ctx, s.db)
}

// ExportTables are the tables ExportParquet writes, each with the date
// column whose year partitions it.
func ExportTables() []struct{ Name, YearOf string } {
	var out []struct{ Name, YearOf string }
	for _, t := range exportTables {
		out = append(out, struct{ Name, YearOf string }{t.name, t.yearOf})
	}
	return out
}

// TempDirOf is the folder of an import's temporary copies for a database.
func TempDirOf(dbPath string) string { return tempDir(dbPath) }

// PseudonymLength is the number of hex characters of a pseudonym.
const PseudonymLength = pseudonymLength

// Key is the store's pseudonymisation key.
func (s *Store) Key() []byte { return s.key }
