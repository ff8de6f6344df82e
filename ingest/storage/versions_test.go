package storage_test

import (
	"context"
	"testing"

	"github.com/verzuim/absence/ingest/storage"
)

// An employer's data version moves with every change of its own data —
// an import, a purge that removed someone — and with a purge of every
// employer, never with another employer's change; a purge that removed
// nobody changes no version.
func TestEmployerVersionsMoveWithTheirOwnData(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	klant, err := s.AddEmployer(ctx, "Klant")
	if err != nil {
		t.Fatal(err)
	}
	loadRetentionOrg(t, s)
	versions := func() map[int64]int64 {
		t.Helper()
		v, err := s.Reader().EmployerVersions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	const own = storage.DefaultEmployerID
	v := versions()
	for _, step := range []struct {
		what    string
		change  func()
		changed []int64 // whose version moves
	}{
		{"Klant's import", func() { loadRetentionOrgFor(t, s, "Klant") }, []int64{klant.ID}},
		{"Klant's purge", func() { purge(t, s, storage.PurgeOptions{Today: purgeToday, EmployerID: klant.ID}, true) }, []int64{klant.ID}},
		{"Klant's purge that removes nobody", func() { purge(t, s, storage.PurgeOptions{Today: purgeToday, EmployerID: klant.ID}, false) }, nil},
		{"a purge of every employer", func() { purge(t, s, storage.PurgeOptions{Today: purgeToday}, true) }, []int64{own, klant.ID}},
	} {
		step.change()
		now := versions()
		for _, id := range []int64{own, klant.ID} {
			moved := now[id] != v[id]
			want := false
			for _, c := range step.changed {
				want = want || c == id
			}
			if moved != want || now[id] < v[id] {
				t.Errorf("after %s: employer %d's version %d → %d; want it to move: %v", step.what, id, v[id], now[id], want)
			}
		}
		v = now
	}
}

func purge(t *testing.T, s *testStore, opt storage.PurgeOptions, removes bool) {
	t.Helper()
	opt.By = "test"
	res, err := s.Purge(context.Background(), opt)
	if err != nil || (res.Employees > 0) != removes {
		t.Fatalf("purge %+v: %v, %d employees removed", opt, err, res.Employees)
	}
}
