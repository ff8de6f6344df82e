package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/verzuim/absence/ingest/storage"
)

// runExport writes the database's tables as files other tools read:
//
//	absence export --format parquet --out DIR [--config FILE] [--db FILE]
func runExport(args []string) error { return exportCommand(args, os.Stdout) }

func exportCommand(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	settings := addConfigFlags(fs)
	format := fs.String("format", "parquet", "file format (only parquet for now)")
	dir := fs.String("out", "", "folder to write to: one sub-folder per table; an earlier export there is replaced")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: absence export --format parquet --out DIR [flags]\n\nWrites every table as Parquet, partitioned by year, for DuckDB, Spark or Trino.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("export: unexpected arguments %q", fs.Args())
	}
	if *format != "parquet" {
		return fmt.Errorf("export: format %q is not supported; only parquet is, for now (--format parquet)", *format)
	}
	if *dir == "" {
		fs.Usage()
		return fmt.Errorf("export: name the folder to write to with --out DIR")
	}
	cfg, err := settings.load()
	if err != nil {
		return err
	}
	ctx := context.Background()
	store, err := openStore(ctx, cfg, false)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer store.Close()
	res, err := store.ExportParquet(ctx, *dir)
	if err != nil {
		return err
	}
	printExport(out, res)
	return nil
}

func printExport(out io.Writer, res storage.ExportResult) {
	fmt.Fprintf(out, "Exported to %s in %s (Parquet, one folder per table):\n", res.Dir, res.Took.Round(time.Millisecond))
	var rows int64
	var files int
	for _, t := range res.Tables {
		rows += t.Rows
		files += t.Files
		fmt.Fprintf(out, "  %-14s %10d rows in %4s", t.Name, t.Rows, purgeCount(int64(t.Files), "file", "files"))
		switch {
		case len(t.Years) == 1:
			fmt.Fprintf(out, ", by year of %s (%d)", t.YearOf, t.Years[0])
		case len(t.Years) > 1:
			fmt.Fprintf(out, ", by year of %s (%d years, %d–%d)", t.YearOf, len(t.Years), t.Years[0], t.Years[len(t.Years)-1])
		case t.YearOf != "":
			fmt.Fprintf(out, ", by year of %s (no rows yet)", t.YearOf)
		}
		fmt.Fprintln(out)
	}
	fmt.Fprintf(out, "Total: %d rows in %d files.\n", rows, files)
	fmt.Fprintf(out, "Read them with DuckDB, Spark or Trino, e.g. in DuckDB:\n  SELECT * FROM read_parquet('%s', hive_partitioning = true);\n",
		filepath.Join(res.Dir, "absence_cases", "**", "*.parquet"))
	fmt.Fprintln(out, "The files hold what the database holds: pseudonymised health data, without the pseudonymisation key.\nKeep them as safe as the database, and export again after a purge.")
}
