package ingest

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The absence types and end reasons the import accepts are exactly the
// values of the database's ENUM types (storage migration 13): a value
// accepted here but missing there would fail the commit of a valid file,
// and one there but not here could never be stored. Adding a value takes a
// migration that makes the type anew.
func TestAcceptedValuesAreTheStoredEnums(t *testing.T) {
	s := openTestStore(t)
	for typ, accepted := range map[string][]string{"absence_type": absenceTypes, "end_reason": endReasons} {
		var stored []string
		rows, err := s.DB.Query(`SELECT unnest(enum_range(NULL::` + typ + `))`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			stored = append(stored, v)
		}
		rows.Close()
		if !slices.IsSorted(stored) {
			t.Errorf("%s lists %q, want its values in byte order (so it sorts as text)", typ, stored)
		}
		if d := cmp.Diff(slices.Sorted(slices.Values(accepted)), stored); d != "" {
			t.Errorf("%s: the import accepts other values than the database stores (-accepted +stored):\n%s", typ, d)
		}
	}
}
