package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"time"

	"github.com/verzuim/absence/ingest"
)

// runPurge removes the data of employees past the retention period:
//
//	absence purge [--config FILE] [--db FILE] [--keep-years 2] [--dry-run]
func runPurge(args []string) error { return purgeCommand(args, os.Stdout) }

func purgeCommand(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("purge", flag.ContinueOnError)
	configPath := fs.String("config", "", "configuration file (default $ABSENCE_CONFIG)")
	db := fs.String("db", "", "database file (overrides the configuration; default "+defaultDB+")")
	keep := fs.Int("keep-years", ingest.DefaultKeepYears, "years to keep absence data after an employee's last day of employment (overrides retention.keep_years of the configuration; AP guideline: 2, Ziektewet eigenrisicodragers: 5)")
	dryRun := fs.Bool("dry-run", false, "show what would be removed, but remove nothing")
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
	cfg, err := loadConfig(*configPath)
	if err != nil {
		return err
	}
	if *db != "" {
		cfg.Database = *db
	}
	keepYears, from := cfg.Retention.KeepYears, "retention.keep_years in the configuration"
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "keep-years" {
			keepYears, from = *keep, "--keep-years"
		}
	})
	if keepYears < 1 {
		return fmt.Errorf("purge: %s is %d: give a number of years, 1 or more", from, keepYears)
	}
	ctx := context.Background()
	store, err := openConfiguredStore(ctx, cfg)
	if err != nil {
		return fmt.Errorf("purge: %w", err)
	}
	defer store.Close()
	res, err := store.Purge(ctx, ingest.PurgeOptions{KeepYears: keepYears, DryRun: *dryRun, By: "cli:" + osUserName()})
	if err != nil {
		return err
	}
	printPurge(out, res)
	return nil
}

// printPurge tells in plain words what a purge removed or would remove.
func printPurge(out io.Writer, r ingest.PurgeResult) {
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

// openConfiguredStore opens the configured database with the configured
// pseudonymisation key. A database path that does not exist is refused:
// opening it would quietly create an empty database (and a new key) instead.
func openConfiguredStore(ctx context.Context, cfg config) (*ingest.Store, error) {
	if _, err := os.Stat(cfg.Database); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("there is no database %s; name it with --db or in the configuration", cfg.Database)
	}
	key, err := cfg.pseudonymKey()
	if err != nil {
		return nil, err
	}
	return ingest.Open(ctx, cfg.Database, cfg.storeOptions(key))
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
