package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// upgradeFile brings the schema of the database file at path up to date
// (migrations) on a copy, written into the file and closed, that then
// replaces it by a rename; a new database is made the same way. A process
// killed meanwhile leaves the database as it was. In place, a migration
// waits in DuckDB's write-ahead log until the next checkpoint, and DuckDB
// cannot replay every schema change from there (a column changed to a
// named ENUM, columns added before the tables were rebuilt): a kill in
// that time left a database that nothing could open.
func upgradeFile(ctx context.Context, path, dsn string) error {
	version, err := fileSchemaVersion(ctx, path, dsn)
	if err != nil || version >= len(migrations) { // a newer schema is refused by migrate
		return err
	}
	tmp := path + ".upgrading"
	for _, f := range []string{tmp, tmp + ".wal"} { // left by a killed upgrade
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("open %s: remove %s: %w", path, f, err)
		}
	}
	if version > 0 {
		if err := copyFile(path, tmp); err != nil {
			return fmt.Errorf("open %s: copy it to upgrade its schema: %w", path, err)
		}
	}
	db, err := sql.Open("duckdb", tmp+dsn)
	if err != nil {
		return openError(path, err)
	}
	err = migrate(ctx, db)
	if err == nil {
		_, err = db.ExecContext(ctx, "CHECKPOINT")
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		os.Remove(tmp + ".wal")
		return fmt.Errorf("open %s: %w", path, err)
	}
	if _, err := os.Stat(tmp + ".wal"); err == nil {
		return fmt.Errorf("open %s: the upgraded copy %s was not written whole (its write-ahead log remains); the database is unchanged", path, tmp)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("open %s: replace it by its upgraded copy: %w", path, err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// fileSchemaVersion is the schema version of the database file at path; 0
// when there is no such file yet.
func fileSchemaVersion(ctx context.Context, path, dsn string) (int, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	db, err := sql.Open("duckdb", path+dsn)
	if err != nil {
		return 0, openError(path, err)
	}
	defer db.Close()
	version, err := schemaVersion(ctx, db)
	if err != nil {
		return 0, openError(path, err)
	}
	return version, nil
}

// schemaVersion is the schema version of an open database; 0 when it has
// none yet.
func schemaVersion(ctx context.Context, db *sql.DB) (int, error) {
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT count(*) > 0 FROM duckdb_tables() WHERE table_name = 'schema_migrations' AND database_name = current_database()`).Scan(&exists); err != nil {
		return 0, err
	}
	version := 0
	if exists {
		if err := db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&version); err != nil {
			return 0, fmt.Errorf("read schema version: %w", err)
		}
	}
	return version, nil
}

// knownVersion refuses a schema newer than this program's.
func knownVersion(version int) error {
	if version > len(migrations) {
		return fmt.Errorf("database schema version %d is newer than this program knows (%d): upgrade absence", version, len(migrations))
	}
	return nil
}

// migrate brings the schema up to date. It is safe to call on every open.
func migrate(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	var version int
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if err := knownVersion(version); err != nil {
		return err
	}
	for v := version + 1; v <= len(migrations); v++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[v-1]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", v, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations VALUES (?, now())`, v); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", v, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %d: %w", v, err)
		}
	}
	return nil
}
