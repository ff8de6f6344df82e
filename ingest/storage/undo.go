package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// UndoOptions control one undo.
type UndoOptions struct {
	// DryRun checks and counts what the undo would do, but changes nothing.
	DryRun bool
	// By says who asked, e.g. "cli:alice" or "web:admin"; it is logged.
	By string
	// Employer, when not 0, is the only employer whose imports the undo
	// may touch (an employer's admin): the imports of a file that also
	// held another employer's rows, which undo together, are refused.
	Employer int64
}

// UndoResult says what undoing an import did, or for a dry run would do.
type UndoResult struct {
	Import ImportRecord `json:"import"` // as it was before the undo
	Units  string       `json:"units"`  // what the counts count, e.g. "absence cases"
	// Removed counts the units the import stored, which go again; Restored
	// those it replaced, which come back.
	Removed  int64 `json:"removed"`
	Restored int64 `json:"restored"`
	// Before and After count the units of the import's source now and
	// after the undo.
	Before int64 `json:"before"`
	After  int64 `json:"after"`
	// UndoID is the undo's row in the import history; 0 for a dry run.
	UndoID int64 `json:"undo_id,omitempty"`
	DryRun bool  `json:"dry_run"`
	// Together are the imports of the same file for its other employers
	// (a file whose rows name their employer), undone with this one.
	Together []UndoResult `json:"together,omitempty"`
}

// ErrNoSuchImport is wrapped when an undo names an import that is not in
// the history.
var ErrNoSuchImport = errors.New("no such import")

// ErrCannotUndo is wrapped when an import cannot be undone; the message says
// why and what to do instead.
var ErrCannotUndo = errors.New("this import cannot be undone")

func cannotUndo(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), ErrCannotUndo)
}

// Undo restores the data of an import's source exactly as it was before
// that import: what the import stored goes, what it replaced comes back
// (rows and cases keep the ids of the imports that stored them). It runs in
// one transaction, through the store's single writer, and is logged in the
// import history (kind 'undo'); the import gets status 'undone', so the same
// file can be imported again.
//
// Only the latest import of an employer's source can be undone: a later
// import of the same kind, employer and source was checked and built on top of it. The later ones
// must be undone first, newest first; the error names them. An undo never
// brings back what the retention rule removed: a purge removes what imports
// replaced of the employees it purges, so no undo can restore it, and an
// import older than the retention period cannot be undone.
func (s *Store) Undo(ctx context.Context, id int64, opt UndoOptions) (UndoResult, error) {
	if err := s.writable(); err != nil {
		return UndoResult{}, err
	}
	if !opt.DryRun {
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
	}
	res, table, err := s.undoable(ctx, id)
	if err != nil {
		return res, err
	}
	together, err := s.sameFile(ctx, res.Import, opt.Employer)
	if err != nil {
		return res, err
	}
	for _, other := range together {
		r, _, err := s.undoable(ctx, other)
		if err != nil {
			return res, fmt.Errorf("import %d came from the same file as import %d, and is undone with it: %w", other, id, err)
		}
		res.Together = append(res.Together, r)
	}

	conn, err := s.db.Conn(ctx)
	if err != nil {
		return res, fmt.Errorf("undo import %d: %w", id, err)
	}
	defer conn.Close()
	started := time.Now()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("undo import %d: %w", id, err)
	}
	defer tx.Rollback() // a no-op after Commit; a dry run ends here
	all := []*UndoResult{&res}
	for i := range res.Together {
		all = append(all, &res.Together[i])
	}
	for _, r := range all {
		r.DryRun = opt.DryRun
		if err := countUndo(ctx, tx, r, table); err != nil {
			return res, err
		}
	}
	if opt.DryRun {
		return res, nil
	}
	for _, r := range all {
		if err := logUndo(ctx, tx, r, started, opt.By); err != nil {
			return res, err
		}
	}
	if err := tx.Commit(); err != nil {
		for _, r := range all {
			r.UndoID = 0
		}
		return res, fmt.Errorf("undo import %d: %w (nothing was changed)", id, err)
	}
	s.committed() // cached figures must show the restored data
	return res, nil
}

// undoable reads import id from the history and checks that it can be
// undone, returning its table.
func (s *Store) undoable(ctx context.Context, id int64) (UndoResult, string, error) {
	var res UndoResult
	rec, err := scanImport(s.db.QueryRowContext(ctx, `SELECT `+importColumns+` FROM imports i WHERE i.import_id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return res, "", fmt.Errorf("there is no import %d in the history ('absence imports list' shows them): %w", id, ErrNoSuchImport)
	}
	if err != nil {
		return res, "", fmt.Errorf("undo import %d: read the import history: %w", id, err)
	}
	res.Import = rec
	table, isData := tableOf[rec.Kind]
	switch {
	case rec.Kind == "purge":
		return res, "", cannotUndo("import %d is a retention purge; purged data may not come back", id)
	case rec.Kind == "undo":
		return res, "", cannotUndo("import %d is itself an undo; to have that data back, import its file again", id)
	case !isData:
		return res, "", cannotUndo("import %d (%s) did not import data", id, rec.Kind)
	case rec.Status == "failed":
		return res, "", cannotUndo("import %d failed, so it stored nothing", id)
	case rec.Status == "undone":
		return res, "", cannotUndo("import %d was already undone: %s", id, rec.Message)
	}
	res.Units = Units(rec.Kind)
	return res, table, s.checkUndo(ctx, rec, table)
}

// sameFile lists the other imports of the file import rec came from, when
// its rows named their employers (storage.Entry.FileImport). With only
// set, imports of another employer refuse the undo.
func (s *Store) sameFile(ctx context.Context, rec ImportRecord, only int64) ([]int64, error) {
	ids, err := s.importIDs(ctx, `WITH f AS (SELECT coalesce(file_import, import_id) AS first FROM imports WHERE import_id = $1)
		SELECT import_id FROM imports i, f
		WHERE (i.import_id = f.first OR i.file_import = f.first) AND i.import_id <> $1 AND i.status = 'committed' ORDER BY import_id`, rec.ID)
	if err != nil {
		return nil, fmt.Errorf("undo import %d: read the import history: %w", rec.ID, err)
	}
	if only != 0 && len(ids) > 0 {
		// Named to none but an installation admin: another employer's name.
		return nil, cannotUndo("import %d came from a file that also held other employers' rows, which are undone together; only an installation admin can undo it", rec.ID)
	}
	return ids, nil
}

// countUndo counts what undoing the import changes, in tx.
func countUndo(ctx context.Context, tx *sql.Tx, res *UndoResult, table string) error {
	rec := res.Import
	err := tx.QueryRowContext(ctx, fmt.Sprintf(`SELECT
			(SELECT count(*) FROM %[1]s WHERE import_id = $1),
			(SELECT count(*) FROM replaced_%[1]s WHERE replaced_by_import = $1),
			(SELECT count(*) FROM %[1]s WHERE source = $2 AND employer_id = $3),
			(SELECT count(*) FROM %[1]s WHERE source = $2 AND employer_id = $3 AND import_id <> $1)
				+ (SELECT count(*) FROM replaced_%[1]s WHERE source = $2 AND employer_id = $3 AND replaced_by_import = $1)`, table), rec.ID, rec.Source, rec.EmployerID).
		Scan(&res.Removed, &res.Restored, &res.Before, &res.After)
	if err != nil {
		return fmt.Errorf("undo import %d: count what it changed: %w", rec.ID, err)
	}
	return nil
}

// logUndo undoes the import in tx and logs the undo in the import history
// (with who asked); nothing is changed unless the caller commits.
func logUndo(ctx context.Context, tx *sql.Tx, res *UndoResult, started time.Time, by string) error {
	rec, id := res.Import, res.Import.ID
	table := tableOf[rec.Kind]
	for _, q := range undoWrites(table) {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return fmt.Errorf("undo import %d: %w (nothing was changed)", id, err)
		}
	}
	if by == "" {
		by = "unknown"
	}
	summary := fmt.Sprintf("undid import %d (%s): removed the %d %s it stored, restored the %d it replaced; requested by %s",
		id, rec.File, res.Removed, res.Units, res.Restored, by)
	err := tx.QueryRowContext(ctx, `INSERT INTO imports (file_name, content_sha256, profile, kind, source, mode, extract_date, started_at, finished_at,
			rows_read, rows_accepted, rows_rejected, rows_duplicate, status, message, employer_id)
		VALUES (?, ?, ?, 'undo', ?, '', current_date, ?, now(), 0, 0, 0, 0, 'committed', ?, ?) RETURNING import_id`,
		fmt.Sprintf("undo of import %d", id), fmt.Sprintf("undo-%d-%s", id, started.UTC().Format(time.RFC3339Nano)),
		rec.Profile, rec.Source, started, summary, rec.EmployerID).Scan(&res.UndoID)
	if err != nil {
		return fmt.Errorf("undo import %d: write the import history: %w (nothing was changed)", id, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO undos VALUES (?, ?, ?)`, res.UndoID, id, by); err != nil {
		return fmt.Errorf("undo import %d: write the import history: %w (nothing was changed)", id, err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE imports SET status = 'undone', message = ? WHERE import_id = ?`,
		fmt.Sprintf("undone on %s by %s (import %d)", started.Format("2006-01-02 15:04"), by, res.UndoID), id)
	if err != nil {
		return fmt.Errorf("undo import %d: write the import history: %w (nothing was changed)", id, err)
	}
	return nil
}

// checkUndo refuses an undo that cannot restore the source exactly.
func (s *Store) checkUndo(ctx context.Context, rec ImportRecord, table string) error {
	var cutoff sql.NullTime
	if err := s.db.QueryRowContext(ctx, `SELECT max(p.cutoff) FROM purges p JOIN imports i USING (import_id) WHERE `+purgeOf("i", "?"), rec.EmployerID).Scan(&cutoff); err != nil {
		return fmt.Errorf("undo import %d: read the purge log: %w", rec.ID, err)
	}
	if cutoff.Valid && rec.FinishedAt.Before(cutoff.Time) {
		return cannotUndo("import %d of %s is older than the retention period (cutoff %s): what it replaced has been removed by the retention rule",
			rec.ID, rec.FinishedAt.Format(time.DateOnly), cutoff.Time.Format(time.DateOnly))
	}
	// Later imports of the employer's source, and imports that replaced rows this one
	// stored (an increment from another source may), were built on it.
	later, err := s.importIDs(ctx, fmt.Sprintf(`SELECT import_id FROM imports
		WHERE import_id > $1 AND status = 'committed' AND kind = $2 AND source = $3 AND employer_id = $4
		UNION SELECT replaced_by_import FROM replaced_%s WHERE import_id = $1
		ORDER BY 1 DESC`, table), rec.ID, rec.Kind, rec.Source, rec.EmployerID)
	if err != nil {
		return fmt.Errorf("undo import %d: %w", rec.ID, err)
	}
	if len(later) > 0 {
		return cannotUndo("import %d is not the latest of %s: undo the later imports first, newest first: %s", rec.ID, rec.SourceWords(), joinIDs(later))
	}
	if table != "absence_cases" {
		return nil
	}
	// The cases it replaced must not overlap cases stored since by another
	// source's import.
	overlapping, err := s.importIDs(ctx, `SELECT DISTINCT o.import_id FROM replaced_absence_cases r JOIN absence_cases o
			ON o.employee_key = r.employee_key AND o.import_id <> $1
			AND o.first_sick_day < coalesce(r.recovery_date, 'infinity'::DATE) AND r.first_sick_day < coalesce(o.recovery_date, 'infinity'::DATE)
		WHERE r.replaced_by_import = $1 ORDER BY 1 DESC`, rec.ID)
	if err != nil {
		return fmt.Errorf("undo import %d: %w", rec.ID, err)
	}
	if len(overlapping) > 0 {
		return cannotUndo("the absence cases import %d replaced would overlap cases stored since by import %s: undo those first, newest first", rec.ID, joinIDs(overlapping))
	}
	return nil
}

func (s *Store) importIDs(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return strings.Join(s, ", ")
}

// undoWrites remove what import $1 stored and put back what it replaced.
func undoWrites(table string) []string {
	var w []string
	if table == "absence_cases" {
		w = append(w, `DELETE FROM case_segments s WHERE EXISTS (SELECT 1 FROM absence_cases c
			WHERE c.import_id = $1 AND c.employee_key = s.employee_key AND c.first_sick_day = s.first_sick_day)`)
	}
	w = append(w,
		`DELETE FROM `+table+` WHERE import_id = $1`,
		`INSERT INTO `+table+` BY NAME SELECT * EXCLUDE (replaced_by_import) FROM replaced_`+table+` WHERE replaced_by_import = $1`,
		`DELETE FROM replaced_`+table+` WHERE replaced_by_import = $1`)
	if table == "absence_cases" {
		w = append(w,
			`INSERT INTO case_segments BY NAME SELECT * EXCLUDE (replaced_by_import) FROM replaced_case_segments WHERE replaced_by_import = $1`,
			`DELETE FROM replaced_case_segments WHERE replaced_by_import = $1`)
	}
	return w
}
