package ingest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// The rows a repeatFinder returns are exactly those whose hash another row
// has, each with its own line, whatever the number of rows: the first of a
// repeated hash too (markDuplicates keeps it), and none of the rows whose
// hash differs from every other only in the bits the bitsets do not look at.
func TestRepeatFinderReturnsTheRowsSharingAHash(t *testing.T) {
	for _, rows := range []int{0, 1, 2, 300, 200_000} {
		t.Run(fmt.Sprint(rows), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, uint64(rows)))
			var f repeatFinder
			var all []hashedRow
			add := func(h uint64) {
				r := hashedRow{h, int64(len(all) + 2)}
				all = append(all, r)
				f.add(r.hash, r.line)
			}
			for i := range rows {
				switch {
				case i%97 == 5 && len(all) > 0: // a repeat of an earlier row
					add(all[rng.IntN(len(all))].hash)
				case i%89 == 3 && len(all) > 0: // the same bucket and bit as an earlier row, another hash
					add(all[rng.IntN(len(all))].hash ^ 1)
				default:
					add(rng.Uint64())
				}
			}
			count := map[uint64]int{}
			for _, r := range all {
				count[r.hash]++
			}
			var want []hashedRow
			for _, r := range all {
				if count[r.hash] > 1 {
					want = append(want, r)
				}
			}
			got := f.repeats()
			byLine := func(a, b hashedRow) int { return int(a.line - b.line) }
			slices.SortFunc(got, byLine)
			if !slices.Equal(got, want) {
				t.Fatalf("%d rows sharing a hash, want %d (%d of %d rows)", len(got), len(want), len(want), rows)
			}
			if rows >= 300 && len(want) == 0 {
				t.Fatal("the test planted no repeats")
			}
		})
	}
}
