package storage_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/verzuim/absence/ingest/storage"
)

// The pseudonym macro a session offers the import computes the database's
// keyed HMAC exactly, with and without an employer's salt.
func TestPseudonymInSQLMatchesGoHMAC(t *testing.T) {
	s := openTestStore(t)
	sess, err := s.Session(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	for _, salt := range []string{"", "0123456789abcdef0123456789abcdef"} {
		for _, id := range []string{"E001", "100042", "ë–’ unicode", ""} {
			var got string
			if err := sess.Conn().QueryRowContext(context.Background(), `SELECT pseudonym(?, ?)`, salt, id).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if want := storage.SaltedPseudonym(s.Key(), salt, id); got != want || len(got) != storage.PseudonymLength {
				t.Errorf("pseudonym(%q, %q): SQL %s, Go %s", salt, id, got, want)
			}
		}
	}
	if s.Pseudonym("E001") != storage.SaltedPseudonym(s.Key(), "", "E001") {
		t.Error("the default employer's pseudonym is not the HMAC of the personnel number alone")
	}
	if s.Pseudonym("E001") == storage.Pseudonym([]byte("another key of sixteen+"), "E001") {
		t.Error("the pseudonym does not depend on the key")
	}
}

func TestKeyFileIsPrivateAndMustMatchTheDatabase(t *testing.T) {
	dir := t.TempDir()
	db := dir + "/k.duckdb"
	s := openStore(t, db, storage.Options{})
	first := s.Pseudonym("E001")
	s.Close()
	info, err := os.Stat(storage.KeyPath(db))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v mode %v", err, info.Mode())
	}
	s = openStore(t, db, storage.Options{})
	if s.Pseudonym("E001") != first {
		t.Error("pseudonym changed between opens")
	}
	s.Close()
	if _, err := storage.Open(context.Background(), db, storage.Options{PseudonymKey: []byte("0123456789abcdef")}); err == nil || !strings.Contains(err.Error(), "not the key this database was filled with") {
		t.Errorf("wrong key: err = %v", err)
	}
	os.Remove(storage.KeyPath(db))
	if _, err := storage.Open(context.Background(), db, storage.Options{}); err == nil || !strings.Contains(err.Error(), "key file") {
		t.Errorf("missing key file: err = %v", err)
	}
}
