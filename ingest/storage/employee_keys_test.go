package storage_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

const keysEmployments = "employee_id,start_date,end_date,department,contract_hours,fulltime_hours\n"

// Each employee of an employer gets one integer key, the first time an
// import stores a row of theirs, and keeps it: a newer snapshot, a dry run,
// a rejected row and an undo change no key; the same personnel number at
// another employer is another employee with its own key.
func TestEmployeeKeysAreHandedOutOnceAndKept(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	klant, err := s.AddEmployer(ctx, "Klant")
	if err != nil {
		t.Fatal(err)
	}
	keys := func() map[string]int64 {
		t.Helper()
		rows, err := s.DB.Query(`SELECT e.name || ' ' || k.pseudonym, k.employee_key FROM employees k JOIN employers e USING (employer_id)`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]int64{}
		for rows.Next() {
			var name string
			var key int64
			if err := rows.Scan(&name, &key); err != nil {
				t.Fatal(err)
			}
			if _, twice := out[name]; twice {
				t.Errorf("%s has two keys", name)
			}
			out[name] = key
		}
		return out
	}
	name := func(employer string, numbers ...string) []string {
		var out []string
		for _, n := range numbers {
			p := s.Pseudonym(n)
			if employer != "default" {
				p, _ = s.EmployerPseudonym(ctx, klant.ID, n)
			}
			out = append(out, employer+" "+p)
		}
		return out
	}
	imp := func(file, employer string, dryRun bool) *ingest.Result {
		t.Helper()
		res, err := s.ImportFile(ctx, writeFile(t, "employments.csv", file), ingest.ImportOptions{Employer: employer, DryRun: dryRun})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	imp(keysEmployments+"A,2020-01-01,,Zorg,36,36\nB,2020-01-01,,Zorg,36,36\n", "", false)
	first := keys()
	if len(first) != 2 || first[name("default", "A")[0]] == first[name("default", "B")[0]] {
		t.Fatalf("keys after the first import: %v, want two different ones for A and B", first)
	}

	// A dry run, and a row rejected for its start date, hand out nothing.
	imp(keysEmployments+"A,2020-01-01,,Zorg,36,36\nB,2020-01-01,,Zorg,36,36\nC,2020-01-01,,Zorg,36,36\n", "", true)
	imp(keysEmployments+"A,2020-01-01,,Zorg,36,36\nB,2020-01-01,,Zorg,36,36\nD,not a date,,Zorg,36,36\n", "", false)
	if d := cmp.Diff(first, keys()); d != "" {
		t.Errorf("a dry run or a rejected row changed the keys (-before +after):\n%s", d)
	}

	// A newer snapshot with a new employee: A and B keep their keys.
	newer := imp(keysEmployments+"A,2020-01-01,,Zorg,36,36\nB,2020-01-01,2024-12-31,Zorg,36,36\nC,2024-01-01,,Zorg,36,36\n", "", false)
	after := keys()
	c := name("default", "C")[0]
	if after[c] == 0 || after[c] == first[name("default", "A")[0]] || after[c] == first[name("default", "B")[0]] {
		t.Errorf("C's key %d, want a new one beside %v", after[c], first)
	}
	delete(after, c)
	if d := cmp.Diff(first, after); d != "" {
		t.Errorf("a newer snapshot changed the keys (-before +after):\n%s", d)
	}

	// The same personnel numbers at another employer are other employees.
	imp(keysEmployments+"A,2020-01-01,,Zorg,36,36\n", "Klant", false)
	withKlant := keys()
	ka := name("Klant", "A")[0]
	if withKlant[ka] == 0 || withKlant[ka] == first[name("default", "A")[0]] || withKlant[ka] == withKlant[c] {
		t.Errorf("Klant's A has key %d, want its own beside %v", withKlant[ka], withKlant)
	}

	// An undo puts the replaced rows back under the keys they had.
	if _, err := s.Undo(ctx, newer.ImportID, storage.UndoOptions{By: "test"}); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(withKlant, keys()); d != "" {
		t.Errorf("the undo changed the keys (-before +after):\n%s", d)
	}
	var orphans int64
	err = s.DB.QueryRow(`SELECT count(*) FROM employments m ANTI JOIN employees k USING (employer_id, employee_key)`).Scan(&orphans)
	if err != nil || orphans != 0 {
		t.Errorf("%d employment records name no employee of their employer (%v)", orphans, err)
	}
}
