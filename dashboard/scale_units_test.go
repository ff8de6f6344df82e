//go:build scale

package dashboard

import (
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/verzuim/absence/datasets/speed"
)

// TestScaleUnitsWrite times the departments file's write after one
// employer's import, on a copy of the provider database TestScale kept in
// ABSENCE_SCALE_DIR: reading every employer's departments (as every write
// did before) against the one employer's, interleaved, medians of 5.
//
//	ABSENCE_SCALE_DIR=/tmp/warm/s300 go test -tags scale -run 'TestScaleUnitsWrite$' -v ./dashboard/
func TestScaleUnitsWrite(t *testing.T) {
	dir := os.Getenv("ABSENCE_SCALE_DIR")
	if dir == "" {
		t.Skip("ABSENCE_SCALE_DIR names no database kept by TestScale")
	}
	store := keptProvider(t, dir)
	srv, _ := scaleServer(t, store, nil)
	st, err := srv.readState(context.Background(), store.Commits())
	if err != nil {
		t.Fatal(err)
	}
	one := slices.Sorted(maps.Keys(st.versions))[1]
	var all, single []time.Duration
	load := speed.Load()
	for range 5 {
		srv.units = unitsFile{} // nothing written yet: every employer is read
		began := time.Now()
		if err := srv.updateUnits(st); err != nil {
			t.Fatal(err)
		}
		all = append(all, time.Since(began))
		before := maps.Clone(st.versions)
		before[one]--
		srv.units.versions = before // as if employer one imported since
		began = time.Now()
		if err := srv.updateUnits(st); err != nil {
			t.Fatal(err)
		}
		single = append(single, time.Since(began))
		if got := srv.units.lastRead(); len(got) != 1 {
			t.Fatalf("one employer changed, the write read %d", len(got))
		}
	}
	median := func(d []time.Duration) time.Duration { slices.Sort(d); return d[len(d)/2] }
	fmt.Printf("UNITS employers=%d every_employer_ms=%d one_employer_ms=%d load=%.1f-%.1f\n",
		len(st.versions), median(all).Milliseconds(), median(single).Milliseconds(), load, speed.Load())
}
