//go:build speed

package analytics

import (
	"cmp"
	"context"
	"os"
	"testing"

	"github.com/verzuim/absence/datasets/speed"
)

// The adjusted effect's cases fit in DuckDB's memory however many there
// are: the query reads them in no order (their rows carry lists, which
// DuckDB cannot spill when it sorts them), and Go puts them in order. At
// 1M employees the sorted query ran out of the default 1 GB; here the same
// with 30,000 employees and 80 MB (the sorted query: "Out of Memory Error:
// failed to pin block of size 256.0 KiB (76.1 MiB/76.2 MiB used)"). Behind
// the speed tag: how much memory DuckDB needs moves with its version and
// threads, and the margins are tens of MB (the query as it is now needs
// 60–80 MB here, the sorted one 80–100 MB):
//
//	go test -tags speed -run TestAdjustedCasesWithinTheMemoryLimit ./analytics/
func TestAdjustedCasesWithinTheMemoryLimit(t *testing.T) {
	employees, limit := speed.Knob(t, "ABSENCE_TEST_EMPLOYEES", 30_000), cmp.Or(os.Getenv("ABSENCE_TEST_LIMIT"), "80MB")
	s := generatedStore(t, employees)
	if _, err := s.exec("SET memory_limit = '" + limit + "'"); err != nil {
		t.Fatal(err)
	}
	f := Filter{From: date("2023-07-01"), To: date(refExtract)}
	cases, err := adjustedCases(context.Background(), s.DB, f)
	if err != nil {
		t.Fatalf("the adjusted effect's cases of %d employees within %s: %v", employees, limit, err)
	}
	if len(cases) < employees/2 {
		t.Errorf("%d cases of %d employees over three years, want more", len(cases), employees)
	}
	for i := 1; i < len(cases); i++ {
		if cases[i].cluster < cases[i-1].cluster {
			t.Fatalf("case %d is of cluster %d after one of cluster %d: the cases are not in employee order", i, cases[i].cluster, cases[i-1].cluster)
		}
	}
}
