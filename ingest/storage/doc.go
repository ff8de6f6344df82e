// Package storage owns the absence database: opening it (Store, Options),
// its schema (migrations.go), the employers every row belongs to and the
// pseudonym salt of each (employers.go), the import history or ledger (ledger.go), the
// single writer that every import, purge and undo goes through, the cleanup
// on open of what an interrupted import left (uncommitted.go), undo,
// retention purges and the Parquet export. It also keeps the
// pseudonymisation key, because the key belongs to the database: its
// fingerprint is stored in it, and another key would split every employee
// in two.
//
// Arrows: storage imports nothing of the project but ingest/internal/sqlparts.
// Package ingest is a storage client — it stages an import on a Session and
// commits it — and package inbox runs ingest; so the arrows point
// inbox → ingest → storage. Readers (the analytics, the dashboard's figures)
// get a Reader, which can only run SELECTs; the *sql.DB stays inside.
package storage
