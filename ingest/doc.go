// Package ingest brings HR and payroll absence exports into the absence
// database: it reads CSV files through a mapping profile (profile.go,
// profiles/), inspects each file once — encoding, delimiter, header,
// profile, content hash (inspect.go) — holds every row to the limits
// (limits.go), validates every row (a bad row is reported with file, line,
// column and reason; good rows still land), builds absence cases from period
// or event rows, pseudonymises employee ids with the database's key, and
// leaves out employees past the retention period once a purge has run.
//
// An import runs in one transaction: it lands whole or not at all. The same
// file imported twice is recognised by its content hash and changes nothing.
// An import that would remove more than a set share of its source is refused
// unless confirmed, and every import can be undone: what it replaced is kept
// (replace.go; storage/undo.go). Each import records its success or failure
// in the import history itself.
//
// Every import belongs to an employer (ImportOptions.Employer; none means
// the default employer): its rows carry the employer's id, its personnel
// numbers are pseudonymised with the employer's salt, and a snapshot, the
// shrink guard, the "already imported" check and undo work per employer
// and source (storage/employers.go). A file whose rows name their
// employer (a profile's employer column) is one import per employer in it,
// committed together (employercol.go).
//
// Arrows: ingest is a client of package storage, which owns the database,
// its schema, the ledger and the single writer; ingest stages an import on a
// storage.Session and commits it there. Package inbox runs ingest
// unattended. So inbox → ingest → storage; storage imports neither.
package ingest
