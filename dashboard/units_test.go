package dashboard

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The departments file's units, read in one query per extract date, are
// each employer's departments read alone; employers with other extract
// dates each get their own three years.
func TestReadUnitsEqualsEachEmployerAlone(t *testing.T) {
	site := newTestSiteSized(t, 150)
	addEmployer(t, site, "Klant B", 120, 9, testExtract.AddDate(0, -2, 0))
	ctx := context.Background()
	r := site.store.Reader()
	got, err := ReadUnits(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	employers, err := r.Employers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(employers) || len(employers) < 2 {
		t.Fatalf("units of %d employers, the database holds %d", len(got), len(employers))
	}
	for _, e := range employers {
		want, err := EmployerDepartments(ctx, r, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 || !cmp.Equal(got[e.Name], want) {
			t.Errorf("%s: departments %v, alone %v", e.Name, got[e.Name], want)
		}
	}
}
