package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/verzuim/absence/ingest/storage"
)

// The import path, straight through: Inspect reads the file once (hash,
// encoding, delimiter, header, profile); Import holds the header to the
// limits, takes the store's single writer (a Session) and asks the ledger
// whether the content was imported before, then copies the file once more
// as numbered UTF-8 for DuckDB (numbered.go), stages it on the session —
// parse, validate row by row, leave out employees past the retention
// period, build cases, compare with what it replaces (stage.go) — and has
// the store commit it in one transaction. Success and failure alike are
// recorded in the import history by the import itself.

// ImportFile inspects and imports one export file.
func (im *Importer) ImportFile(ctx context.Context, path string, opt ImportOptions) (*Result, error) {
	src, err := Inspect(path, opt.Profile, im.limits)
	if err != nil {
		res := &Result{File: path, DryRun: opt.DryRun}
		im.recordFailure(ctx, res, opt.Employer, err)
		return res, err
	}
	if opt.Profile == nil {
		src.Notes = append([]string{fmt.Sprintf("profile %s chosen by the header (%s)", src.Profile.Name, src.Profile.Description)}, src.Notes...)
	}
	return im.Import(ctx, src, opt)
}

// Import imports an inspected file with the profile it was inspected with.
// It commits wholly or not at all; a failure other than a dry run's is
// recorded in the import history.
func (im *Importer) Import(ctx context.Context, src *Source, opt ImportOptions) (res *Result, err error) {
	res = &Result{File: src.Path, DryRun: opt.DryRun}
	defer func() {
		if err != nil {
			im.recordFailure(ctx, res, opt.Employer, err)
		}
	}()
	progress := func(phase string) {
		if opt.Progress != nil {
			opt.Progress(phase)
		}
	}
	progress("reading")
	if src, err = im.ready(src); err != nil {
		return res, err
	}
	p := src.Profile
	res.Profile, res.Kind, res.Detected = p.Name, p.Kind, src.Detected()
	employer, err := im.Employer(ctx, opt.Employer)
	if err != nil {
		return res, fmt.Errorf("%s: %w", src.Path, err)
	}
	res.employerID = employer.ID
	if employer.ID != storage.DefaultEmployerID {
		res.Employer = employer.Name
	}
	res.Notes = append(res.Notes, src.Notes...)
	cols, notes, err := mapColumns(p, src.header)
	res.Notes = append(res.Notes, notes...)
	if err != nil {
		return res, badFile{fmt.Errorf("%s: %w", src.Path, err)}
	}
	if _, ok := cols["employer"]; ok {
		return res, im.importByEmployer(ctx, src, opt, cols, res, progress)
	}

	// One writer: the ledger check and the import happen under one lock,
	// so the same file dropped twice at once is imported once.
	sess, err := im.store.Session(ctx, !opt.DryRun)
	if err != nil {
		return res, fmt.Errorf("%s: %w", src.Path, err)
	}
	defer sess.Close()
	prevID, prevAt, seen, err := im.store.PreviousImport(ctx, employer.ID, src.SHA256)
	switch {
	case err != nil:
		return res, fmt.Errorf("%s: %w", src.Path, err)
	case seen:
		res.AlreadyImported, res.ImportID = true, prevID
		res.Notes = append(res.Notes, fmt.Sprintf("this file was already imported on %s (import %d); nothing changed", prevAt.Format("2006-01-02 15:04"), prevID))
		return res, nil
	}
	imp := &fileImport{conn: sess.Conn(), profile: p, src: src, limits: im.limits, cols: cols, res: res, progress: progress, afterParse: im.afterParse, textOnly: im.textOnly, employer: employer}
	defer imp.removeCopy(im.store.TempDir())
	defer imp.dropTemps()
	if err := im.prepare(ctx, imp, opt.ExtractDate); err != nil {
		return res, err
	}
	started := time.Now()
	if err := imp.stage(ctx, opt, im.maxShrink); err != nil || opt.DryRun {
		return res, err
	}
	progress("committing")
	commitStart := time.Now()
	res.ImportID, err = sess.CommitImport(ctx, storage.Entry{EmployerID: employer.ID, File: filepath.Base(src.Path), SHA256: src.SHA256, Profile: p.Name,
		Kind: string(p.Kind), Source: p.Source, Mode: p.Mode, ExtractDate: imp.extract, StartedAt: started,
		Read: res.Read, Accepted: res.Accepted, Rejected: res.Rejected, Duplicate: res.Duplicate})
	if err != nil {
		return res, fmt.Errorf("%s: %w (nothing was imported)", src.Path, err)
	}
	slog.Debug("import step", "file", src.Path, "took", time.Since(commitStart), "step", "commit")
	return res, nil
}

// Employer finds the employer an import names; "" is the default one. An
// unknown name wraps storage.ErrUnknownEmployer.
func (im *Importer) Employer(ctx context.Context, name string) (storage.Employer, error) {
	if name == "" {
		return storage.Employer{ID: storage.DefaultEmployerID, Name: storage.DefaultEmployer}, nil
	}
	return im.store.Reader().EmployerByName(ctx, name)
}

// ready checks an inspected source before its import: it was inspected
// (Plan keeps a file it could not inspect for its own import to fail), for
// the importer's limits (otherwise it is inspected again), and its header
// is within them.
func (im *Importer) ready(src *Source) (*Source, error) {
	if src.err != nil {
		return src, src.err
	}
	if src.limits != im.limits {
		notes := src.Notes
		again, err := inspect(src.Path, src.Profile, im.limits, true)
		if err != nil {
			return src, err
		}
		again.Notes = notes
		return again, nil
	}
	return src, src.checkHeader()
}

// prepare settles the extract date and the retention rule, and writes the
// numbered copy of the file (its second and last reading).
func (im *Importer) prepare(ctx context.Context, imp *fileImport, extract time.Time) error {
	path := imp.src.Path
	if extract.IsZero() {
		extract = im.now()
	}
	imp.extract = time.Date(extract.Year(), extract.Month(), extract.Day(), 0, 0, 0, 0, time.UTC)
	if err := im.retentionOf(ctx, imp); err != nil {
		return err
	}
	dir := im.store.TempDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("%s: make temporary folder: %w", path, err)
	}
	imp.numbered = filepath.Join(dir, fmt.Sprintf("import-%d-%d.csv", os.Getpid(), time.Now().UnixNano()))
	copyStart := time.Now()
	var err error
	imp.res.Read, imp.readRejects, err = imp.src.writeNumbered(imp.numbered, im.limits)
	switch {
	case IsBadFile(err):
		return err
	case err != nil:
		return fmt.Errorf("%s: copy for import: %w", path, err)
	}
	slog.Debug("import step", "file", path, "took", time.Since(copyStart), "step", "numbered UTF-8 copy")
	return nil
}

// retentionOf sets the retention rule of the import's employer.
func (im *Importer) retentionOf(ctx context.Context, imp *fileImport) error {
	cutoff, keep, ok, err := im.store.RetentionCutoff(ctx, imp.employer.ID, im.now())
	if err != nil {
		return fmt.Errorf("%s: %w", imp.src.Path, err)
	}
	imp.retention = retentionRule{applies: ok, cutoff: cutoff, keepYears: keep}
	return nil
}

// removeCopy removes the numbered copy, and its folder when no other
// import uses it.
func (imp *fileImport) removeCopy(dir string) {
	if imp.numbered != "" {
		os.Remove(imp.numbered)
	}
	os.Remove(dir) // only if empty: another import may be running
}

// stage runs the import on the session up to the commit: stage the rows,
// count the outcome, refuse what must be refused and plan the replacement.
func (imp *fileImport) stage(ctx context.Context, opt ImportOptions, maxShrink float64) error {
	res, path := imp.res, imp.src.Path
	if err := imp.run(ctx); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := imp.collectErrors(ctx, opt.OnRejects); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if opt.Strict && res.Rejected > 0 {
		return refuse(ErrRejectedRows, "%s: %d of %d rows rejected; --strict imports nothing", path, res.Rejected, res.Read)
	}
	switch {
	case res.Read == 0:
		return refuse(ErrNoValidRows, "%s has a header but no rows: nothing to import", path)
	case res.Accepted == 0 && res.PastRetention > 0:
		return refuse(ErrNoValidRows, "%s: none of the %d rows is stored: %d are of employees past the retention period and the others are not valid, so nothing was imported", path, res.Read, res.PastRetention)
	case res.Accepted == 0:
		return refuse(ErrNoValidRows, "%s: none of the %d rows is valid, so nothing was imported", path, res.Read)
	}
	if err := imp.planReplacement(ctx); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	res.Notes = append(res.Notes, res.Change.note())
	if c := *res.Change; c.Shrink() > maxShrink && !opt.AllowShrink {
		return badFile{fmt.Errorf("%s: %w", path, &ShrinkError{Change: c, Limit: maxShrink})}
	}
	return nil
}

// recordFailure notes a failed import in the import history of the
// employer it was for, also when it failed before that employer was looked
// up. A dry run leaves no trace, nor does a failure for an employer the
// installation does not know (it is nobody's history; whoever ran it is
// told). When even that fails, the failure is logged and told.
func (im *Importer) recordFailure(ctx context.Context, res *Result, employerName string, cause error) {
	if res.DryRun || errors.Is(cause, storage.ErrReplica) { // a replica has no history of its own
		return
	}
	employerID := res.employerID
	if employerID == 0 {
		employer, err := im.Employer(ctx, employerName)
		if err != nil {
			slog.Warn("import: failed, not recorded: no employer to record it for", "file", res.File, "employer", employerName, "cause", cause, "error", err)
			return
		}
		employerID = employer.ID
	}
	e := storage.Entry{EmployerID: employerID, File: filepath.Base(res.File), Profile: res.Profile, Kind: string(res.Kind), Read: res.Read, Rejected: res.Rejected, Duplicate: res.Duplicate}
	if err := im.store.RecordFailure(context.WithoutCancel(ctx), e, cause); err != nil {
		slog.Error("import: record the failure in the import history", "file", res.File, "error", err)
		res.Notes = append(res.Notes, "the failure could not be recorded in the import history: "+err.Error())
	}
}
