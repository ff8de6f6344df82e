package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/verzuim/absence/ingest/storage"
)

const lookupUsage = `usage: absence lookup [--config FILE] [--db FILE] [--employer NAME] PERSONNEL_NUMBER
Prints the pseudonym the personnel number has in the database (and on the Poortwachter worklist): the import's keyed pseudonymisation, with the employer's salt. Without --employer: the default employer.`

// runLookup prints the pseudonym of a personnel number (lookupUsage).
func runLookup(args []string) error {
	fs := flag.NewFlagSet("lookup", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprintln(fs.Output(), lookupUsage); fs.PrintDefaults() }
	settings := addConfigFlags(fs)
	employer := fs.String("employer", "", "the employer whose personnel number it is (default: the default employer)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	number := strings.TrimSpace(fs.Arg(0))
	if fs.NArg() != 1 || number == "" {
		return errors.New(lookupUsage)
	}
	cfg, err := settings.load()
	if err != nil {
		return err
	}
	ctx := context.Background()
	store, err := openStore(ctx, cfg, false)
	if errors.Is(err, storage.ErrDatabaseInUse) {
		return fmt.Errorf("the dashboard holds the database %s: look the number up there (Poortwachter › Pseudoniem opzoeken), or stop the server", cfg.Database)
	}
	if err != nil {
		return err
	}
	defer store.Close()
	e, err := store.Reader().EmployerByName(ctx, cmp.Or(strings.TrimSpace(*employer), storage.DefaultEmployer))
	if err != nil {
		return err
	}
	pseudonym, err := store.EmployerPseudonym(ctx, e.ID, number)
	if err != nil {
		return err
	}
	fmt.Println(pseudonym)
	return nil
}
