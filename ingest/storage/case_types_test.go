package storage_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/verzuim/absence/ingest/storage"
)

// A database from before the absence type and end reason were ENUM types
// (migration 13): on opening, both columns of the cases and of the
// replaced cases become ENUMs holding the same values, NULLs and rows in
// the same order; they still compare with text as text, a value not in the
// type matches nothing, sorting by them sorts as the text did, and a case
// without a type is still refused.
func TestMigrationStoresAbsenceTypesAndEndReasonsAsEnums(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "old.duckdb")
	old, err := sql.Open("duckdb", db)
	if err != nil {
		t.Fatal(err)
	}
	err = storage.MigrateTo(ctx, old, 12) // integer keys, text types
	if err == nil {
		_, err = old.Exec(`
			INSERT INTO imports (import_id, file_name, content_sha256, profile, kind, source, mode, extract_date, started_at, finished_at,
				rows_read, rows_accepted, rows_rejected, rows_duplicate, status, employer_id)
			VALUES (7, 'periods.csv', 'x', 'native-periods', 'absence', 'native', 'snapshot', DATE '2024-06-30', now(), now(), 9, 9, 0, 0, 'committed', 1),
				(8, 'periods.csv', 'y', 'native-periods', 'absence', 'native', 'snapshot', DATE '2024-07-31', now(), now(), 1, 1, 0, 0, 'committed', 1);
			INSERT INTO employees VALUES (1, 1, 'a'), (2, 1, 'b');
			INSERT INTO absence_cases BY NAME SELECT 1 + i % 2 AS employee_key, DATE '2024-01-01' + i AS first_sick_day, NULL AS recovery_date,
					t AS absence_type, r AS end_reason, 'native' AS source, 7 AS import_id, NULL AS vangnet, 1 AS employer_id
				FROM (VALUES (0, 'sickness_pregnancy', 'wia_iva'), (1, 'other', NULL), (2, 'sickness', 'other_work_own_employer'),
					(3, 'pregnancy_leave', 'full_return'), (4, 'organ_donation', 'second_track'), (5, 'sickness', 'other'),
					(6, 'other', 'employment_ended'), (7, 'sickness', 'adapted_own_work'), (8, 'sickness_pregnancy', NULL)) v(i, t, r);
			INSERT INTO replaced_absence_cases BY NAME SELECT 2 AS employee_key, DATE '2023-05-01' AS first_sick_day, DATE '2023-05-09' AS recovery_date,
				'organ_donation' AS absence_type, 'second_track' AS end_reason, 'native' AS source, 7 AS import_id, true AS vangnet,
				8 AS replaced_by_import, 1 AS employer_id`)
	}
	old.Close()
	if err != nil {
		t.Fatal(err)
	}
	cases := func(s *testStore, table, order string) []string {
		t.Helper()
		rows, err := s.DB.Query(`SELECT concat_ws(' ', employee_key, first_sick_day, absence_type, coalesce(end_reason, '-')) FROM ` + table + ` ORDER BY ` + order)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var r string
			if err := rows.Scan(&r); err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
		return out
	}
	want := []string{
		"1 2024-01-01 sickness_pregnancy wia_iva", "2 2024-01-02 other -", "1 2024-01-03 sickness other_work_own_employer",
		"2 2024-01-04 pregnancy_leave full_return", "1 2024-01-05 organ_donation second_track", "2 2024-01-06 sickness other",
		"1 2024-01-07 other employment_ended", "2 2024-01-08 sickness adapted_own_work", "1 2024-01-09 sickness_pregnancy -",
	}
	s := openStore(t, db, storage.Options{})
	if d := cmp.Diff(want, cases(s, "absence_cases", "rowid")); d != "" {
		t.Errorf("cases after the migration, in stored order (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"2 2023-05-01 organ_donation second_track"}, cases(s, "replaced_absence_cases", "rowid")); d != "" {
		t.Errorf("replaced cases after the migration (-want +got):\n%s", d)
	}
	for _, table := range []string{"absence_cases", "replaced_absence_cases"} {
		for _, col := range []string{"absence_type", "end_reason"} {
			var typ string
			if err := s.DB.QueryRow(`SELECT data_type FROM information_schema.columns WHERE table_name = ? AND column_name = ?`, table, col).Scan(&typ); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(typ, "ENUM(") {
				t.Errorf("%s.%s is %s, want an ENUM", table, col, typ)
			}
		}
	}
	asText := cases(s, "absence_cases", "absence_type::VARCHAR, end_reason::VARCHAR NULLS LAST, first_sick_day")
	if d := cmp.Diff(asText, cases(s, "absence_cases", "absence_type, end_reason NULLS LAST, first_sick_day")); d != "" {
		t.Errorf("sorted by type and end reason, the cases are not in the order of their text (-text +enum):\n%s", d)
	}
	var sick, none int64
	if err := s.DB.QueryRow(`SELECT count(*) FILTER (absence_type IN ('sickness', 'sickness_pregnancy', 'organ_donation')),
			count(*) FILTER (absence_type = ? OR end_reason IN (?, 'also not one'))
		FROM absence_cases`, "not a type", "not a reason").Scan(&sick, &none); err != nil {
		t.Fatalf("comparing the types with text: %v", err)
	}
	if sick != 6 || none != 0 {
		t.Errorf("%d sick cases and %d matching unknown values, want 6 and 0", sick, none)
	}
	if _, err := s.DB.Exec(`INSERT INTO absence_cases BY NAME SELECT 1 AS employee_key, DATE '2024-03-01' AS first_sick_day,
			NULL AS absence_type, 'native' AS source, 7 AS import_id, 1 AS employer_id`); err == nil {
		t.Error("a case without an absence type was stored")
	}
}
