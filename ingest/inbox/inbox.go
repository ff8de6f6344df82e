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
)

// Rule chooses the profile for files whose name matches Pattern
// (filepath.Match syntax, e.g. "afas_verzuim_*.csv"). A rule with an
// Employer applies only in that employer's folder, before the rules
// without one.
type Rule struct {
	Pattern  string `toml:"pattern"`
	Profile  string `toml:"profile"`
	Employer string `toml:"employer"`
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
	Time time.Time `json:"time"`
	// Employer is the employer folder the file arrived in; "" for the
	// inbox itself (the default employer).
	Employer string `json:"employer,omitempty"`
	File     string `json:"file"`
	Outcome  string `json:"outcome"` // imported | duplicate | failed | retry | waiting
	ImportID int64  `json:"import_id,omitempty"`
	Accepted int64  `json:"accepted"`
	Rejected int64  `json:"rejected"`
	Message  string `json:"message,omitempty"`
	MovedTo  string `json:"moved_to,omitempty"`
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
	files, err := in.arrived(ctx)
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
	for _, f := range in.inDependencyOrder(files) {
		if ctx.Err() != nil {
			break
		}
		var ev Event
		if f.err != nil {
			ev = Event{Time: in.opt.Now(), Employer: f.employer, File: f.employer + "/", Outcome: "retry", Message: f.err.Error()}
			in.notify(ev)
		} else {
			ev = in.importOne(ctx, f)
		}
		slog.Info("inbox", "employer", ev.Employer, "file", ev.File, "outcome", ev.Outcome, "import", ev.ImportID, "message", ev.Message)
		in.record(ev)
		events = append(events, ev)
	}
	return events, ctx.Err()
}

// arrival is a file ready to import, or (err) an employer folder whose
// files cannot be imported.
type arrival struct {
	path, employer string
	dir            string // the folder it arrived in, which has its own archive and failed folders
	err            error
	// src is the file as inspected for its kind (inDependencyOrder); nil
	// when it could not be, and its import then says why.
	src *ingest.Source
}

// arrived lists the files ready to import: those in the inbox itself, for
// the default employer, then those in each employer folder (inbox/NAME/,
// named as the employer), each in name order. Hidden files and files named
// *.part, *.tmp or *.crdownload are still being written (the
// write-then-rename convention) and are left alone. A folder that names no
// employer is reported, and its files stay until the employer is added.
func (in *Inbox) arrived(ctx context.Context) ([]arrival, error) {
	files, folders, err := readyFiles(in.opt.Dir)
	if err != nil {
		return nil, err
	}
	var out []arrival
	for _, f := range files {
		out = append(out, arrival{path: f, dir: in.opt.Dir})
	}
	for _, name := range folders {
		dir := filepath.Join(in.opt.Dir, name)
		files, _, err := readyFiles(dir)
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			continue
		}
		if _, err := in.importer.Employer(ctx, name); err != nil {
			out = append(out, arrival{employer: name, dir: dir,
				err: fmt.Errorf("the folder %s holds %d file(s) for employer %q, which is not in the database: %w", dir, len(files), name, err)})
			continue
		}
		for _, f := range files {
			out = append(out, arrival{path: f, employer: name, dir: dir})
		}
	}
	return out, nil
}

// readyFiles lists the files ready to import in dir, and its folders
// other than archive and failed, each in name order.
func readyFiles(dir string) (files, folders []string, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read the inbox %s: %w", dir, err)
	}
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, "."):
		case e.IsDir():
			if name != ArchiveDir && name != FailedDir {
				folders = append(folders, name)
			}
		case strings.HasSuffix(name, ".part") || strings.HasSuffix(name, ".tmp") || strings.HasSuffix(name, ".crdownload"):
		default:
			files = append(files, filepath.Join(dir, name))
		}
	}
	sort.Strings(files)
	sort.Strings(folders)
	return files, folders, nil
}

func (in *Inbox) importOne(ctx context.Context, a arrival) Event {
	path := a.path
	now := in.opt.Now()
	ev := Event{Time: now, Employer: a.employer, File: filepath.Base(path)}
	info, err := os.Stat(path)
	if err != nil {
		ev.Outcome, ev.Message = "retry", err.Error()
		return ev
	}
	if now.Sub(info.ModTime()) < in.opt.StableFor {
		ev.Outcome, ev.Message = "waiting", "still being written; tried again on the next run"
		return ev
	}
	opt := ingest.ImportOptions{Employer: a.employer, ExtractDate: info.ModTime()}
	// The rejected rows go to a file as the import hands them on, hidden
	// (the inbox leaves hidden files alone) until it moves beside the file.
	tmp := filepath.Join(a.dir, "."+filepath.Base(path)+".rejects")
	report, err := ingest.CreateRejectsFile(tmp)
	if err != nil {
		ev.Outcome, ev.Message = "retry", err.Error()
		return ev
	}
	defer os.Remove(tmp) // unless it moved
	defer report.Close()
	opt.OnRejects = report.Write
	rejectsBeside := func(dest string) {
		err := report.Close()
		if err == nil && report.Rows() > 0 {
			err = os.Rename(tmp, dest+".rejects.csv")
		}
		if err != nil {
			slog.Error("inbox: write reject report", "file", dest, "error", err)
		}
	}
	profile, err := in.profileFor(path, a.employer)
	if err != nil {
		return in.setAside(a, ev, nil, err, true, rejectsBeside)
	}
	opt.Profile = profile
	var res *ingest.Result
	if a.src != nil {
		res, err = in.importer.Import(ctx, a.src, opt)
	} else {
		res, err = in.importer.ImportFile(ctx, path, opt)
	}
	if err != nil {
		return in.setAside(a, ev, res, err, ingest.IsBadFile(err), rejectsBeside)
	}
	ev.ImportID, ev.Accepted, ev.Rejected = res.ImportID, res.Accepted, res.Rejected
	ev.Outcome = "imported"
	if res.AlreadyImported {
		ev.Outcome, ev.Message = "duplicate", fmt.Sprintf("the same content was imported before (import %d)", res.ImportID)
	}
	dest, err := moveInto(path, filepath.Join(a.dir, ArchiveDir, now.Format("2006"), now.Format("01")))
	if err != nil {
		ev.Message = "imported, but could not be moved to the archive: " + err.Error()
		return ev
	}
	ev.MovedTo = dest
	rejectsBeside(dest)
	return ev
}

// setAside handles a failed import (which the import recorded in the
// history itself): a bad file goes to failed/ with its reasons; after a
// machine error the file stays for the next run. rejectsBeside puts the
// report of its rejected rows beside it.
func (in *Inbox) setAside(a arrival, ev Event, res *ingest.Result, cause error, bad bool, rejectsBeside func(dest string)) Event {
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
	dest, err := moveInto(a.path, filepath.Join(a.dir, FailedDir))
	if err != nil {
		ev.Message += "; and it could not be moved to failed/: " + err.Error()
		in.notify(ev)
		return ev
	}
	ev.MovedTo = dest
	os.WriteFile(dest+".error.txt", []byte(cause.Error()+"\n"), 0o644)
	rejectsBeside(dest)
	in.notify(ev)
	return ev
}

// profileFor is the profile of the first rule that matches the file: the
// rules of its employer first, then those for every folder.
func (in *Inbox) profileFor(path, employer string) (*ingest.Profile, error) {
	name := filepath.Base(path)
	for _, own := range []bool{true, false} {
		for _, r := range in.opt.Rules {
			if (r.Employer != "") != own || own && !strings.EqualFold(r.Employer, employer) {
				continue
			}
			if ok, _ := filepath.Match(r.Pattern, name); ok {
				return ingest.LoadProfile(r.Profile)
			}
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
