package ingest

import (
	"bytes"
	"crypto/sha256"
	"math/rand/v2"
	"testing"
	"testing/iotest"
)

// The inspection hashes the file on a goroutine of its own while the rest
// reads the same blocks: the hash and the bytes the rest sees are the
// file's, whatever its size against the blocks, and a read error ends it.
func TestCopySHA256(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{0, 1, 1<<20 - 1, 1 << 20, 1<<20 + 1, 5<<20 + 123} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(r.Uint32())
		}
		var got bytes.Buffer
		n, sum, err := copySHA256(&got, iotest.HalfReader(bytes.NewReader(data)))
		want := sha256.Sum256(data)
		if err != nil || n != int64(size) || !bytes.Equal(sum, want[:]) || !bytes.Equal(got.Bytes(), data) {
			t.Errorf("%d bytes: copied %d (%d seen), err %v, hash %x, want %x", size, n, got.Len(), err, sum, want)
		}
	}
	if _, _, err := copySHA256(&bytes.Buffer{}, iotest.TimeoutReader(bytes.NewReader(make([]byte, 3<<20)))); err != iotest.ErrTimeout {
		t.Errorf("a failing read: err %v, want %v", err, iotest.ErrTimeout)
	}
}
