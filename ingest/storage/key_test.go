package storage_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/verzuim/absence/ingest/storage"
)

// The SQL function pseudonym(salt, id) the import uses computes the
// database's keyed HMAC exactly, with and without an employer's salt, for
// single values and for every row of chunks run in parallel.
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
			if want := hmacPseudonym(s.Key(), salt, id); got != want || storage.SaltedPseudonym(s.Key(), salt, id) != want || len(got) != storage.PseudonymLength {
				t.Errorf("pseudonym(%q, %q): SQL %s, Go %s, HMAC %s", salt, id, got, storage.SaltedPseudonym(s.Key(), salt, id), want)
			}
		}
	}
	var null *string
	if err := sess.Conn().QueryRowContext(context.Background(), `SELECT pseudonym('', NULL)`).Scan(&null); err != nil || null != nil {
		t.Errorf("pseudonym('', NULL) = %v, %v; want NULL", null, err)
	}
	rows, err := sess.Conn().QueryContext(context.Background(), `SELECT salt, id, pseudonym(salt, id) FROM (
		SELECT CASE WHEN i % 3 = 0 THEN 'salt' || (i % 7) ELSE '' END AS salt, 'E' || i || repeat('x', i % 90) AS id FROM range(20000) r(i))`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var salt, id, got string
		if err := rows.Scan(&salt, &id, &got); err != nil {
			t.Fatal(err)
		}
		if want := hmacPseudonym(s.Key(), salt, id); got != want {
			t.Fatalf("row %d pseudonym(%q, %q): SQL %s, HMAC %s", n, salt, id, got, want)
		}
		n++
	}
	if err := rows.Err(); err != nil || n != 20000 {
		t.Fatalf("%d rows, %v", n, err)
	}
	if s.Pseudonym("E001") != storage.SaltedPseudonym(s.Key(), "", "E001") {
		t.Error("the default employer's pseudonym is not the HMAC of the personnel number alone")
	}
	if s.Pseudonym("E001") == storage.Pseudonym([]byte("another key of sixteen+"), "E001") {
		t.Error("the pseudonym does not depend on the key")
	}
}

// hmacPseudonym is the pseudonym by its definition, written out apart from
// the store's code: the hex HMAC-SHA256 of salt, unit separator and number
// (of the number alone without a salt), cut to 20 characters.
func hmacPseudonym(key []byte, salt, id string) string {
	m := hmac.New(sha256.New, key)
	if salt != "" {
		m.Write([]byte(salt + "\x1f"))
	}
	m.Write([]byte(id))
	return hex.EncodeToString(m.Sum(nil))[:20]
}

// A pseudonym stored by an earlier release, pinned: stored pseudonyms
// must never change.
func TestPseudonymIsPinned(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	for _, c := range []struct{ salt, id, want string }{
		{"", "E001", "4fab9354b01edef8efa7"},
		{"0123456789abcdef0123456789abcdef", "100042", "b4d7c84eeacd6615b6d3"},
	} {
		if got := storage.SaltedPseudonym(key, c.salt, c.id); got != c.want {
			t.Errorf("SaltedPseudonym(%q, %q) = %s, want %s", c.salt, c.id, got, c.want)
		}
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

// BenchmarkPseudonymFunction pseudonymises a million distinct personnel
// numbers in SQL, as an import of a million employees does:
//
//	go test -run '^$' -bench PseudonymFunction -benchtime 3x ./ingest/storage/
func BenchmarkPseudonymFunction(b *testing.B) {
	s := openTestStore(b)
	sess, err := s.Session(context.Background(), false)
	if err != nil {
		b.Fatal(err)
	}
	defer sess.Close()
	ctx := context.Background()
	if _, err := sess.Conn().ExecContext(ctx, `CREATE TEMP TABLE ids AS SELECT (10000000 + i)::VARCHAR AS id FROM range(1000000) r(i)`); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := sess.Conn().ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE p AS SELECT id, pseudonym('', id) AS pseudonym FROM ids`); err != nil {
			b.Fatal(err)
		}
	}
}
