package ingest

import (
	"cmp"
	"math/bits"
	"slices"
)

// repeatFinder keeps the hash (rowHasher) of each row of the numbered copy
// with its line, to tell once the copy is written which rows share their
// hash with another: the only rows that can repeat one (markDuplicates).
// DuckDB then gets the hashes of those few rows, not a hash column to read
// for every row. The rows are kept in buckets by the hash's first bits, so
// that each bucket is sifted within the processor's cache, and a bucket in
// chunks, which are never copied to grow.
type repeatFinder struct {
	buckets [1 << repeatBucketBits][][]hashedRow
	rows    int
}

const (
	repeatBucketBits = 8
	maxChunk         = 1024 // rows: 16 KiB
)

type hashedRow struct {
	hash uint64
	line int64
}

func (f *repeatFinder) add(hash uint64, line int64) {
	f.rows++
	b := &f.buckets[hash>>(64-repeatBucketBits)]
	n := len(*b)
	if n == 0 || len((*b)[n-1]) == cap((*b)[n-1]) {
		size := 16
		if n > 0 {
			size = min(2*cap((*b)[n-1]), maxChunk)
		}
		*b, n = append(*b, make([]hashedRow, 0, size)), n+1
	}
	(*b)[n-1] = append((*b)[n-1], hashedRow{hash, line})
}

// repeats are the rows whose hash another row has, and it lets go of the
// rest. Within a bucket, a bitset of about 16 bits a row, indexed by the
// hash's next bits, leaves only a few rows to compare whole hashes of: a
// row whose bit no other row sets has a hash of its own.
func (f *repeatFinder) repeats() []hashedRow {
	var out, maybe []hashedRow
	var seen, twice []uint64
	for i := range f.buckets {
		chunks := f.buckets[i]
		f.buckets[i] = nil
		rows := 0
		for _, c := range chunks {
			rows += len(c)
		}
		if rows < 2 {
			continue
		}
		size := bits.Len(uint(rows)) + 4 // 2^size ≥ 16 bits a row
		words := max(1, (1<<size)/64)
		seen, twice = resetBits(seen, words), resetBits(twice, words)
		slot := func(h uint64) (uint64, uint64) {
			at := h << repeatBucketBits >> (64 - size)
			return at / 64, 1 << (at % 64)
		}
		for _, c := range chunks {
			for _, r := range c {
				w, bit := slot(r.hash)
				twice[w] |= seen[w] & bit
				seen[w] |= bit
			}
		}
		maybe = maybe[:0]
		for _, c := range chunks {
			for _, r := range c {
				if w, bit := slot(r.hash); twice[w]&bit != 0 {
					maybe = append(maybe, r)
				}
			}
		}
		slices.SortFunc(maybe, func(a, b hashedRow) int { return cmp.Compare(a.hash, b.hash) })
		for j := 0; j < len(maybe); {
			k := j + 1
			for k < len(maybe) && maybe[k].hash == maybe[j].hash {
				k++
			}
			if k-j > 1 {
				out = append(out, maybe[j:k]...)
			}
			j = k
		}
	}
	return out
}

func resetBits(b []uint64, words int) []uint64 {
	if cap(b) < words {
		return make([]uint64, words)
	}
	b = b[:words]
	clear(b)
	return b
}
