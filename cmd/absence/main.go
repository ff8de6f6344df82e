// Command absence imports HR and payroll absence exports into a DuckDB file,
// computes the Dutch absence statistics and serves them as a dashboard.
//
//	absence demo                      generate a sample organisation, import it and serve the dashboard
//	absence import [--db FILE] [--profile NAME|FILE] [--dry-run] [--strict] [--allow-shrink] [--rejects FILE] FILE...
//	absence imports list | undo N     the import history; undo an import
//	absence employers [add NAME]      the employers (client organisations) data is imported for
//	absence report --from D --to D [--by DIM] [--format table|csv|json]
//	absence report survival|outcomes|progression|tracks|interventions|frequent-to-long [flags]
//	absence report pack --month YYYY-MM [--employer E] [--department D] --out FILE.pdf|FILE.xlsx
//	absence serve [--config FILE] [--inbox DIR --schedule CRON --watch]
//	absence user add | config check | purge | export | generate | profiles
package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"

	"github.com/duckdb/duckdb-go/v2"
)

// exitRejected is the exit code of an import that landed but rejected rows,
// so a nightly job can tell "done, with remarks" from "done" and "failed".
const exitRejected = 3

type command struct {
	name, summary string
	run           func(args []string) error
}

func commands() []command {
	return []command{
		{"import", "import absence, employment or intervention exports into the database", runImport},
		{"employers", "list the employers ('employers'), or add one ('employers add NAME') to import a client organisation's files for", runEmployers},
		{"imports", "list the import history ('imports list') or undo an import ('imports undo N')", runImports},
		{"report", "print the absence statistics; 'report survival|outcomes|progression|tracks|interventions|frequent-to-long' for the outcomes", runReports},
		{"generate", "write a synthetic organisation's exports (for trying things out)", runGenerate},
		{"demo", "generate a sample organisation, import it into a local database and serve the dashboard", runDemo},
		{"serve", "serve the dashboard (and imports through it) for a database", runServe},
		{"user", "add dashboard accounts", runUser},
		{"lookup", "print the pseudonym of a personnel number, as the Poortwachter worklist shows it", runLookup},
		{"config", "check the configuration file and print the effective settings", runConfig},
		{"purge", "remove absence data kept longer than the retention period allows", runPurge},
		{"export", "write the database as Hive-partitioned Parquet files", runExport},
		{"profiles", "list the built-in mapping profiles", runProfiles},
	}
}

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: logLevel(slog.LevelWarn)})))
	if len(os.Args) < 2 || os.Args[1] == "help" || os.Args[1] == "-h" || os.Args[1] == "--help" {
		usage()
		return
	}
	for _, c := range commands() {
		if c.name == os.Args[1] {
			err := c.run(os.Args[2:])
			var exit exitError
			switch {
			case errors.Is(err, flag.ErrHelp):
			case errors.As(err, &exit):
				os.Exit(exit.code)
			case err != nil:
				fmt.Fprintln(os.Stderr, "absence:", userMessage(err))
				os.Exit(1)
			}
			return
		}
	}
	fmt.Fprintf(os.Stderr, "absence: unknown command %q\n\n", os.Args[1])
	usage()
	os.Exit(2)
}

// userMessage is err as the command's user reads it. DuckDB running out of
// its memory says which setting to change instead of DuckDB's advice on SQL
// settings, which goes to the log (ABSENCE_LOG=debug).
func userMessage(err error) string {
	var db *duckdb.Error
	if !errors.As(err, &db) || db.Type != duckdb.ErrorTypeOutOfMemory {
		return err.Error()
	}
	slog.Debug("out of memory", "error", err)
	where, _, _ := strings.Cut(err.Error(), db.Error())
	return where + "not enough memory: the database needed more than its memory_limit ([performance] in the configuration; 1GB unless set there); raise memory_limit, or lower threads, and run it again"
}

// logLevel is ABSENCE_LOG (debug shows every import step with its duration),
// or def.
func logLevel(def slog.Level) slog.Level {
	level := def
	if v := os.Getenv("ABSENCE_LOG"); v != "" {
		level.UnmarshalText([]byte(v))
	}
	return level
}

func usage() {
	fmt.Fprintln(os.Stderr, "Usage: absence <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(os.Stderr, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(os.Stderr, "\nRun 'absence <command> -h' for a command's flags.")
}

// runReports sends 'report survival ...' and the other outcome reports to
// their command, and the standard statistics to runReport.
func runReports(args []string) error {
	if len(args) > 0 {
		if args[0] == "pack" {
			return runReportPack(args[1:])
		}
		if slices.Contains(outcomeKinds, args[0]) {
			return runOutcomeReport(args[0], args[1:])
		}
	}
	return runReport(args)
}

// exitError ends the program with a code after its message was printed.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }
