// Package testkit is what the tests of storage, ingest and inbox share: the
// fixtures folder, a fingerprint of what the database holds, plain SQL for a
// test to look and poke with, and test binaries that act as another process
// (child.go). It imports only storage, so ingest's own tests can use it.
package testkit

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/ingest/storage"
)

// Fixtures is the folder of the shared fixtures (datasets/fixtures/), with
// a trailing slash.
var Fixtures = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "datasets", "fixtures") + string(filepath.Separator)
}()

// WriteFile writes an inline fixture to a temp file and returns its path.
func WriteFile(t testing.TB, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// MustRead reads a file.
func MustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// SQL lets a test read a store through its Reader and, to set up what a
// test needs, write it through a session of the single writer.
type SQL struct{ Store *storage.Store }

func (d SQL) Query(query string, args ...any) (*sql.Rows, error) {
	return d.Store.Reader().QueryContext(context.Background(), query, args...)
}

func (d SQL) QueryRow(query string, args ...any) *sql.Row {
	return d.Store.Reader().QueryRowContext(context.Background(), query, args...)
}

func (d SQL) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return d.Store.Reader().QueryContext(ctx, query, args...)
}

func (d SQL) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return d.Store.Reader().QueryRowContext(ctx, query, args...)
}

// Exec runs statements as the single writer.
func (d SQL) Exec(query string, args ...any) (sql.Result, error) {
	ctx := context.Background()
	sess, err := d.Store.Session(ctx, true)
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	return sess.Conn().ExecContext(ctx, query, args...)
}

// Fingerprint sums up the ledger and every table imports write (a count and
// a checksum each), or only the tables named, so a test can say "nothing
// changed" without listing rows. A row names its import by the content of
// the imported file, and the ledger's clock times are left out: the same
// files imported again give the same fingerprint, whatever import ids they
// get.
func Fingerprint(t testing.TB, s *storage.Store, only ...string) string {
	t.Helper()
	var tables []struct{ name, rows string }
	if len(only) == 0 {
		tables = append(tables, struct{ name, rows string }{"imports", `SELECT * EXCLUDE (import_id, started_at, finished_at) FROM imports`})
	}
	for _, w := range importTables(t, s) {
		if len(only) > 0 && !slices.Contains(only, w.table) {
			continue
		}
		tables = append(tables, struct{ name, rows string }{w.table,
			fmt.Sprintf(`SELECT t.* EXCLUDE (%[2]s), i.content_sha256 FROM %[1]s t LEFT JOIN imports i ON i.import_id = t.%[2]s`, w.table, w.importID)})
	}
	db := SQL{s}
	var parts []string
	for _, table := range tables {
		var n int64
		var h string
		err := db.QueryRow(fmt.Sprintf(`SELECT count(*), coalesce(sum(hash(r))::VARCHAR, '') FROM (%s) r`, table.rows)).Scan(&n, &h)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, fmt.Sprintf("%s=%d/%s", table.name, n, h))
	}
	return strings.Join(parts, " ")
}

// importTables are the tables imports write, each with the column that
// names the import (replaced_by_import in the replaced_ tables, import_id
// in the others), read from the schema.
func importTables(t testing.TB, s *storage.Store) []struct{ table, importID string } {
	t.Helper()
	rows, err := SQL{s}.Query(`SELECT table_name, CASE WHEN bool_or(column_name = 'replaced_by_import') THEN 'replaced_by_import' ELSE 'import_id' END
		FROM information_schema.columns WHERE table_schema = 'main' AND table_name <> 'imports'
		GROUP BY table_name HAVING bool_or(column_name IN ('import_id', 'replaced_by_import')) ORDER BY table_name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []struct{ table, importID string }
	for rows.Next() {
		var w struct{ table, importID string }
		if err := rows.Scan(&w.table, &w.importID); err != nil {
			t.Fatal(err)
		}
		out = append(out, w)
	}
	return out
}

// Data fingerprints every table imports write, but not the ledger: a failed
// import changes only the ledger.
func Data(t testing.TB, s *storage.Store) string {
	t.Helper()
	var all []string
	for _, w := range importTables(t, s) {
		all = append(all, w.table)
	}
	return Fingerprint(t, s, all...)
}

// Failures lists the failed imports in the history, oldest first, as
// "FILE: MESSAGE".
func Failures(t testing.TB, s *storage.Store) []string {
	t.Helper()
	rows, err := SQL{s}.Query(`SELECT file_name || ': ' || message FROM imports WHERE status = 'failed' ORDER BY import_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var f string
		if err := rows.Scan(&f); err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	return out
}

// DataTables are the canonical tables; a fingerprint of them says whether
// the data is exactly as it was (the ledger is not data).
var DataTables = []string{"employments", "absence_cases", "case_segments", "interventions", "milestones"}

// OrgExtract is the extract date of GeneratedOrg.
var OrgExtract = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)

// GeneratedOrg writes a generated organisation's native exports (300
// employees, about 700 cases) into a new folder and returns it.
func GeneratedOrg(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := datasets.WriteFiles(dir, datasets.Config{Employees: 300, Seed: 5, ExtractDate: OrgExtract}, "native"); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Count counts the rows of a table.
func Count(t testing.TB, s *storage.Store, table string) int64 {
	t.Helper()
	var n int64
	if err := (SQL{s}).QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// AllCases dumps every case with its segments, keyed by pseudonym, so two
// databases filled with the same key can be compared whole.
func AllCases(t testing.TB, s *storage.Store) []string {
	t.Helper()
	rows, err := SQL{s}.Query(`SELECT k.pseudonym || ' ' || strftime(c.first_sick_day, '%Y-%m-%d') || ' ' || coalesce(strftime(c.recovery_date, '%Y-%m-%d'), 'open')
			|| ' ' || absence_type || ' ' || coalesce(end_reason, '-') || ' ' ||
			(SELECT string_agg(strftime(valid_from, '%Y-%m-%d') || '..' || coalesce(strftime(valid_to, '%Y-%m-%d'), 'open') || ':' || absence_pct, ' ' ORDER BY valid_from)
			 FROM case_segments g WHERE g.employee_key = c.employee_key AND g.first_sick_day = c.first_sick_day)
		FROM absence_cases c JOIN employees k USING (employee_key) ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// EngineText is what DuckDB's own messages look like; none may reach a user.
var EngineText = regexp.MustCompile(`(?i)(\w+ Error:|state machine|strict_mode|possible fixes|read_csv|import-tmp)`)

// ScanRow scans a one-row query into dest and fails the test if the query
// does: a count that could not be read must not pass as zero.
func ScanRow(t testing.TB, row *sql.Row, dest ...any) {
	t.Helper()
	if err := row.Scan(dest...); err != nil {
		t.Fatal(err)
	}
}
