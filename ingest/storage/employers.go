package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Employers. Every row an import writes belongs to an employer (a client
// organisation of a provider, or the organisation itself), by its integer
// id in employer_id; the import history names the employer of each import.
// The default employer (DefaultEmployerID, named DefaultEmployer) exists in
// every database, holds everything imported before employers existed, and
// receives every import that names none: an organisation that installs the
// product for itself never names an employer.
//
// Pseudonyms are keyed per employer: the same personnel number at two
// employers is two people. The HMAC input is the employer's salt, a
// separator and the personnel number; the default employer's salt is
// empty, so its pseudonyms are exactly those of before.

// DefaultEmployerID is the id of the default employer (migration 7).
const DefaultEmployerID int64 = 1

// DefaultEmployer is the default employer's name.
const DefaultEmployer = "default"

// Employer is one employer of the installation.
type Employer struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// EmployerSummary is an employer with what is stored of it, for a listing.
type EmployerSummary struct {
	Employer
	Employees int64 `json:"employees"` // distinct employees with an employment
	Cases     int64 `json:"absence_cases"`
	// LastImport is when its latest committed import finished, and
	// ExtractDate the latest extract date of its absence imports; zero
	// when there is none.
	LastImport  time.Time `json:"last_import,omitzero"`
	ExtractDate time.Time `json:"extract_date,omitzero"`
}

// ErrUnknownEmployer is wrapped when a name names no employer.
var ErrUnknownEmployer = errors.New("no such employer")

// ErrEmployerExists is wrapped when an employer of that name exists.
var ErrEmployerExists = errors.New("an employer of that name exists")

// AddEmployer adds an employer with a fresh pseudonym salt. Names are
// compared as a person reads them: case and surrounding spaces do not make
// another employer.
func (s *Store) AddEmployer(ctx context.Context, name string) (Employer, error) {
	name = strings.TrimSpace(name)
	if err := checkEmployerName(name); err != nil {
		return Employer{}, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if e, err := employerByName(ctx, s.db, name); err == nil {
		return Employer{}, fmt.Errorf("employer %q: %w (id %d)", e.Name, ErrEmployerExists, e.ID)
	} else if !errors.Is(err, ErrUnknownEmployer) {
		return Employer{}, err
	}
	salt := make([]byte, 16)
	rand.Read(salt)
	e := Employer{Name: name}
	err := s.db.QueryRowContext(ctx, `INSERT INTO employers (name, pseudonym_salt, created_at) VALUES (?, ?, now()) RETURNING employer_id, created_at`,
		name, hex.EncodeToString(salt)).Scan(&e.ID, &e.CreatedAt)
	if err != nil {
		return Employer{}, fmt.Errorf("add employer %q: %w", name, err)
	}
	s.commits.Add(1)
	return e, nil
}

func checkEmployerName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("an employer needs a name")
	case len(name) > 200:
		return fmt.Errorf("an employer's name may have at most 200 characters")
	case strings.ContainsAny(name, "/\\\x00\n\r\t"):
		// The inbox has a folder per employer, named as the employer.
		return fmt.Errorf("employer %q: a name may not hold a slash, backslash, tab or line break", name)
	}
	return nil
}

// EmployerByName finds an employer by its name (case and surrounding
// spaces ignored). An unknown name wraps ErrUnknownEmployer, and the
// message suggests the nearest name, if one is near.
func (r *Reader) EmployerByName(ctx context.Context, name string) (Employer, error) {
	return employerByName(ctx, r.db, name)
}

// EmployerIDs resolves names to ids, in the order given.
func (r *Reader) EmployerIDs(ctx context.Context, names []string) ([]int64, error) {
	ids := make([]int64, len(names))
	for i, n := range names {
		e, err := r.EmployerByName(ctx, n)
		if err != nil {
			return nil, err
		}
		ids[i] = e.ID
	}
	return ids, nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func employerByName(ctx context.Context, q querier, name string) (Employer, error) {
	name = strings.TrimSpace(name)
	var e Employer
	err := q.QueryRowContext(ctx, `SELECT employer_id, name, created_at FROM employers WHERE lower(name) = lower(?)`, name).Scan(&e.ID, &e.Name, &e.CreatedAt)
	if err == nil {
		return e, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("read employers: %w", err)
	}
	all, err := listEmployers(ctx, q)
	if err != nil {
		return e, err
	}
	hint := "'absence employers add NAME' adds one"
	if near := nearestName(name, all); near != "" {
		hint = fmt.Sprintf("did you mean %q? (%s)", near, hint)
	}
	return e, fmt.Errorf("employer %q: %w; %s", name, ErrUnknownEmployer, hint)
}

// Employers lists the employers by id.
func (r *Reader) Employers(ctx context.Context) ([]Employer, error) { return listEmployers(ctx, r.db) }

func listEmployers(ctx context.Context, q querier) ([]Employer, error) {
	rows, err := q.QueryContext(ctx, `SELECT employer_id, name, created_at FROM employers ORDER BY employer_id`)
	if err != nil {
		return nil, fmt.Errorf("read employers: %w", err)
	}
	defer rows.Close()
	var out []Employer
	for rows.Next() {
		var e Employer
		if err := rows.Scan(&e.ID, &e.Name, &e.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// EmployerSummaries lists the employers with the given ids (none: every
// employer) with their employees, cases and latest import. Each count
// reads only the rows of those employers, so one employer's summary costs
// the same however many employers the installation holds.
func (r *Reader) EmployerSummaries(ctx context.Context, ids ...int64) ([]EmployerSummary, error) {
	in, args := "true", make([]any, len(ids))
	if len(ids) > 0 {
		marks := make([]string, len(ids))
		for i, id := range ids {
			marks[i], args[i] = fmt.Sprintf("$%d", i+1), id
		}
		in = "employer_id IN (" + strings.Join(marks, ", ") + ")"
	}
	rows, err := r.db.QueryContext(ctx, `SELECT e.employer_id, e.name, e.created_at,
			coalesce(m.employees, 0), coalesce(c.cases, 0), i.last_import, i.extract_date
		FROM (SELECT * FROM employers WHERE `+in+`) e
		LEFT JOIN (SELECT employer_id, count(DISTINCT employee_key) AS employees FROM employments WHERE `+in+` GROUP BY ALL) m USING (employer_id)
		LEFT JOIN (SELECT employer_id, count(*) AS cases FROM absence_cases WHERE `+in+` GROUP BY ALL) c USING (employer_id)
		LEFT JOIN (SELECT employer_id, max(finished_at) AS last_import, max(extract_date) FILTER (WHERE kind = 'absence') AS extract_date
			FROM imports WHERE `+in+` AND status = 'committed' AND kind IN ('absence', 'employment', 'intervention', 'milestone') GROUP BY ALL) i USING (employer_id)
		ORDER BY e.employer_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("read employers: %w", err)
	}
	defer rows.Close()
	var out []EmployerSummary
	for rows.Next() {
		var e EmployerSummary
		var last, extract sql.NullTime
		if err := rows.Scan(&e.ID, &e.Name, &e.CreatedAt, &e.Employees, &e.Cases, &last, &extract); err != nil {
			return nil, fmt.Errorf("read employers: %w", err)
		}
		e.LastImport, e.ExtractDate = last.Time, extract.Time
		out = append(out, e)
	}
	return out, rows.Err()
}

// nearestName is the employer's name closest to name (NearestName).
func nearestName(name string, all []Employer) string {
	names := make([]string, len(all))
	for i, e := range all {
		names[i] = e.Name
	}
	return NearestName(name, names)
}

// NearestName is the one of names closest to name by edit distance (case
// ignored), if it is close enough to be a typo: at most a third of its
// length.
func NearestName(name string, names []string) string {
	best, bestD := "", len(name)/3+1
	for _, n := range names {
		if d := editDistance(strings.ToLower(name), strings.ToLower(n)); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}
