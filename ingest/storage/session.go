package storage

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/verzuim/absence/ingest/internal/sqlparts"
)

// Session is one connection for one import: DuckDB's temp tables live per
// connection, and the import stages its work in them. A session that
// writes holds the store's single writer lock from Session to Close, so the
// check whether a file was imported before and its import happen as one; a
// dry run's session does not, and cannot commit. The SQL function
// pseudonym(salt, id) computes SaltedPseudonym with the database's key,
// which never leaves the store (registerPseudonym).
type Session struct {
	store *Store
	conn  *sql.Conn
	write bool
	inTx  bool // Begin was called, and neither Commit nor Close since
}

// Session opens a session; write takes the writer lock, waiting for the
// import, purge or undo that holds it.
func (s *Store) Session(ctx context.Context, write bool) (*Session, error) {
	if err := s.writable(); err != nil {
		return nil, err
	}
	if write {
		s.writeMu.Lock()
	}
	ss := &Session{store: s, write: write}
	conn, err := s.db.Conn(ctx)
	if err == nil {
		ss.conn = conn
		s.limits.enter(ctx, conn)
	}
	if err != nil {
		ss.Close()
		return nil, err
	}
	return ss, nil
}

// Conn is the session's connection, for the import's temp tables and its
// reads.
func (ss *Session) Conn() *sql.Conn { return ss.conn }

// Close gives the connection back and releases the writer lock; a
// transaction begun and not committed is rolled back.
func (ss *Session) Close() {
	ss.Rollback()
	if ss.conn != nil {
		ss.store.limits.leave(ss.conn)
		ss.conn.Close()
	}
	if ss.write {
		ss.store.writeMu.Unlock()
	}
}

// Entry is an import's row in the import history.
type Entry struct {
	// EmployerID is the employer the import's rows belong to; 0 means the
	// default employer.
	EmployerID int64
	// FileImport is, for the imports of one file holding several
	// employers' rows after the first, the first of them; 0 otherwise.
	FileImport                                int64
	File, SHA256, Profile, Kind, Source, Mode string
	ExtractDate, StartedAt                    time.Time
	Read, Accepted, Rejected, Duplicate       int64
}

// CommitImport writes an import staged on the session in one transaction:
// its row in the import history, what it replaces and its rejected rows.
// It reads them from the session's temp tables (or views), which the
// import made:
//
//	gone           the stored units it replaces (rows of the kind's table)
//	added          the units it stores, without import_id, with employer_id
//	new_segments   for absence, the periods of the cases added, likewise
//	rejected_rows  line, column_name, raw_value, reason of each rejected row
//	new_employees  employee_key, employer_id, pseudonym of the employees the
//	               import names for the first time (storage keeps those
//	               its added rows name)
//
// It returns the import's id, which every row it writes carries.
func (ss *Session) CommitImport(ctx context.Context, e Entry) (id int64, err error) {
	if !ss.write {
		return 0, fmt.Errorf("a dry run commits nothing")
	}
	tx, err := ss.conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	if id, err = writeImport(ctx, tx, e); err != nil {
		return 0, err
	}
	if ss.store.beforeCommit != nil {
		ss.store.beforeCommit()
	}
	start := time.Now()
	if err = tx.Commit(); err != nil {
		return 0, err
	}
	slog.Debug("commit step", "took", time.Since(start), "sql", "COMMIT")
	ss.store.committed()
	return id, nil
}

// Begin starts a transaction on the session for several imports, one per
// employer of a file that holds several employers' rows: each is staged
// and written (WriteImport) in turn, and they commit together (Commit) or,
// when one fails, not at all (Close rolls back).
func (ss *Session) Begin(ctx context.Context) error {
	if !ss.write {
		return fmt.Errorf("a dry run commits nothing")
	}
	if _, err := ss.conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	ss.inTx = true
	return nil
}

// WriteImport writes an import staged on the session, as CommitImport
// does, within the transaction Begin started.
func (ss *Session) WriteImport(ctx context.Context, e Entry) (int64, error) {
	if !ss.inTx {
		return 0, fmt.Errorf("WriteImport needs Begin")
	}
	return writeImport(ctx, ss.conn, e)
}

// Rollback undoes what was written since Begin, if it was not committed.
func (ss *Session) Rollback() {
	if ss.inTx {
		ss.conn.ExecContext(context.Background(), "ROLLBACK")
		ss.inTx = false
	}
}

// Commit commits the imports written since Begin.
func (ss *Session) Commit(ctx context.Context) error {
	if ss.store.beforeCommit != nil {
		ss.store.beforeCommit()
	}
	if _, err := ss.conn.ExecContext(ctx, "COMMIT"); err != nil {
		return err
	}
	ss.inTx = false
	ss.store.committed()
	return nil
}

// writer is a transaction, or a connection within one.
type writer interface {
	sqlparts.Querier
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// writeImport writes an import's row in the history, what it replaces and
// its rejected rows, from the session's temp tables.
func writeImport(ctx context.Context, w writer, e Entry) (id int64, err error) {
	table, ok := tableOf[e.Kind]
	if !ok {
		return 0, fmt.Errorf("no table holds %q", e.Kind)
	}
	err = w.QueryRowContext(ctx, `INSERT INTO imports (file_name, content_sha256, profile, kind, source, mode, extract_date, started_at, finished_at,
			rows_read, rows_accepted, rows_rejected, rows_duplicate, status, employer_id, file_import)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, now(), ?, ?, ?, ?, 'committed', ?, NULLIF(?, 0)) RETURNING import_id`,
		e.File, e.SHA256, e.Profile, e.Kind, e.Source, e.Mode, e.ExtractDate, e.StartedAt,
		e.Read, e.Accepted, e.Rejected, e.Duplicate, e.employer(), e.FileImport).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("write ledger: %w", err)
	}
	units, err := unitColumns(ctx, w, table)
	if err != nil {
		return 0, err
	}
	var gone bool
	if err := w.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM gone)`).Scan(&gone); err != nil {
		return 0, fmt.Errorf("write: %w", err)
	}
	writes := append(replacementWrites(table, units, id, e.employer(), gone),
		`INSERT INTO employees BY NAME SELECT * FROM new_employees WHERE employee_key IN (SELECT employee_key FROM added)`,
		fmt.Sprintf(`INSERT INTO import_errors SELECT %d, line, column_name, raw_value, reason FROM rejected_rows`, id))
	for _, q := range writes {
		start := time.Now()
		if _, err = w.ExecContext(ctx, q); err != nil {
			return 0, fmt.Errorf("write: %w", err)
		}
		slog.Debug("commit step", "took", time.Since(start), "sql", q)
	}
	return id, nil
}

func (e Entry) employer() int64 {
	if e.EmployerID == 0 {
		return DefaultEmployerID
	}
	return e.EmployerID
}

// tableOf is the table each kind of import is stored in.
var tableOf = map[string]string{
	"absence":      "absence_cases",
	"employment":   "employments",
	"intervention": "interventions",
	"milestone":    "milestones",
}

// TableOf names the table a kind of import (absence, employment,
// intervention, milestone) is stored in.
func TableOf(kind string) (string, bool) {
	t, ok := tableOf[kind]
	return t, ok
}

// Units names what an import of a kind replaces and stores, for messages.
func Units(kind string) string {
	switch kind {
	case "absence":
		return "absence cases"
	case "employment":
		return "employment records"
	case "intervention":
		return "interventions"
	}
	return "milestones"
}

// unitColumns are the columns two stored units are compared on: all but
// the import that stored them.
func unitColumns(ctx context.Context, q sqlparts.Querier, table string) ([]string, error) {
	cols, err := sqlparts.Columns(ctx, q, table)
	if err != nil {
		return nil, err
	}
	out := cols[:0]
	for _, c := range cols {
		if c != "import_id" {
			out = append(out, c)
		}
	}
	return out, nil
}
