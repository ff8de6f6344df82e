package ingest

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/verzuim/absence/ingest/internal/testkit"
)

// Issue 9, finding 2: an AFAS export whose header has a stray CR after
// "Medewerker" (lines ending in LF) was reported as "accepted 12" while
// DuckDB read no row at all, and the snapshot wiped its source. The header is
// now read past such bytes, and what is reported as accepted is what is
// stored.
func TestStrayCRInHeaderNeitherWipesNorMiscounts(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	afas, err := LoadProfile("afas-verloop")
	if err != nil {
		t.Fatal(err)
	}
	mustImport(t, s, fixtures+"org_afas_events.csv", ImportOptions{Profile: afas, ExtractDate: extract2024})
	employees := []string{"E001", "E002", "E003", "E004"}
	before := storedCases(t, s, employees...)

	res := mustImport(t, s, fixtures+"afas_verzuim_stray_cr.csv", ImportOptions{Profile: afas, ExtractDate: extract2024})
	if res.Cases != int64(len(before)) || res.Accepted != 12 || res.Read != res.Accepted+res.Rejected+res.Duplicate {
		t.Errorf("read %d, accepted %d, rejected %d, duplicate %d, absence cases %d; want 12 accepted and %d cases",
			res.Read, res.Accepted, res.Rejected, res.Duplicate, res.Cases, len(before))
	}
	if d := cmp.Diff(before, storedCases(t, s, employees...)); d != "" {
		t.Errorf("the same export with a stray CR in its header changed the source (-before +after):\n%s", d)
	}
}

// Whatever loses a row between the file and the database, the row is not
// counted as accepted: the import refuses the file instead of reporting
// rows it did not store.
func TestARowLostOnTheWayIsNeverCountedAsAccepted(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	s.Importer = NewImporter(s.Store, Config{afterParse: func(ctx context.Context, conn *sql.Conn) error {
		_, err := conn.ExecContext(ctx, `DELETE FROM parsed WHERE __line = 3`)
		return err
	}})
	before := testkit.Data(t, s.Store)
	res, err := s.ImportFile(context.Background(), fixtures+"org_native_periods.csv", ImportOptions{ExtractDate: extract2024})
	if !IsBadFile(err) || !strings.Contains(err.Error(), "1 were neither imported nor rejected") {
		t.Errorf("err = %v; want a bad file with 1 row unaccounted for", err)
	}
	if res.Accepted+res.Rejected+res.Duplicate == res.Read {
		t.Errorf("read %d reported as accepted %d, rejected %d, duplicate %d: the lost row was counted", res.Read, res.Accepted, res.Rejected, res.Duplicate)
	}
	if after := testkit.Data(t, s.Store); after != before {
		t.Error("the file was imported without the lost row")
	}
}
