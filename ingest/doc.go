// Package ingest brings HR and payroll absence exports into the DuckDB
// database: it owns the schema, reads CSV files through a mapping profile,
// validates every row (a bad row is reported with file, line, column and
// reason; good rows still land), builds absence cases from period or event
// rows, pseudonymises employee ids and records each import in a ledger.
//
// An import runs in one transaction: it lands whole or not at all. The same
// file imported twice is recognised by its content hash and changes nothing.
// An import that would remove more than a set share of its source is refused
// unless confirmed, and every import can be undone: what it replaced is kept
// (replace.go, undo.go).
package ingest
