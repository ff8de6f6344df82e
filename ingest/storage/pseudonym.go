package storage

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
)

// KeyEnv names the environment variable that can hold the pseudonymisation key
// (64 hex characters). Without it the key lives in a file beside the database.
const KeyEnv = "ABSENCE_PSEUDONYM_KEY"

// pseudonymLength is the number of hex characters kept of the HMAC: 80 bits,
// so collisions among millions of employees are vanishingly unlikely.
const pseudonymLength = 20

// KeyPath is the file beside the database that keeps the pseudonymisation key.
func KeyPath(dbPath string) string { return dbPath + ".key" }

// Pseudonym is the stored id for a personnel number of the default
// employer: a keyed HMAC-SHA256, so that nobody without the key can link it
// back, truncated to pseudonymLength.
func Pseudonym(key []byte, employeeID string) string { return SaltedPseudonym(key, "", employeeID) }

// SaltedPseudonym is the stored id for a personnel number of the employer
// with this pseudonym salt (employers.go): the HMAC of the salt, a unit
// separator and the number; of the number alone for the empty salt of the
// default employer, so its pseudonyms stay those of before employers.
func SaltedPseudonym(key []byte, salt, employeeID string) string {
	m := hmac.New(sha256.New, key)
	if salt != "" {
		m.Write([]byte(salt + "\x1f"))
	}
	m.Write([]byte(employeeID))
	return hex.EncodeToString(m.Sum(nil))[:pseudonymLength]
}

// Pseudonym pseudonymises a personnel number of the default employer with
// this database's key.
func (s *Store) Pseudonym(employeeID string) string { return Pseudonym(s.key, employeeID) }

// EmployerPseudonym pseudonymises a personnel number of an employer.
func (s *Store) EmployerPseudonym(ctx context.Context, employerID int64, employeeID string) (string, error) {
	var salt string
	if err := s.db.QueryRowContext(ctx, `SELECT pseudonym_salt FROM employers WHERE employer_id = ?`, employerID).Scan(&salt); err != nil {
		return "", fmt.Errorf("employer %d: %w", employerID, err)
	}
	return SaltedPseudonym(s.key, salt, employeeID), nil
}

// pseudonymMacro defines, on one connection, a SQL macro pseudonym(salt, id)
// that computes exactly SaltedPseudonym(key, salt, id), so millions of ids
// are pseudonymised inside DuckDB.
// HMAC(K, m) = H((K^opad) || H((K^ipad) || m)) for a 64-byte block.
func pseudonymMacro(key []byte) string {
	var ipad, opad [64]byte
	copy(ipad[:], key)
	copy(opad[:], key)
	for i := range ipad {
		ipad[i] ^= 0x36
		opad[i] ^= 0x5c
	}
	return fmt.Sprintf(`CREATE OR REPLACE TEMP MACRO pseudonym(salt, id) AS
		substr(sha256(unhex('%s') || unhex(sha256(unhex('%s') || encode(CASE WHEN salt = '' THEN id ELSE salt || chr(31) || id END)))), 1, %d)`,
		hex.EncodeToString(opad[:]), hex.EncodeToString(ipad[:]), pseudonymLength)
}

// loadKey finds the key (option, environment, or the key file; generated on
// first use) and checks it is the key this database was filled with: a wrong
// key would silently split every employee in two.
func loadKey(ctx context.Context, db *sql.DB, dbPath string, given []byte) ([]byte, error) {
	var stored string
	err := db.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = 'pseudonym_key_check'`).Scan(&stored)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("read key fingerprint: %w", err)
	}
	key, fromFile, err := readKey(dbPath, given)
	if err != nil {
		return nil, err
	}
	if key == nil {
		if stored != "" {
			return nil, fmt.Errorf("the pseudonymisation key file %s is missing, but this database was filled with a key: restore the file or set $%s", KeyPath(dbPath), KeyEnv)
		}
		key = make([]byte, 32)
		rand.Read(key)
		if dbPath != "" {
			if err := os.WriteFile(KeyPath(dbPath), []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
				return nil, fmt.Errorf("write key file: %w", err)
			}
		}
	}
	if len(key) > 64 {
		return nil, fmt.Errorf("pseudonymisation key: %d bytes is longer than 64", len(key))
	}
	check := Pseudonym(key, "absence key check")
	switch {
	case stored == "":
		if _, err := db.ExecContext(ctx, `INSERT INTO settings VALUES ('pseudonym_key_check', ?)`, check); err != nil {
			return nil, fmt.Errorf("store key fingerprint: %w", err)
		}
	case stored != check:
		where := "$" + KeyEnv
		if fromFile {
			where = KeyPath(dbPath)
		}
		return nil, fmt.Errorf("the pseudonymisation key in %s is not the key this database was filled with; restore the original key", where)
	}
	return key, nil
}

// readKey returns the configured key, or nil when none exists yet.
func readKey(dbPath string, given []byte) (key []byte, fromFile bool, err error) {
	if len(given) > 0 {
		return given, false, nil
	}
	if env := strings.TrimSpace(os.Getenv(KeyEnv)); env != "" {
		key, err := hex.DecodeString(env)
		if err != nil || len(key) < 16 {
			return nil, false, fmt.Errorf("$%s must be at least 32 hex characters", KeyEnv)
		}
		return key, false, nil
	}
	if dbPath == "" {
		return nil, false, nil
	}
	path := KeyPath(dbPath)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read key file: %w", err)
	}
	key, err = hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(key) < 16 {
		return nil, false, fmt.Errorf("key file %s is damaged: expected at least 32 hex characters", path)
	}
	return key, true, nil
}
