package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// openStore opens the configured database with the configured
// pseudonymisation key. Unless create, a database path that does not exist
// is refused: opening it would quietly create an empty database (and a new
// key) instead.
func openStore(ctx context.Context, cfg config, create bool) (*storage.Store, error) {
	if _, err := os.Stat(cfg.Database); !create && errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("there is no database %s; name it with --db or in the configuration", cfg.Database)
	}
	key, err := cfg.pseudonymKey()
	if err != nil {
		return nil, err
	}
	return storage.Open(ctx, cfg.Database, storage.Options{PseudonymKey: key, MemoryLimit: cfg.Performance.MemoryLimit, Threads: cfg.Performance.Threads})
}

// openForReport opens the configured database for a report, which only
// reads it.
func openForReport(ctx context.Context, cfg config, name string) (*storage.Store, error) {
	if _, err := os.Stat(cfg.Database); err != nil {
		return nil, fmt.Errorf("%s: no database %s: import your exports first (absence import --db %s FILE...)", name, cfg.Database, cfg.Database)
	}
	return openStore(ctx, cfg, false)
}

// flagGiven reports whether the flag was set on the command line.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// importer imports into store with the configured limits and shrink guard.
func (c config) importer(store *storage.Store) *ingest.Importer {
	return ingest.NewImporter(store, ingest.Config{Limits: c.Import.Limits, MaxShrink: c.Import.MaxShrink})
}

// analyticsOptions are the thresholds and settings the dashboard computes
// every figure with; the reports start from the same.
func (c config) analyticsOptions() analytics.Options {
	return analytics.Options{MinEmployees: c.Suppression.MinEmployees, MinCases: c.Suppression.MinCases,
		RelapseIndexDays: c.Outcomes.RelapseIndexDays, Cost: c.Cost.rates()}
}

// reportOptions are the dashboard's options with a report's
// --min-employees and --min-cases (0: not given). Without the flags a report
// hides exactly what the dashboard hides with the same configuration. An
// operator may still give a lower threshold on purpose (never below the
// floor of 5 the analytics enforce, and scripts of earlier releases pass
// --min-employees 5); the report then says so on standard error.
func (c config) reportOptions(minEmployees, minCases int) analytics.Options {
	opt := c.analyticsOptions()
	for _, t := range []struct {
		flag, setting string
		given         int
		into          *int
		configured    int
	}{
		{"--min-employees", "suppression.min_employees", minEmployees, &opt.MinEmployees, or(c.Suppression.MinEmployees, analytics.DefaultMinEmployees)},
		{"--min-cases", "suppression.min_cases", minCases, &opt.MinCases, or(c.Suppression.MinCases, analytics.DefaultMinCases)},
	} {
		if t.given == 0 {
			continue
		}
		*t.into = t.given
		if t.given < t.configured {
			fmt.Fprintf(os.Stderr, "note: %s %d is below the configured %d (%s): this report may show groups the dashboard hides\n", t.flag, t.given, t.configured, t.setting)
		}
	}
	return opt
}
