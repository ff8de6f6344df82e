package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// ImportOptions control one import.
type ImportOptions struct {
	// Profile to read the file with; nil chooses a built-in profile by the
	// file's header.
	Profile *Profile
	// DryRun validates and reports but writes nothing.
	DryRun bool
	// Strict refuses the whole file when any row is rejected.
	Strict bool
	// ExtractDate is the date the export was made: open cases run up to it.
	// Zero means today.
	ExtractDate time.Time
	// OnRejects receives every rejected row, in batches, in line order.
	OnRejects func([]RowError) error
	// Progress, if set, is told the name of each phase as it starts.
	Progress func(phase string)
}

// Result summarises one file's import.
type Result struct {
	File     string
	Profile  string
	Kind     Kind
	Detected string // encoding, delimiter, line endings, date format
	ImportID int64
	// AlreadyImported is set when the same content was imported before; then
	// nothing changed and ImportID is that earlier import.
	AlreadyImported bool
	Read            int64 // data rows in the file
	Accepted        int64
	Rejected        int64
	Duplicate       int64 // exact repeats of an earlier row, skipped
	Cases           int64 // absence cases (absence files) in the file after validation
	// Errors holds the first rejected rows (at most maxErrorsInResult).
	Errors []RowError
	// Notes are things the user should know, such as columns not stored.
	Notes  []string
	DryRun bool
}

// RowError is one rejected input row: where it is and why.
type RowError struct {
	File   string `csv:"file"`
	Line   int64  `csv:"line"`
	Column string `csv:"column"`
	Value  string `csv:"value"`
	Reason string `csv:"reason"`
}

func (e RowError) String() string {
	where := fmt.Sprintf("%s line %d", e.File, e.Line)
	if e.Column != "" {
		where += fmt.Sprintf(", column %q", e.Column)
	}
	if e.Value != "" {
		return fmt.Sprintf("%s: %s (value %q)", where, e.Reason, e.Value)
	}
	return fmt.Sprintf("%s: %s", where, e.Reason)
}

const maxErrorsInResult = 100

// ErrRejectedRows is returned (wrapped) by a strict import that found bad rows.
var ErrRejectedRows = errors.New("rows were rejected")

// ErrNoValidRows is returned (wrapped) when not one row of a file is valid:
// nothing is imported, and above all a snapshot does not wipe its source.
var ErrNoValidRows = errors.New("no valid rows")

// badFile marks an error that lies in the file itself (its content, its
// columns, its encoding), as opposed to the machine (disk, database): a bad
// file is set aside, while after a machine error the same file is tried again.
type badFile struct{ err error }

func (e badFile) Error() string { return e.err.Error() }
func (e badFile) Unwrap() error { return e.err }

// IsBadFile reports whether an import failed because of the file itself.
func IsBadFile(err error) bool {
	var b badFile
	return errors.As(err, &b)
}

// ImportFile imports one export file. It commits wholly or not at all.
func (s *Store) ImportFile(ctx context.Context, path string, opt ImportOptions) (*Result, error) {
	res := &Result{File: path, DryRun: opt.DryRun}
	progress := func(phase string) {
		if opt.Progress != nil {
			opt.Progress(phase)
		}
	}
	progress("reading")
	p := opt.Profile
	probe := p
	if probe == nil {
		probe = &Profile{Encoding: "auto", Delimiter: "auto"}
	}
	src, err := inspectSource(path, probe, s.limits)
	if err != nil {
		return res, err
	}
	if p == nil {
		if p, err = chooseProfile(src.Header); err != nil {
			return res, badFile{fmt.Errorf("%s: %w", path, err)}
		}
		if src, err = inspectSource(path, p, s.limits); err != nil {
			return res, err
		}
		res.Notes = append(res.Notes, fmt.Sprintf("profile %s chosen by the header (%s)", p.Name, p.Description))
	}
	res.Profile, res.Kind, res.Detected = p.Name, p.Kind, src.Detected()
	res.Notes = append(res.Notes, src.Notes...)

	if !opt.DryRun {
		// One writer: the ledger check and the import happen under one lock,
		// so the same file dropped twice at once is imported once.
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
	}
	var prevID int64
	var prevAt time.Time
	err = s.DB.QueryRowContext(ctx, `SELECT import_id, finished_at FROM imports WHERE content_sha256 = ? AND status = 'committed' ORDER BY import_id LIMIT 1`, src.SHA256).Scan(&prevID, &prevAt)
	switch {
	case err == nil:
		res.AlreadyImported, res.ImportID = true, prevID
		res.Notes = append(res.Notes, fmt.Sprintf("this file was already imported on %s (import %d); nothing changed", prevAt.Format("2006-01-02 15:04"), prevID))
		return res, nil
	case !errors.Is(err, sql.ErrNoRows):
		return res, fmt.Errorf("%s: read import ledger: %w", path, err)
	}

	cols, notes, err := mapColumns(p, src.Header)
	res.Notes = append(res.Notes, notes...)
	if err != nil {
		return res, badFile{fmt.Errorf("%s: %w", path, err)}
	}

	extract := opt.ExtractDate
	if extract.IsZero() {
		extract = time.Now()
	}
	extract = time.Date(extract.Year(), extract.Month(), extract.Day(), 0, 0, 0, 0, time.UTC)

	if err := os.MkdirAll(tempDir(s.Path), 0o700); err != nil {
		return res, fmt.Errorf("%s: make temporary folder: %w", path, err)
	}
	numbered := filepath.Join(tempDir(s.Path), fmt.Sprintf("import-%d-%d.csv", os.Getpid(), time.Now().UnixNano()))
	defer func() {
		os.Remove(numbered)
		os.Remove(tempDir(s.Path)) // only if empty: another import may be running
	}()
	copyStart := time.Now()
	var readRejects []rowReject
	res.Read, readRejects, err = src.writeNumbered(numbered, s.limits)
	switch {
	case IsBadFile(err):
		return res, err
	case err != nil:
		return res, fmt.Errorf("%s: copy for import: %w", path, err)
	}
	slog.Debug("import step", "file", path, "took", time.Since(copyStart), "step", "numbered UTF-8 copy")

	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return res, err
	}
	defer conn.Close()
	imp := &importer{conn: conn, store: s, profile: p, src: src, cols: cols, res: res, extract: extract, numbered: numbered, progress: progress, readRejects: readRejects}
	defer imp.dropTemps()

	started := time.Now()
	if err := imp.run(ctx); err != nil {
		return res, fmt.Errorf("%s: %w", path, err)
	}
	if err := imp.collectErrors(ctx, opt.OnRejects); err != nil {
		return res, fmt.Errorf("%s: %w", path, err)
	}
	if opt.Strict && res.Rejected > 0 {
		return res, badFile{fmt.Errorf("%s: %d of %d rows rejected; --strict imports nothing: %w", path, res.Rejected, res.Read, ErrRejectedRows)}
	}
	switch {
	case res.Read == 0:
		return res, badFile{fmt.Errorf("%s has a header but no rows: nothing to import: %w", path, ErrNoValidRows)}
	case res.Accepted == 0:
		return res, badFile{fmt.Errorf("%s: none of the %d rows is valid, so nothing was imported: %w", path, res.Read, ErrNoValidRows)}
	}
	if err := imp.noteReplaced(ctx); err != nil {
		return res, fmt.Errorf("%s: %w", path, err)
	}
	if opt.DryRun {
		return res, nil
	}
	progress("committing")
	commitStart := time.Now()
	if err := imp.commit(ctx, started); err != nil {
		return res, fmt.Errorf("%s: %w (nothing was imported)", path, err)
	}
	s.commits.Add(1)
	slog.Debug("import step", "file", path, "took", time.Since(commitStart), "step", "commit")
	purged, err := s.reapplyRetention(ctx, res.ImportID)
	switch {
	case err != nil:
		res.Notes = append(res.Notes, "imported, but the retention rule could not be applied afterwards: "+err.Error()+"; run 'absence purge'")
	case purged.Employees > 0:
		res.Notes = append(res.Notes, fmt.Sprintf("the data of %d employees past the retention period was removed again (%s)", purged.Employees, purged.String()))
	}
	return res, nil
}

// RecordFailure notes a failed import in the ledger so the history shows it.
// It is best effort: the failure itself is what the caller reports.
func (s *Store) RecordFailure(ctx context.Context, res *Result, cause error) error {
	if res == nil || res.DryRun {
		return nil
	}
	_, err := s.DB.ExecContext(ctx, `INSERT INTO imports (file_name, content_sha256, profile, kind, source, mode, extract_date, started_at, finished_at,
		rows_read, rows_accepted, rows_rejected, rows_duplicate, status, message)
		VALUES (?, '', ?, ?, '', '', current_date, now(), now(), ?, 0, ?, ?, 'failed', ?)`,
		filepath.Base(res.File), res.Profile, string(res.Kind), res.Read, res.Rejected, res.Duplicate, cause.Error())
	return err
}

// diagnosisColumn matches headers that carry the nature or cause of an
// illness, which an employer may not record (AP beleidsregels 2016).
var diagnosisColumn = regexp.MustCompile(`(?i)(diagnos|oorzaak|\bcause|\baard\b|ziektebeeld|klacht|\bicd|medisch|medical|illness|kwaal|symptom|reden (ziekte|verzuim|ziekmelding|uitval))`)

// mapColumns finds each canonical field's column in the header and checks the
// header for columns that may not be imported.
func mapColumns(p *Profile, header []string) (map[string]int, []string, error) {
	index := map[string]int{}
	for i, h := range header {
		if _, dup := index[strings.ToLower(h)]; !dup {
			index[strings.ToLower(h)] = i
		}
	}
	cols := map[string]int{}
	used := map[int]bool{}
	var missing []string
	for _, f := range p.fields() {
		h := p.header(f.name)
		if h == "" {
			continue
		}
		i, ok := index[strings.ToLower(h)]
		if !ok {
			if f.required {
				missing = append(missing, fmt.Sprintf("%q (%s)", h, f.name))
			}
			continue
		}
		cols[f.name] = i
		used[i] = true
	}
	var notes, refused, ignored []string
	for i, h := range header {
		if used[i] {
			continue
		}
		switch {
		case diagnosisColumn.MatchString(h):
			refused = append(refused, h)
		default:
			ignored = append(ignored, h)
		}
	}
	if len(refused) > 0 && p.Role == "employer" {
		return nil, nil, fmt.Errorf("line 1: column %s looks like a diagnosis or cause of illness; an employer may not record that (AVG art. 9, AP beleidsregels). Remove the column from the export, or use a provider profile (role = \"provider\") which drops it", quoteList(refused))
	}
	if len(refused) > 0 {
		notes = append(notes, fmt.Sprintf("column %s (medical) dropped; never stored", quoteList(refused)))
	}
	if len(ignored) > 0 {
		notes = append(notes, fmt.Sprintf("column %s not used; never stored", quoteList(ignored)))
	}
	if len(missing) > 0 {
		hint := ""
		if len(header) == 1 {
			hint = fmt.Sprintf(" (one column only: is the delimiter %q of the profile right for this file?)", p.Delimiter)
		}
		return nil, notes, fmt.Errorf("line 1: the header lacks column %s needed by profile %s; the header has: %s%s", strings.Join(missing, ", "), p.Name, quoteList(header), hint)
	}
	return cols, notes, nil
}

// quoteList quotes column names for a message, at most 20 of 60 characters
// each: a hostile header of thousands of columns still makes a readable one.
func quoteList(items []string) string {
	const show, width = 20, 60
	var q []string
	for i, s := range items {
		if i == show {
			q = append(q, fmt.Sprintf("… (%s columns in all)", thousands(len(items))))
			break
		}
		if r := []rune(s); len(r) > width {
			s = string(r[:width]) + "…"
		}
		q = append(q, fmt.Sprintf("%q", s))
	}
	return strings.Join(q, ", ")
}

// chooseProfile picks the built-in profile whose required columns are all in
// the header, preferring the one that maps the most columns.
func chooseProfile(header []string) (*Profile, error) {
	builtins, err := BuiltinProfiles()
	if err != nil {
		return nil, err
	}
	var best *Profile
	bestScore := 0
	for _, p := range builtins {
		// Match on columns alone; the privacy check runs on the chosen profile.
		matchOnly := *p
		matchOnly.Role = "provider"
		cols, _, err := mapColumns(&matchOnly, header)
		if err != nil {
			continue
		}
		if len(cols) > bestScore {
			best, bestScore = p, len(cols)
		}
	}
	if best == nil {
		return nil, fmt.Errorf("line 1: no built-in profile fits this header (%s); name a profile with --profile, or write one (see the README)", quoteList(header))
	}
	return best, nil
}
