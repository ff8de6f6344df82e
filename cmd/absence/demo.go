package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/verzuim/absence/dashboard"
	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// runDemo fills a local database with a generated organisation, imported
// through the same path as real exports, unless it already holds data.
func runDemo(args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	db := fs.String("db", defaultDB, "database file")
	employees := fs.Int("employees", 2000, "size of the generated organisation")
	seed := fs.Uint64("seed", 1, "random seed of the generated organisation")
	addr := fs.String("addr", "localhost:8080", "address to serve the dashboard on")
	noServe := fs.Bool("no-serve", false, "only fill the database")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	store, err := storage.Open(ctx, *db, storage.Options{})
	if err != nil {
		return err
	}
	defer store.Close()

	var cases int64
	if err := store.Reader().QueryRowContext(ctx, `SELECT count(*) FROM absence_cases`).Scan(&cases); err != nil {
		return err
	}
	if cases == 0 {
		if err := importDemoData(ctx, store, *employees, *seed); err != nil {
			return err
		}
	} else {
		fmt.Printf("%s already holds data; using it as it is (delete the file to start over)\n", *db)
	}
	if err := printDatabaseSummary(ctx, store); err != nil || *noServe {
		return err
	}
	accounts, err := dashboard.OpenAccounts(dashboard.AccountsPath(store.Path))
	if err != nil {
		return err
	}
	if _, ok := accounts.User("demo"); !ok {
		if err := accounts.Put("demo", "demo", dashboard.RoleAdmin, nil); err != nil {
			return err
		}
	}
	fmt.Println("Log in as demo / demo.")
	return serve(ctx, store, *addr, dashboard.Config{DemoLogin: "demo / demo"})
}

func importDemoData(ctx context.Context, store *storage.Store, employees int, seed uint64) error {
	dir, err := os.MkdirTemp("", "absence-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// The data runs up to today, so open cases and coming deadlines are current.
	today := time.Now().UTC().Truncate(24 * time.Hour)
	cfg := datasets.Config{Employees: employees, Seed: seed, ExtractDate: today}
	fmt.Printf("Generating a sample organisation of %d employees (seed %d) …\n", employees, seed)
	paths, err := datasets.WriteFiles(dir, cfg, "native")
	if err != nil {
		return err
	}
	// The native export has the absences twice (as periods and as events);
	// one layout is enough. Its milestone dates (some late, some missing)
	// fill the on-time rates and overdue lists of the Poortwachter page.
	var files []string
	for _, p := range paths {
		if filepath.Base(p) != "absence_events.csv" {
			files = append(files, p)
		}
	}
	importer := ingest.NewImporter(store, ingest.Config{})
	plan, err := ingest.Plan(files, nil, importer.Limits())
	if err != nil {
		return err
	}
	fmt.Printf("Importing into %s …\n", store.Path)
	return importFiles(ctx, importer, plan, ingest.ImportOptions{ExtractDate: today}, os.Stdout)
}

func printDatabaseSummary(ctx context.Context, store *storage.Store) error {
	var employees, cases, open, interventions, milestones int64
	err := store.Reader().QueryRowContext(ctx, `SELECT
		(SELECT count(DISTINCT employee_id) FROM employments),
		(SELECT count(*) FROM absence_cases),
		(SELECT count(*) FROM absence_cases WHERE recovery_date IS NULL),
		(SELECT count(*) FROM interventions),
		(SELECT count(*) FROM milestones)`).Scan(&employees, &cases, &open, &interventions, &milestones)
	if err != nil {
		return err
	}
	abs, _ := filepath.Abs(store.Path)
	fmt.Printf("\nDatabase %s: %d employees, %d absence cases (%d open), %d interventions, %d milestone dates.\n", abs, employees, cases, open, interventions, milestones)
	return nil
}
