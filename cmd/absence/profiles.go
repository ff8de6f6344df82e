package main

import (
	"flag"
	"fmt"

	"github.com/verzuim/absence/ingest"
)

func runProfiles(args []string) error {
	fs := flag.NewFlagSet("profiles", flag.ContinueOnError)
	if err := fs.Parse(args); err != nil {
		return err
	}
	profiles, err := ingest.BuiltinProfiles()
	if err != nil {
		return err
	}
	for _, p := range profiles {
		fmt.Printf("%-22s %-12s %s\n", p.Name, p.Kind, p.Description)
	}
	return nil
}
