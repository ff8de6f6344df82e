package ingest

import (
	"errors"
	"fmt"
	"testing"
)

// TestRefusalSaysItOnce: a refused file's message is a sentence an HR
// person reads; it used to end in the words of the error it matches (": no
// valid rows" after "nothing was imported").
func TestRefusalSaysItOnce(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	for _, tc := range []struct {
		name, content string
		opt           ImportOptions
		want          string
		is            error
	}{
		{"header only", nativePeriods, ImportOptions{}, "%s has a header but no rows: nothing to import", ErrNoValidRows},
		{"no valid row", nativePeriods + "E001,A,2024-13-01,,100\n", ImportOptions{}, "%s: none of the 1 rows is valid, so nothing was imported", ErrNoValidRows},
		{"strict", nativePeriods + "E001,A,2024-01-01,2024-01-05,100\nE001,B,2024-13-01,,100\n", ImportOptions{Strict: true}, "%s: 1 of 2 rows rejected; --strict imports nothing", ErrRejectedRows},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, "periods.csv", tc.content)
			tc.opt.ExtractDate = extract2024
			_, err := s.ImportFile(t.Context(), path, tc.opt)
			if err == nil {
				t.Fatal("imported")
			}
			if want := fmt.Sprintf(tc.want, path); err.Error() != want {
				t.Errorf("message\n got %q\nwant %q", err, want)
			}
			if !errors.Is(err, tc.is) || !IsBadFile(err) {
				t.Errorf("%v: errors.Is(%v) = %v, IsBadFile = %v", err, tc.is, errors.Is(err, tc.is), IsBadFile(err))
			}
		})
	}
}
