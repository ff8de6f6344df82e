package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"time"

	"github.com/verzuim/absence/ingest/storage"
)

// runPurge removes the data of employees past the retention period:
//
//	absence purge [--config FILE] [--db FILE] [--keep-years 2] [--employer NAME] [--dry-run]
func runPurge(args []string) error { return purgeCommand(args, os.Stdout) }

func purgeCommand(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("purge", flag.ContinueOnError)
	settings := addConfigFlags(fs)
	keep := fs.Int("keep-years", storage.DefaultKeepYears, "years to keep absence data after an employee's last day of employment (overrides retention.keep_years of the configuration; AP guideline: 2, Ziektewet eigenrisicodragers: 5)")
	dryRun := fs.Bool("dry-run", false, "show what would be removed, but remove nothing")
	employer := fs.String("employer", "", "purge only this employer's data, by its own rule (default: every employer)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: absence purge [flags]\n\nRemoves the absence cases, interventions, milestones and employment records of\nemployees who left more than --keep-years ago and have no current contract.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("purge: unexpected arguments %q", fs.Args())
	}
	cfg, err := settings.load()
	if err != nil {
		return err
	}
	keepYears, from := cfg.Retention.KeepYears, "retention.keep_years in the configuration"
	if flagGiven(fs, "keep-years") {
		keepYears, from = *keep, "--keep-years"
	}
	if keepYears < 1 {
		return fmt.Errorf("purge: %s is %d: give a number of years, 1 or more", from, keepYears)
	}
	ctx := context.Background()
	store, err := openStore(ctx, cfg, false)
	if err != nil {
		return fmt.Errorf("purge: %w", err)
	}
	defer store.Close()
	opt := storage.PurgeOptions{KeepYears: keepYears, DryRun: *dryRun, By: "cli:" + osUserName()}
	if *employer != "" {
		e, err := store.Reader().EmployerByName(ctx, *employer)
		if err != nil {
			return fmt.Errorf("purge: %w", err)
		}
		opt.EmployerID = e.ID
		fmt.Fprintf(out, "Employer %s only.\n", e.Name)
	}
	res, err := store.Purge(ctx, opt)
	if err != nil {
		return err
	}
	printPurge(out, res)
	return nil
}

// printPurge tells in plain words what a purge removed or would remove.
func printPurge(out io.Writer, r storage.PurgeResult) {
	fmt.Fprintf(out, "The rule: absence data is kept for %s after an employee's last day of employment.\nEmployees who left before %s and have no current or later contract are past that.\n",
		purgeCount(int64(r.KeepYears), "year", "years"), r.Cutoff.Format(time.DateOnly))
	switch {
	case r.Employees == 0:
		fmt.Fprintln(out, "No employee left that long ago: there is nothing to remove.")
	default:
		verb := "Removed"
		if r.DryRun {
			verb = "A purge would remove"
		}
		fmt.Fprintf(out, "%s the data of %s:\n", verb, purgeCount(r.Employees, "employee", "employees"))
		fmt.Fprintf(out, "  %s (with %s of full or partial absence)\n", purgeCount(r.Cases, "absence case", "absence cases"), purgeCount(r.Segments, "period", "periods"))
		fmt.Fprintf(out, "  %s\n", purgeCount(r.Interventions, "intervention", "interventions"))
		fmt.Fprintf(out, "  %s\n", purgeCount(r.Milestones, "Poortwachter milestone", "Poortwachter milestones"))
		fmt.Fprintf(out, "  %s\n", purgeCount(r.Employments, "employment record", "employment records"))
	}
	if r.WithoutEmployment > 0 {
		fmt.Fprintf(out, "Note: %s absence data but no employment on record. That data is kept, because when they\nleft is unknown; import the employment file so the retention rule can apply to them.\n",
			purgeCount(r.WithoutEmployment, "employee has", "employees have"))
	}
	if r.DryRun {
		fmt.Fprintln(out, "Dry run: nothing was removed. Run without --dry-run to remove it.")
		return
	}
	fmt.Fprintf(out, "Logged in the import history as number %d.\n", r.PurgeID)
	if r.Employees > 0 {
		fmt.Fprintln(out, "Exports made before now still hold the removed data: make them again ('absence export') and\ndelete other copies.")
	}
}

func purgeCount(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// osUserName is who ran the command, for the logs.
func osUserName() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if name := os.Getenv("USER"); name != "" {
		return name
	}
	return "unknown"
}
