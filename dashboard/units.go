package dashboard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/ingest/storage"
)

// The departments of each employer, for checking the departments given to
// a manager's account ('absence user add'). That command reads them from
// the database; while the dashboard runs it cannot (DuckDB allows one
// process per file), so the server writes them beside the database
// whenever it reads a new state of the data, and the command reads that.
// It reads again only the departments of the employers whose data changed
// since it last wrote the file.

// UnitsPath is the file beside the database with its departments.
func UnitsPath(dbPath string) string { return dbPath + ".units.json" }

// Units are the departments per employer name, of the three years up to
// each employer's latest extract date; an employer without absence data
// yet has none.
type Units map[string][]string

// ReadUnits computes the units of the employers with the given ids (none:
// every employer in the database): one query per extract date over the
// employers that share it, never one per employer (a provider has
// thousands).
func ReadUnits(ctx context.Context, r *storage.Reader, ids ...int64) (Units, error) {
	employers, err := r.EmployerSummaries(ctx, ids...)
	if err != nil {
		return nil, err
	}
	out := Units{}
	byExtract := map[time.Time][]int64{}
	name := map[int64]string{}
	for _, e := range employers {
		out[e.Name], name[e.ID] = nil, e.Name
		if !e.ExtractDate.IsZero() {
			byExtract[e.ExtractDate] = append(byExtract[e.ExtractDate], e.ID)
		}
	}
	for extract, ids := range byExtract {
		values, err := analytics.ValuesByEmployer(ctx, r, unitsFilter(extract, ids...), analytics.ByDepartment)
		if err != nil {
			return nil, fmt.Errorf("the departments of the employers with extract date %s: %w", extract.Format(time.DateOnly), err)
		}
		for id, list := range values {
			out[name[id]] = list
		}
	}
	return out, nil
}

// unitsFilter is the three years up to extract, of the employers.
func unitsFilter(extract time.Time, employers ...int64) analytics.Filter {
	return analytics.Filter{From: extract.AddDate(-3, 0, 0), To: extract, Employers: employers}
}

// EmployerDepartments are an employer's departments of the three years up
// to its latest extract date (none without absence data).
func EmployerDepartments(ctx context.Context, r analytics.Querier, employer int64) ([]string, error) {
	extract, err := analytics.LatestExtractDate(ctx, r, employer)
	if err != nil || extract.IsZero() {
		return nil, err
	}
	return analytics.Values(ctx, r, unitsFilter(extract, employer), analytics.ByDepartment)
}

// WriteUnits saves units beside the database (replacing the file whole).
func WriteUnits(dbPath string, u Units) error {
	data, err := json.MarshalIndent(u, "", "  ")
	if err != nil {
		return err
	}
	tmp := UnitsPath(dbPath) + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return fmt.Errorf("write departments file: %w", err)
	}
	return os.Rename(tmp, UnitsPath(dbPath))
}

// LoadUnits reads the file the server wrote; ok is false when there is none.
func LoadUnits(dbPath string) (u Units, ok bool, err error) {
	data, err := os.ReadFile(UnitsPath(dbPath))
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if err := json.Unmarshal(data, &u); err != nil {
		return nil, false, fmt.Errorf("departments file %s is damaged: %w", UnitsPath(dbPath), err)
	}
	return u, true, nil
}

// unitsFile is what the server last wrote to the departments file, with
// the data version of each employer it was read at.
type unitsFile struct {
	mu       sync.Mutex
	units    Units
	versions map[int64]int64
	read     []string // the employers the last write read again
}

// lastRead names the employers whose departments the last write read.
func (f *unitsFile) lastRead() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.read)
}

// upkeepWait bounds how long the departments file waits for the figures
// being computed (prioIdle); then it waits for a slot as the warming does.
const upkeepWait = 10 * time.Second

// writeUnits writes the units file for state st of the data, reading again
// only the employers whose data changed since the last write; a failure
// only costs the command its check, so it is logged. It waits until the
// figures being computed, or the first after the server started, are done.
func (s *Server) writeUnits(st dataState) {
	if s.store.Path == "" || s.accounts.readOnly {
		return
	}
	update := func() error { return s.updateUnits(st) }
	idle, cancel := context.WithTimeout(s.base, upkeepWait)
	defer cancel()
	err := s.slots.run(idle, "units", prioIdle, update)
	if errors.Is(err, context.DeadlineExceeded) && s.base.Err() == nil {
		err = s.slots.run(s.base, "units", prioBackground, update)
	}
	if err != nil && s.base.Err() == nil { // not when the server is closing
		slog.Error("departments for 'absence user add' not written; it cannot check them while the server runs", "error", err)
	}
}

func (s *Server) updateUnits(st dataState) error {
	f := &s.units
	f.mu.Lock()
	defer f.mu.Unlock()
	var changed []int64
	for id, v := range st.versions {
		if w, ok := f.versions[id]; !ok || v != w {
			changed = append(changed, id)
		}
	}
	switch {
	case f.units == nil || len(changed) == len(st.versions):
		changed = nil // every employer, without naming thousands
	case len(changed) == 0:
		return nil
	}
	ctx, cancel := context.WithTimeout(s.base, time.Minute)
	defer cancel()
	u, err := ReadUnits(ctx, s.store.Reader(), changed...)
	if err != nil {
		return err
	}
	next := maps.Clone(f.units)
	if next == nil {
		next = Units{}
	}
	maps.Copy(next, u)
	if err := WriteUnits(s.store.Path, next); err != nil {
		return err
	}
	f.units, f.versions, f.read = next, st.versions, slices.Sorted(maps.Keys(u))
	return nil
}
