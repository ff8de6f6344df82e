package storage

import (
	"fmt"

	"github.com/verzuim/absence/ingest/internal/sqlparts"
)

// What an import replaces, and how it can be undone.
//
// Each import has a scope: the stored rows it is the new truth for. The
// import (package ingest) compares the scope as stored with the scope as it
// will be, and stages the difference: units only stored are gone, units only
// in the file are added; units the same in both stay untouched, with the
// import that stored them. For absence the unit is a case with all its
// periods, for the other kinds a row. Committing moves what is gone to the
// replaced_ table of its table, tagged with the import (replaced_by_import),
// so that undoing it can put them back (undo.go), and stores what is added
// with the import's id. A nightly snapshot that repeats yesterday's data
// therefore moves nothing aside, and what is kept for undo is what actually
// changed.

// replacementWrites apply the staged replacement as import id; gone says
// whether any stored unit goes (a source's first import replaces none).
// Rows move between tables by column name (BY NAME), never by position: a
// later migration appends columns. A case takes its periods along. What is
// gone is the employer's: the deletes read that employer's rows only, so a
// commit costs the same however many employers the installation holds.
// The stored rows that go are found by a semi join with gone, which DuckDB
// hashes once; as EXISTS with the row's columns it first grouped every
// stored row by them (at a million employees 5 of the commit's 7 seconds).
func replacementWrites(table string, units []string, id, employer int64, gone bool) []string {
	var rows []string
	if gone {
		if table == "absence_cases" {
			ofGone := fmt.Sprintf(`case_segments s SEMI JOIN gone g ON g.employee_key = s.employee_key AND g.first_sick_day = s.first_sick_day WHERE s.employer_id = %d`, employer)
			rows = append(rows,
				fmt.Sprintf(`INSERT INTO replaced_case_segments BY NAME SELECT s.*, %d AS replaced_by_import FROM %s`, id, ofGone),
				`DELETE FROM case_segments WHERE rowid IN (SELECT s.rowid FROM `+ofGone+`)`)
		}
		rows = append(rows,
			fmt.Sprintf(`INSERT INTO replaced_%s BY NAME SELECT *, %d AS replaced_by_import FROM gone`, table, id),
			fmt.Sprintf(`DELETE FROM %[1]s WHERE rowid IN (SELECT s.rowid FROM %[1]s s SEMI JOIN gone g ON %[2]s AND g.import_id = s.import_id WHERE s.employer_id = %[3]d)`,
				table, sqlparts.SameRow(units, "g", "s"), employer))
	}
	rows = append(rows, fmt.Sprintf(`INSERT INTO %s BY NAME SELECT *, %d AS import_id FROM added`, table, id))
	if table == "absence_cases" {
		rows = append(rows, fmt.Sprintf(`INSERT INTO case_segments BY NAME SELECT *, %d AS import_id FROM new_segments`, id))
	}
	return rows
}
