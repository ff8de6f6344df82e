package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

const defaultDB = "absence.duckdb"

func runImport(args []string) (err error) {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	settings := addConfigFlags(fs)
	employer := fs.String("employer", "", "the employer (client organisation) the files belong to, as added with 'absence employers add' (default: the default employer)")
	profileName := fs.String("profile", "", "profile name or file (default: chosen per file by its header)")
	dryRun := fs.Bool("dry-run", false, "check the files and report, but write nothing")
	strict := fs.Bool("strict", false, "import a file only if every row is valid")
	allowShrink := fs.Bool("allow-shrink", false, "import even a file that removes more of its source's cases or employees than import.max_shrink allows (default 20%)")
	rejects := fs.String("rejects", "", "write every rejected row to this CSV file")
	extract := fs.String("extract-date", "", "date the export was made, YYYY-MM-DD (default today): open cases run up to it")
	server := fs.String("server", "", "import through a running server at this address (e.g. http://localhost:8080), which owns the database")
	user := fs.String("user", "admin", "with --server: an admin account; the password comes from $ABSENCE_PASSWORD or is asked")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: absence import [flags] FILE...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("import: name at least one file")
	}
	opt := ingest.ImportOptions{Employer: *employer, DryRun: *dryRun, Strict: *strict, AllowShrink: *allowShrink}
	if *extract != "" {
		d, err := time.Parse("2006-01-02", *extract)
		if err != nil {
			return fmt.Errorf("--extract-date %q: expected YYYY-MM-DD", *extract)
		}
		opt.ExtractDate = d
	}
	cfg, err := settings.load()
	if err != nil {
		return err
	}
	var profile *ingest.Profile
	if *profileName != "" {
		if profile, err = ingest.LoadProfile(*profileName); err != nil {
			return err
		}
	}
	planFiles := func() ([]*ingest.Source, error) { return ingest.Plan(fs.Args(), profile, cfg.Import.Limits) }
	if *server != "" {
		plan, err := planFiles()
		if err != nil {
			return err
		}
		return importThroughServer(*server, *user, *employer, *extract, *dryRun, *allowShrink, plan, os.Stdout)
	}

	// Ctrl-C or a SIGTERM stops the import cleanly: the file being imported
	// is not imported, and its temporary copy is removed. A second signal
	// ends the program at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop)
	pending := openAhead(ctx, cfg)
	defer pending.close()
	plan, err := planFiles()
	if err != nil {
		return err
	}
	if *rejects != "" {
		report, rerr := ingest.CreateRejectsFile(*rejects)
		if rerr != nil {
			return rerr
		}
		defer func() { err = cmp.Or(err, report.Close()) }()
		opt.OnRejects = report.Write
	}
	store, err := pending.wait()
	if err != nil {
		return err
	}
	return importFiles(ctx, cfg.importer(store), plan, opt, *rejects, os.Stdout)
}

// pendingStore is the database an import opens: an existing one opens
// while the files are inspected, each on a core of its own; a new one is
// made only once the files are known to be importable.
type pendingStore struct {
	ctx    context.Context
	cfg    config
	opened chan struct{} // nil until the opening starts
	store  *storage.Store
	err    error
}

// openAhead starts opening the configured database if it exists.
func openAhead(ctx context.Context, cfg config) *pendingStore {
	p := &pendingStore{ctx: ctx, cfg: cfg}
	if _, err := os.Stat(cfg.Database); err == nil {
		p.start()
	}
	return p
}

func (p *pendingStore) start() {
	p.opened = make(chan struct{})
	go func() {
		defer close(p.opened)
		start := time.Now()
		p.store, p.err = openStore(p.ctx, p.cfg, true)
		slog.Debug("import step", "took", time.Since(start), "step", "open the database")
	}()
}

// wait returns the store, opening (or making) it now if it was not opened
// ahead.
func (p *pendingStore) wait() (*storage.Store, error) {
	if p.opened == nil {
		p.start()
	}
	<-p.opened
	return p.store, p.err
}

// close closes the store, if it was opened, whether or not it was used.
func (p *pendingStore) close() {
	if p.opened == nil {
		return
	}
	<-p.opened
	if p.store != nil {
		p.store.Close()
	}
}

// importFiles imports each planned file and prints a summary a payroll
// administrator can act on; rejects is the file the rejected rows are
// written to ("" none). A failed file does not stop the others; each import
// records its own outcome in the history.
func importFiles(ctx context.Context, importer *ingest.Importer, plan []*ingest.Source, opt ingest.ImportOptions, rejects string, out io.Writer) error {
	bar := newPhaseBar(len(plan))
	failed, withRejects := 0, 0
	for i, f := range plan {
		if ctx.Err() != nil {
			return fmt.Errorf("stopped: %d of %d files not imported (%s first)", len(plan)-i, len(plan), f.Path)
		}
		if bar != nil {
			opt.Progress = func(phase string) {
				bar.Describe(fmt.Sprintf("%s: %s", f.Path, phase))
				bar.Add(1)
			}
		}
		res, err := importer.Import(ctx, f, opt)
		if bar != nil {
			bar.Clear()
		}
		printResult(out, res, rejects)
		if err != nil {
			failed++
			if ctx.Err() != nil {
				err = fmt.Errorf("stopped before this file was imported; nothing of it was written (%w)", err)
			}
			fmt.Fprintf(out, "  FAILED: %v\n", err)
			continue
		}
		if res.Rejected > 0 {
			withRejects++
		}
	}
	if bar != nil {
		bar.Finish()
	}
	switch {
	case failed > 0:
		return fmt.Errorf("%d of %d files not imported", failed, len(plan))
	case withRejects > 0:
		fmt.Fprintf(out, "%d file(s) had rejected rows; the good rows were imported.\n", withRejects)
		return exitError{exitRejected}
	}
	return nil
}

// printResult says what a payroll administrator needs of one file: what
// it is, in words, what landed, what was rejected and where the full list
// is, and how to undo the import.
func printResult(out io.Writer, res *ingest.Result, rejects string) {
	if res == nil {
		return
	}
	fmt.Fprintf(out, "%s", res.File)
	if res.Profile != "" {
		fmt.Fprintf(out, ": %s (profile %s)", exportKind(res.Profile, res.Kind), res.Profile)
	}
	if res.Detected != "" {
		fmt.Fprintf(out, ": %s", res.Detected)
	}
	fmt.Fprintln(out)
	for _, n := range res.Notes {
		fmt.Fprintf(out, "  note: %s\n", n)
	}
	if res.AlreadyImported {
		return
	}
	fmt.Fprintf(out, "  rows read %d, accepted %d, rejected %d, duplicate %d", res.Read, res.Accepted, res.Rejected, res.Duplicate)
	if res.PastRetention > 0 {
		fmt.Fprintf(out, ", past the retention period %d", res.PastRetention)
	}
	if res.Kind == ingest.KindAbsence {
		fmt.Fprintf(out, ", absence cases %d", res.Cases)
	}
	fmt.Fprintln(out)
	whole := "write them all with --rejects FILE"
	if rejects != "" {
		whole = "all of them are in " + rejects
	}
	// The first 20 reasons; a row can have several, so what is left is
	// counted in rows not yet shown.
	const show = 20
	shown := map[int64]bool{}
	for i, e := range res.Errors {
		if i == show {
			if more := res.Rejected - int64(len(shown)); more > 0 {
				fmt.Fprintf(out, "  … and %d more rejected rows (%s)\n", more, whole)
			} else {
				fmt.Fprintf(out, "  … and more reasons for the rows above (%s)\n", whole)
			}
			break
		}
		shown[e.Line] = true
		fmt.Fprintf(out, "  line %d", e.Line)
		if e.Column != "" {
			fmt.Fprintf(out, ", column %q", e.Column)
		}
		fmt.Fprintf(out, ": %s", e.Reason)
		if e.Value != "" {
			fmt.Fprintf(out, " (value %q)", e.Value)
		}
		fmt.Fprintln(out)
	}
	if res.Rejected > 0 && len(res.Errors) <= show && rejects != "" {
		fmt.Fprintf(out, "  the rejected rows are in %s\n", rejects)
	}
	switch {
	case res.DryRun:
		fmt.Fprintln(out, "  checked only (--dry-run): nothing was stored")
	case res.ImportID > 0:
		fmt.Fprintf(out, "  stored as import %[1]d; undo with: absence imports undo %[1]d\n", res.ImportID)
	}
}

// exportKind names the export a profile reads, e.g. "AFAS absence export".
func exportKind(profile string, kind ingest.Kind) string {
	name := string(kind) + " export"
	switch vendor, _, _ := strings.Cut(profile, "-"); vendor {
	case "afas":
		return "AFAS " + name
	case "visma":
		return "Visma " + name
	}
	return name
}

// newPhaseBar shows progress on a terminal only: four phases per file.
func newPhaseBar(files int) *progressbar.ProgressBar {
	if !term.IsTerminal(int(os.Stderr.Fd())) {
		return nil
	}
	return progressbar.NewOptions(files*4, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionClearOnFinish(),
		progressbar.OptionShowElapsedTimeOnFinish(), progressbar.OptionSetWidth(30))
}
