package inbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-co-op/gocron/v2"

	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/sheet"
	"github.com/verzuim/absence/ingest/storage"
)

// Rule chooses the profile for files whose name matches Pattern
// (filepath.Match syntax, e.g. "afas_verzuim_*.csv").
type Rule struct {
	Pattern string `toml:"pattern"`
	Profile string `toml:"profile"`
}

// Options configure an inbox.
type Options struct {
	Dir   string
	Rules []Rule
	// StableFor: a file modified more recently than this is still being
	// written and waits for the next run. Default 2 seconds.
	StableFor time.Duration
	// Notify is told about failed and empty imports (for a webhook).
	Notify func(Event)
	// Now is the clock; tests set it. Default time.Now.
	Now func() time.Time
}

// Event is what happened to one file.
type Event struct {
	Time     time.Time `json:"time"`
	File     string    `json:"file"`
	Outcome  string    `json:"outcome"` // imported | duplicate | failed | retry | waiting
	ImportID int64     `json:"import_id,omitempty"`
	Accepted int64     `json:"accepted"`
	Rejected int64     `json:"rejected"`
	Message  string    `json:"message,omitempty"`
	MovedTo  string    `json:"moved_to,omitempty"`
}

// Inbox imports the files of one folder.
type Inbox struct {
	importer *ingest.Importer
	opt      Options
	runMu    sync.Mutex // one run at a time

	mu        sync.Mutex
	events    []Event // newest last, at most maxEvents
	lastRun   time.Time
	lastErr   string
	scheduler gocron.Scheduler
}

const maxEvents = 200

// Folders inside the inbox.
const (
	ArchiveDir = "archive"
	FailedDir  = "failed"
)

// New checks the folder and the rules' profiles of an inbox that imports
// with importer.
func New(importer *ingest.Importer, opt Options) (*Inbox, error) {
	if opt.StableFor == 0 {
		opt.StableFor = 2 * time.Second
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	info, err := os.Stat(opt.Dir)
	if err != nil {
		return nil, fmt.Errorf("inbox %s: %w", opt.Dir, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("inbox %s is not a folder", opt.Dir)
	}
	for _, r := range opt.Rules {
		if _, err := filepath.Match(r.Pattern, "x"); err != nil {
			return nil, fmt.Errorf("inbox rule %q: %w", r.Pattern, err)
		}
		if _, err := ingest.LoadProfile(r.Profile); err != nil {
			return nil, fmt.Errorf("inbox rule %q: %w", r.Pattern, err)
		}
	}
	return &Inbox{importer: importer, opt: opt}, nil
}

// Run imports every file that has arrived. It returns at once, doing
// nothing, when another run is under way.
func (in *Inbox) Run(ctx context.Context) ([]Event, error) {
	if !in.runMu.TryLock() {
		return nil, nil
	}
	defer in.runMu.Unlock()
	files, err := in.arrived()
	in.mu.Lock()
	in.lastRun = in.opt.Now()
	in.lastErr = ""
	if err != nil {
		in.lastErr = err.Error()
	}
	in.mu.Unlock()
	if err != nil {
		slog.Error("inbox run", "dir", in.opt.Dir, "error", err)
		in.notify(Event{Time: in.opt.Now(), File: in.opt.Dir, Outcome: "failed", Message: err.Error()})
		return nil, err
	}
	var events []Event
	for _, f := range files {
		if ctx.Err() != nil {
			break
		}
		ev := in.importOne(ctx, f)
		slog.Info("inbox", "file", ev.File, "outcome", ev.Outcome, "import", ev.ImportID, "message", ev.Message)
		in.record(ev)
		events = append(events, ev)
	}
	return events, ctx.Err()
}

// arrived lists the files ready to import, oldest name first. Hidden files
// and files named *.part, *.tmp or *.crdownload are still being written (the
// write-then-rename convention) and are left alone.
func (in *Inbox) arrived() ([]string, error) {
	entries, err := os.ReadDir(in.opt.Dir)
	if err != nil {
		return nil, fmt.Errorf("cannot read the inbox %s: %w", in.opt.Dir, err)
	}
	var files []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".part") ||
			strings.HasSuffix(name, ".tmp") || strings.HasSuffix(name, ".crdownload") {
			continue
		}
		files = append(files, filepath.Join(in.opt.Dir, name))
	}
	sort.Strings(files)
	return files, nil
}

func (in *Inbox) importOne(ctx context.Context, path string) Event {
	now := in.opt.Now()
	ev := Event{Time: now, File: filepath.Base(path)}
	info, err := os.Stat(path)
	if err != nil {
		ev.Outcome, ev.Message = "retry", err.Error()
		return ev
	}
	if now.Sub(info.ModTime()) < in.opt.StableFor {
		ev.Outcome, ev.Message = "waiting", "still being written; tried again on the next run"
		return ev
	}
	opt := ingest.ImportOptions{ExtractDate: info.ModTime()}
	var rejects []storage.RowError
	opt.OnRejects = func(b []storage.RowError) error { rejects = append(rejects, b...); return nil }
	profile, err := in.profileFor(path)
	if err != nil {
		return in.setAside(path, ev, nil, err, true, nil)
	}
	opt.Profile = profile
	res, err := in.importer.ImportFile(ctx, path, opt)
	if err != nil {
		return in.setAside(path, ev, res, err, ingest.IsBadFile(err), rejects)
	}
	ev.ImportID, ev.Accepted, ev.Rejected = res.ImportID, res.Accepted, res.Rejected
	ev.Outcome = "imported"
	if res.AlreadyImported {
		ev.Outcome, ev.Message = "duplicate", fmt.Sprintf("the same content was imported before (import %d)", res.ImportID)
	}
	dest, err := moveInto(path, filepath.Join(in.opt.Dir, ArchiveDir, now.Format("2006"), now.Format("01")))
	if err != nil {
		ev.Message = "imported, but could not be moved to the archive: " + err.Error()
		return ev
	}
	ev.MovedTo = dest
	if len(rejects) > 0 {
		if err := writeRejects(dest+".rejects.csv", rejects); err != nil {
			slog.Error("inbox: write reject report", "file", dest, "error", err)
		}
	}
	return ev
}

// setAside handles a failed import (which the import recorded in the
// history itself): a bad file goes to failed/ with its reasons; after a
// machine error the file stays for the next run.
func (in *Inbox) setAside(path string, ev Event, res *ingest.Result, cause error, bad bool, rejects []storage.RowError) Event {
	ev.Message = cause.Error()
	if res != nil {
		ev.Accepted, ev.Rejected = res.Accepted, res.Rejected
	}
	if !bad {
		ev.Outcome = "retry"
		in.notify(ev)
		return ev
	}
	ev.Outcome = "failed"
	dest, err := moveInto(path, filepath.Join(in.opt.Dir, FailedDir))
	if err != nil {
		ev.Message += "; and it could not be moved to failed/: " + err.Error()
		in.notify(ev)
		return ev
	}
	ev.MovedTo = dest
	os.WriteFile(dest+".error.txt", []byte(cause.Error()+"\n"), 0o644)
	if len(rejects) > 0 {
		if err := writeRejects(dest+".rejects.csv", rejects); err != nil {
			slog.Error("inbox: write reject report", "file", dest, "error", err)
		}
	}
	in.notify(ev)
	return ev
}

func (in *Inbox) profileFor(path string) (*ingest.Profile, error) {
	name := filepath.Base(path)
	for _, r := range in.opt.Rules {
		if ok, _ := filepath.Match(r.Pattern, name); ok {
			return ingest.LoadProfile(r.Profile)
		}
	}
	return nil, nil // chosen by the header
}

// moveInto renames path into dir, never over an existing file.
func moveInto(path, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	base := filepath.Base(path)
	dest := filepath.Join(dir, base)
	ext := filepath.Ext(base)
	for i := 2; ; i++ {
		if _, err := os.Lstat(dest); errors.Is(err, os.ErrNotExist) {
			break
		}
		dest = filepath.Join(dir, strings.TrimSuffix(base, ext)+"-"+strconv.Itoa(i)+ext)
	}
	return dest, os.Rename(path, dest)
}

func writeRejects(path string, rows []storage.RowError) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := sheet.NewWriter(f)
	w.Write([]string{"file", "line", "column", "value", "reason"})
	for _, r := range rows {
		w.Write([]string{r.File, strconv.FormatInt(r.Line, 10), r.Column, r.Value, r.Reason})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func (in *Inbox) notify(ev Event) {
	if in.opt.Notify != nil {
		in.opt.Notify(ev)
	}
}

func (in *Inbox) record(ev Event) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.events = append(in.events, ev)
	if len(in.events) > maxEvents {
		in.events = in.events[len(in.events)-maxEvents:]
	}
}

// Status is what the dashboard shows about the inbox.
type Status struct {
	Dir       string    `json:"dir"`
	LastRun   time.Time `json:"last_run"`
	LastError string    `json:"last_error,omitempty"`
	Running   bool      `json:"running"`
	Events    []Event   `json:"events"` // newest first
}

// Status reports the last run and the latest events.
func (in *Inbox) Status() Status {
	running := !in.runMu.TryLock()
	if !running {
		in.runMu.Unlock()
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	st := Status{Dir: in.opt.Dir, LastRun: in.lastRun, LastError: in.lastErr, Running: running}
	for i := len(in.events) - 1; i >= 0; i-- {
		st.Events = append(st.Events, in.events[i])
	}
	return st
}
