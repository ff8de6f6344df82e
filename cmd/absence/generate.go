package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/verzuim/absence/datasets"
)

// runGenerate writes a synthetic organisation's exports:
//
//	absence generate [--employees N] [--seed S] [--extract-date YYYY-MM-DD] [--years N] [--format native|afas|visma|all] [--out DIR]
func runGenerate(args []string) error {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	employees := fs.Int("employees", 1000, "persons generated over the whole history")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives byte-identical files")
	extract := fs.String("extract-date", "2026-06-30", "last day of the data (YYYY-MM-DD); cases open on it stay open")
	years := fs.Int("years", 3, "years of history before the extract date")
	format := fs.String("format", "all", "native, afas, visma or all (comma-separated list allowed)")
	out := fs.String("out", "./generated", "directory to write the files to")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("generate: unexpected arguments %q", fs.Args())
	}
	date, err := time.Parse(time.DateOnly, *extract)
	if err != nil {
		return fmt.Errorf("generate: --extract-date: want YYYY-MM-DD, got %q", *extract)
	}
	if *employees <= 0 || *years <= 0 {
		return fmt.Errorf("generate: --employees and --years must be positive")
	}
	began := time.Now()
	sum, err := datasets.Export(*out, datasets.Config{Employees: *employees, Seed: *seed, ExtractDate: date, Years: *years}, *format)
	if err != nil {
		return err
	}
	for _, f := range sum.Files {
		fmt.Fprintf(os.Stdout, "%-50s %10d rows\n", f.Path, f.Rows)
	}
	fmt.Fprintf(os.Stdout, "%d employees, %d cases, %d interventions in %s\n",
		sum.Employees, sum.Cases, sum.Interventions, time.Since(began).Round(time.Millisecond))
	return nil
}
