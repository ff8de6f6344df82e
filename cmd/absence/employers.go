package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/verzuim/absence/ingest/storage"
)

const employersUsage = `Usage:
  absence employers [list] [--db FILE]     the employers, with their employees, cases and latest import
  absence employers add [--db FILE] NAME   add an employer (a client organisation), to import for with --employer NAME

Both take --config FILE. An organisation that imports only its own data never needs an employer:
imports without --employer go to the default employer.`

// runEmployers lists and adds employers.
func runEmployers(args []string) error { return employersCommand(args, os.Stdout) }

func employersCommand(args []string, out io.Writer) error {
	sub := "list"
	if len(args) > 0 && (args[0] == "list" || args[0] == "add") {
		sub, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("employers "+sub, flag.ContinueOnError)
	settings := addConfigFlags(fs)
	fs.Usage = func() { fmt.Fprintln(fs.Output(), employersUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case sub == "list" && fs.NArg() > 0:
		return fmt.Errorf("employers: unexpected arguments %q\n%s", fs.Args(), employersUsage)
	case sub == "add" && fs.NArg() != 1:
		return errors.New("employers add: name one employer, e.g. absence employers add \"Bakkerij Jansen\"")
	}
	cfg, err := settings.load()
	if err != nil {
		return err
	}
	ctx := context.Background()
	store, err := openStore(ctx, cfg, sub == "add")
	if errors.Is(err, storage.ErrDatabaseInUse) {
		return fmt.Errorf("%w\nStop 'absence serve' to manage employers", err)
	}
	if err != nil {
		return err
	}
	defer store.Close()
	if sub == "add" {
		e, err := store.AddEmployer(ctx, fs.Arg(0))
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "Added employer %q (id %d). Import its files with: absence import --employer %q FILE...\n", e.Name, e.ID, e.Name)
		return nil
	}
	list, err := store.Reader().EmployerSummaries(ctx)
	if err != nil {
		return err
	}
	printEmployers(out, list)
	return nil
}

func printEmployers(out io.Writer, list []storage.EmployerSummary) {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "id\tname\temployees\tabsence cases\tlast import\textract date")
	for _, e := range list {
		last, extract := "-", "-"
		if !e.LastImport.IsZero() {
			last = e.LastImport.Format("2006-01-02 15:04")
		}
		if !e.ExtractDate.IsZero() {
			extract = e.ExtractDate.Format("2006-01-02")
		}
		fmt.Fprintf(w, "%d\t%s\t%d\t%d\t%s\t%s\n", e.ID, e.Name, e.Employees, e.Cases, last, extract)
	}
	w.Flush()
}
