package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/duckdb/duckdb-go/v2"
)

// Reader reads the database and cannot change it. DuckDB cannot open a file
// read-only within the process that writes it, so the Reader enforces it
// itself: it has no Exec and no transactions, and it runs one statement per
// call, only after DuckDB has parsed it as a SELECT. Anything else — an
// insert, a SET, a COPY, or a SELECT followed by a DELETE — is refused
// before it runs. It satisfies analytics.Querier.
type Reader struct{ db *sql.DB }

// ErrNotARead is wrapped by the Reader's refusal of a statement that is not
// one SELECT.
var ErrNotARead = errors.New("the read-only querier runs one SELECT statement at a time")

// newReader opens a pool of read-only connections to the database the
// connector opens; it shares that database, so it sees every commit.
func newReader(c driver.Connector) *Reader {
	return &Reader{db: sql.OpenDB(readOnlyConnector{c})}
}

// QueryContext runs one SELECT.
func (r *Reader) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return r.db.QueryContext(ctx, query, args...)
}

// QueryRowContext runs one SELECT that returns at most one row.
func (r *Reader) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return r.db.QueryRowContext(ctx, query, args...)
}

// close closes the pool; the database stays open (Store.Close closes it).
func (r *Reader) close() { r.db.Close() }

// readOnlyConnector makes read-only connections. It embeds the interface,
// not the DuckDB connector, so closing the pool does not close the database.
type readOnlyConnector struct{ driver.Connector }

func (c readOnlyConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return readOnlyConn{conn.(duckdbConn)}, nil
}

// duckdbConn is what a read-only connection needs of a DuckDB connection:
// a *duckdb.Conn, or a replica's connection to one snapshot (replica.go).
type duckdbConn interface {
	driver.Conn
	driver.NamedValueChecker
}

// readOnlyConn offers database/sql only preparing: it does not implement
// driver.ExecerContext or driver.QueryerContext, so every query is prepared
// here first and checked. DuckDB's Prepare takes a single statement and
// runs nothing (its PrepareContext would run all but the last of several).
type readOnlyConn struct{ conn duckdbConn }

func (c readOnlyConn) Prepare(query string) (driver.Stmt, error) {
	stmt, err := c.conn.Prepare(query)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotARead, err)
	}
	typ, err := stmt.(*duckdb.Stmt).StatementType()
	if err == nil && typ != duckdb.STATEMENT_TYPE_SELECT {
		err = ErrNotARead
	}
	if err != nil {
		stmt.Close()
		return nil, err
	}
	return stmt, nil
}

func (c readOnlyConn) Close() error { return c.conn.Close() }

// ResetSession and IsValid let a replica's pool drop the connections of a
// snapshot it no longer serves (replica.go).
func (c readOnlyConn) ResetSession(ctx context.Context) error {
	if r, ok := c.conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c readOnlyConn) IsValid() bool {
	if v, ok := c.conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c readOnlyConn) Begin() (driver.Tx, error) { return nil, ErrNotARead }

// CheckNamedValue accepts the argument types DuckDB accepts (lists, …).
func (c readOnlyConn) CheckNamedValue(nv *driver.NamedValue) error { return c.conn.CheckNamedValue(nv) }
