package ingest

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/verzuim/absence/ingest/storage"
)

// A file holding several employers' rows — a provider's or payroll
// bureau's combined export — has a column the profile maps to employer.
// Each row belongs to the employer it names, an employer of the
// installation (case and surrounding spaces ignored); a row naming none,
// or another employer than the one the import is for (--employer), is
// rejected. The file is imported as one import per employer in it, each
// exactly as if that employer's rows came in a file of their own: its
// salt for the pseudonyms, its source for a snapshot (an employer absent
// from the file keeps its data), its duplicates, cases, employment checks,
// retention rule and shrink guard. The imports are written in one
// transaction, so the file lands whole or not at all; each after the first
// names the first (storage.Entry.FileImport), and an undo of one undoes
// them all. The rows no employer's import holds — rows the reader refused,
// rows of an unknown employer — are reported by the first.

// employerPart is the part of a file that belongs to one employer.
type employerPart struct {
	employer storage.Employer
	rows     int64 // rows of the file naming the employer
	first    bool  // reports the file's rows of no employer
}

// fileRejects reports whether the import reports the rows of the file that
// belong to no employer's part: all of them without parts.
func (p *employerPart) fileRejects() bool { return p == nil || p.first }

// rows are the rows the import parses: the file's, read as readCSV does,
// or the part's of employer_rows, which holds the file as read once, as
// text (employerParts). A part is parsed as text, its rows' __plain still
// sparing the trimming: were employer_rows read typed, the rows the reader
// cannot cast would be missing from it, and with them the employer they
// name, which counts them in their part or rejects them.
func (imp *fileImport) rows(typed map[string]string, rejects bool) string {
	if imp.part == nil {
		return imp.readCSV(typed, rejects)
	}
	return fmt.Sprintf("(SELECT * EXCLUDE (employer_name, employer_id) FROM employer_rows WHERE employer_id = %d)", imp.part.employer.ID)
}

// importByEmployer imports a file whose rows name their employer: one
// import per employer, committed together. res is the file's result: the
// sums of the employers' imports, each of which is in res.PerEmployer.
func (im *Importer) importByEmployer(ctx context.Context, src *Source, opt ImportOptions, cols map[string]int, res *Result, progress func(string)) error {
	only := storage.Employer{}
	if opt.Employer != "" {
		only = storage.Employer{ID: res.employerID, Name: res.Employer}
	}
	sess, err := im.store.Session(ctx, !opt.DryRun)
	if err != nil {
		return fmt.Errorf("%s: %w", src.Path, err)
	}
	defer sess.Close()
	file := &fileImport{conn: sess.Conn(), profile: src.Profile, src: src, limits: im.limits, cols: cols, res: res, progress: progress,
		employer: storage.Employer{ID: storage.DefaultEmployerID}}
	defer file.removeCopy(im.store.TempDir())
	defer file.dropTemps()
	defer sess.Rollback() // before the temp tables are dropped: a rollback would bring them back
	if err := im.prepare(ctx, file, opt.ExtractDate); err != nil {
		return err
	}
	if err := file.detectFormats(ctx); err != nil {
		return err
	}
	parts, rejects, err := file.employerParts(ctx, im.store.Reader(), only)
	if err != nil {
		return fmt.Errorf("%s: %w", src.Path, err)
	}
	if len(parts) == 0 {
		return file.noEmployer(ctx, rejects, only, opt.OnRejects)
	}
	if !opt.DryRun {
		if err := sess.Begin(ctx); err != nil {
			return fmt.Errorf("%s: %w", src.Path, err)
		}
	}
	started := time.Now()
	var first int64 // the first import written
	var employers []string
	for _, part := range parts {
		employer := part.employer
		if prevID, prevAt, seen, err := im.store.PreviousImport(ctx, employer.ID, src.SHA256); err != nil {
			return fmt.Errorf("%s: %w", src.Path, err)
		} else if seen {
			res.Notes = append(res.Notes, fmt.Sprintf("the rows of employer %q were already imported from this file on %s (import %d); they changed nothing", employer.Name, prevAt.Format("2006-01-02 15:04"), prevID))
			if res.ImportID == 0 {
				res.ImportID = prevID
			}
			continue
		}
		part.first = len(res.PerEmployer) == 0
		pres := &Result{File: src.Path, Profile: res.Profile, Kind: res.Kind, Detected: res.Detected, DryRun: opt.DryRun, employerID: employer.ID, Read: part.rows}
		if employer.ID != storage.DefaultEmployerID {
			pres.Employer = employer.Name
		}
		imp := &fileImport{conn: sess.Conn(), profile: src.Profile, src: src, limits: im.limits, cols: cols, res: pres, progress: progress,
			afterParse: im.afterParse, textOnly: im.textOnly, employer: employer, numbered: file.numbered, extract: file.extract, part: part,
			dateFormats: file.dateFormats, fraction: file.fraction}
		if part.first {
			imp.readRejects = append(slices.Clone(file.readRejects), rejects...)
			pres.Read += res.Read - sumRows(parts)
		}
		if err := im.retentionOf(ctx, imp); err != nil {
			return err
		}
		// Staged and written in turn in the one transaction: each part's
		// temp tables are gone before the next is staged.
		err := imp.stage(ctx, opt, im.maxShrink)
		if err == nil && !opt.DryRun {
			err = imp.write(ctx, sess, storage.Entry{EmployerID: employer.ID, FileImport: first, File: filepath.Base(src.Path), SHA256: src.SHA256,
				Profile: src.Profile.Name, Kind: string(src.Profile.Kind), Source: src.Profile.Source, Mode: src.Profile.Mode, ExtractDate: file.extract,
				StartedAt: started, Read: pres.Read, Accepted: pres.Accepted, Rejected: pres.Rejected, Duplicate: pres.Duplicate})
		}
		imp.dropTemps()
		if err != nil {
			return fmt.Errorf("the rows of employer %q: %w", employer.Name, err)
		}
		res.PerEmployer = append(res.PerEmployer, pres)
		employers = append(employers, fmt.Sprintf("%q", employer.Name))
		if first == 0 {
			first = pres.ImportID
		}
	}
	res.addUp()
	switch {
	case len(res.PerEmployer) == 0:
		res.AlreadyImported = true
		return nil
	case opt.DryRun:
		return nil
	}
	progress("committing")
	if err := sess.Commit(ctx); err != nil {
		return fmt.Errorf("%s: %w (nothing was imported)", src.Path, err)
	}
	res.ImportID = first
	if len(res.PerEmployer) > 1 {
		ids := make([]string, len(res.PerEmployer))
		for i, p := range res.PerEmployer {
			ids[i] = fmt.Sprint(p.ImportID)
		}
		res.Notes = append(res.Notes, fmt.Sprintf("stored as imports %s, one for each employer in the file (%s); undoing one of them undoes them all",
			strings.Join(ids, ", "), strings.Join(employers, ", ")))
	}
	return nil
}

// write writes the staged import in the session's transaction.
func (imp *fileImport) write(ctx context.Context, sess *storage.Session, e storage.Entry) (err error) {
	imp.res.ImportID, err = sess.WriteImport(ctx, e)
	if err != nil {
		return fmt.Errorf("%s: %w (nothing was imported)", imp.src.Path, err)
	}
	return nil
}

func sumRows(parts []*employerPart) (n int64) {
	for _, p := range parts {
		n += p.rows
	}
	return n
}

// addUp makes the file's counts the sums of its employers' imports, and
// its notes and first rejected rows theirs.
func (res *Result) addUp() {
	for _, p := range res.PerEmployer {
		res.Accepted += p.Accepted
		res.Rejected += p.Rejected
		res.Duplicate += p.Duplicate
		res.PastRetention += p.PastRetention
		res.Cases += p.Cases
		res.Notes = append(res.Notes, p.Notes...)
		res.Errors = append(res.Errors, p.Errors...)
		p.Errors = nil // the file's, in line order
	}
	slices.SortStableFunc(res.Errors, func(a, b storage.RowError) int { return int(a.Line - b.Line) })
	res.Errors = res.Errors[:min(len(res.Errors), maxErrorsInResult)]
}

// employerParts reads the file once into employer_rows, each row with the
// name its employer column gives (employer_name) and the employer of the
// installation it names (employer_id), the rows the reader refuses into its
// reject table (structuralRejects). It returns a part per employer named,
// in the order of their ids, with the rejects of the rows that name none of
// the installation's employers, or (only) another employer than the one
// the import is for.
func (imp *fileImport) employerParts(ctx context.Context, employers *storage.Reader, only storage.Employer) ([]*employerPart, []rowReject, error) {
	// In the order of the employers, so that each part's scan can skip
	// the others' blocks.
	err := imp.temp(ctx, "employer_rows", fmt.Sprintf(`SELECT r.*, e.employer_id
		FROM (SELECT *, %s AS employer_name FROM %s) r LEFT JOIN employers e ON lower(e.name) = lower(r.employer_name)
		ORDER BY e.employer_id, r.__line`, cleanText(imp.rawCol("employer")), imp.readCSV(nil, true)))
	if err != nil {
		return nil, nil, readFault(imp.src.Path, fmt.Errorf("read the employer column: %w", err))
	}
	all, err := employers.Employers(ctx)
	if err != nil {
		return nil, nil, err
	}
	byID := map[int64]storage.Employer{}
	for _, e := range all {
		byID[e.ID] = e
	}
	rows, err := imp.conn.QueryContext(ctx, `SELECT employer_id, count(*) FROM employer_rows WHERE employer_id IS NOT NULL AND ($1 = 0 OR employer_id = $1)
		GROUP BY employer_id ORDER BY employer_id`, only.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("read the employer column: %w", err)
	}
	defer rows.Close()
	var parts []*employerPart
	for rows.Next() {
		p := &employerPart{}
		if err := rows.Scan(&p.employer.ID, &p.rows); err != nil {
			return nil, nil, err
		}
		p.employer = storage.Employer{ID: p.employer.ID, Name: byID[p.employer.ID].Name}
		parts = append(parts, p)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows.Close()
	rejects, err := imp.employerRejects(ctx, all, only)
	return parts, rejects, err
}

// employerRejects are the rows that belong to no part: the employer empty,
// unknown, or another than the one the import is for.
func (imp *fileImport) employerRejects(ctx context.Context, all []storage.Employer, only storage.Employer) ([]rowReject, error) {
	names := make([]string, len(all))
	for i, e := range all {
		names[i] = e.Name
	}
	rows, err := imp.conn.QueryContext(ctx, `SELECT __line, coalesce(employer_name, '') FROM employer_rows
		WHERE employer_id IS NULL OR ($1 <> 0 AND employer_id <> $1) ORDER BY __line`, only.ID)
	if err != nil {
		return nil, fmt.Errorf("read the employer column: %w", err)
	}
	defer rows.Close()
	column := imp.src.header[imp.cols["employer"]]
	var out []rowReject
	for rows.Next() {
		var line int64
		var name string
		if err := rows.Scan(&line, &name); err != nil {
			return nil, err
		}
		out = append(out, rowReject{line: line, column: column, reason: unplacedReason(name, only, names)})
	}
	return out, rows.Err()
}

// unplacedReason says why a row naming employer name is not imported.
// Imported for one employer (only; an employer's admin), it does not tell
// whether the installation has an employer of that name, nor any other
// employer's name.
func unplacedReason(name string, only storage.Employer, names []string) string {
	switch {
	case name == "":
		return "the employer is empty; every row must name the employer it belongs to"
	case only.ID != 0:
		return fmt.Sprintf("the row names employer %q, but this import is for employer %q only", name, only.Name)
	}
	hint := "'absence employers' lists the employers, 'absence employers add NAME' adds one"
	if near := storage.NearestName(name, names); near != "" {
		hint = fmt.Sprintf("did you mean %q? (%s)", near, hint)
	}
	return fmt.Sprintf("employer %q is not an employer of this installation, so the row was not imported; %s", name, hint)
}

// noEmployer fails the import of a file no row of which belongs to an
// employer it may import for, reporting every row.
func (imp *fileImport) noEmployer(ctx context.Context, rejects []rowReject, only storage.Employer, onRejects func([]storage.RowError) error) error {
	res, name := imp.res, filepath.Base(imp.src.Path)
	var batch []storage.RowError
	for _, r := range append(slices.Clone(imp.readRejects), rejects...) {
		batch = append(batch, storage.RowError{File: name, Line: r.line, Column: r.column, Reason: r.reason})
	}
	slices.SortStableFunc(batch, func(a, b storage.RowError) int { return int(a.Line - b.Line) })
	res.Rejected = res.Read
	res.Errors = batch[:min(len(batch), maxErrorsInResult)]
	if onRejects != nil && len(batch) > 0 {
		if err := onRejects(batch); err != nil {
			return err
		}
	}
	whose := "an employer of this installation"
	if only.ID != 0 {
		whose = fmt.Sprintf("employer %q, which this import is for", only.Name)
	}
	return refuse(ErrNoValidRows, "%s: none of the %d rows belongs to %s, so nothing was imported", imp.src.Path, res.Read, whose)
}
