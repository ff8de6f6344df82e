package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard"
	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// demoPassword is every demo login's password.
const demoPassword = "demo"

// demoEmployers are the provider's clients in the demo: one large (its size
// --employees) and four small ones.
func demoEmployers(large int) []datasets.Employer {
	return []datasets.Employer{{Name: "Zorggroep Rivierenland", Employees: large}, {Name: "Bakkerij Jansen", Employees: 60},
		{Name: "Transport Van Dijk", Employees: 120}, {Name: "Gemeente Lindendal", Employees: 300}, {Name: "ICT Partners Utrecht", Employees: 200}}
}

// runDemo fills a local database with a provider's client employers,
// generated and imported through the same path as real exports, unless it
// already holds data; then it serves the dashboard with a login for the
// installation admin, HR of each employer and the provider.
func runDemo(args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	db := fs.String("db", defaultDB, "database file")
	employees := fs.Int("employees", 1500, "size of the large client employer (the four small ones have 60–300)")
	seed := fs.Uint64("seed", 1, "random seed of the generated employers")
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

	employers := demoEmployers(*employees)
	summaries, err := store.Reader().EmployerSummaries(ctx)
	if err != nil {
		return err
	}
	if hasData(summaries) {
		fmt.Printf("%s already holds data; using it as it is (delete the file to start over).\n", *db)
	} else if err := importDemoData(ctx, store, employers, *seed); err != nil {
		return err
	}
	abs, _ := filepath.Abs(store.Path)
	fmt.Printf("\nDatabase: %s\n", abs)
	if err := printDemoEmployers(ctx, store); err != nil {
		return err
	}
	logins, err := demoLogins(store, employers)
	if err != nil {
		return err
	}
	fmt.Printf("\nLogins (password %q):\n%s", demoPassword, logins)
	if *noServe {
		return nil
	}
	fmt.Println()
	return serve(ctx, store, *addr, dashboard.Config{DemoLogin: "demo / demo", Analytics: analytics.Options{Cost: demoCost}})
}

func hasData(summaries []storage.EmployerSummary) bool {
	for _, e := range summaries {
		if e.Cases > 0 {
			return true
		}
	}
	return false
}

// importDemoData generates the employers and imports each one's files as
// its own. The data run up to today, so open cases and coming deadlines
// are current.
func importDemoData(ctx context.Context, store *storage.Store, employers []datasets.Employer, seed uint64) error {
	dir, err := os.MkdirTemp("", "absence-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	today := time.Now().UTC().Truncate(24 * time.Hour)
	fmt.Printf("Generating %d client employers of a provider (%s, seed %d) and importing them …\n", len(employers), datasets.DemoProvider, seed)
	if _, err := datasets.ExportEmployers(dir, datasets.Config{Seed: seed, ExtractDate: today}, employers, datasets.FormatNative); err != nil {
		return err
	}
	importer := ingest.NewImporter(store, ingest.Config{})
	for _, e := range employers {
		if _, err := store.AddEmployer(ctx, e.Name); err != nil {
			return err
		}
		// The native export has the absences twice (as periods and as
		// events); one layout is enough. Its milestone dates (some late,
		// some missing) fill the Poortwachter page.
		var files []string
		for _, name := range []string{"employments.csv", "absence_periods.csv", "interventions.csv", "milestones.csv"} {
			files = append(files, filepath.Join(dir, e.Name, name))
		}
		plan, err := ingest.Plan(files, nil, importer.Limits())
		if err != nil {
			return err
		}
		if err := importFiles(ctx, importer, plan, ingest.ImportOptions{ExtractDate: today, Employer: e.Name}, "", io.Discard); err != nil {
			return fmt.Errorf("import %s: %w", e.Name, err)
		}
	}
	return printDemoImports(ctx, store)
}

// printDemoImports says per employer what its imports stored, from the
// import history: the generated files themselves are gone.
func printDemoImports(ctx context.Context, store *storage.Store) error {
	history, err := store.Imports(ctx, 100)
	if err != nil {
		return err
	}
	type tally struct{ files, stored, rejected int64 }
	var names []string
	per := map[string]*tally{}
	for _, r := range history {
		if r.Status != "committed" {
			continue
		}
		if per[r.Employer] == nil {
			per[r.Employer] = &tally{}
			names = append(names, r.Employer)
		}
		per[r.Employer].files++
		per[r.Employer].stored += r.Accepted
		per[r.Employer].rejected += r.Rejected
	}
	slices.Reverse(names) // in the order they were imported
	for _, n := range names {
		t := per[n]
		fmt.Printf("  %-24s %d exports imported: %d rows stored, %d rejected\n", n, t.files, t.stored, t.rejected)
	}
	return nil
}

// printDemoEmployers prints each employer with the figures HR of that
// employer sees on the overview: the same analytics call over the same
// period (the 12 months up to its extract date).
func printDemoEmployers(ctx context.Context, store *storage.Store) error {
	summaries, err := store.Reader().EmployerSummaries(ctx)
	if err != nil {
		return err
	}
	fmt.Println("Employers (the latest 12 months, as the dashboard shows them):")
	for _, e := range summaries {
		if e.Cases == 0 {
			continue
		}
		f := analytics.Filter{From: e.ExtractDate.AddDate(-1, 0, 1), To: e.ExtractDate, Employers: []int64{e.ID}}
		k, err := analytics.KPIs(ctx, store.Reader(), f, analytics.Options{})
		if err != nil {
			return err
		}
		fmt.Printf("  %-24s %5s employees, absence rate %s, %s open cases\n", e.Name, count(k.Total.Employees), percent(k.Total.ZVP), count(k.Total.OpenCases))
	}
	return nil
}

func count(n *int64) string {
	if n == nil {
		return "–"
	}
	return fmt.Sprint(*n)
}

func percent(p *float64) string {
	if p == nil {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", *p)
}

// demoLogins makes the demo's accounts once and describes them: the
// installation admin, HR of each employer, the provider.
func demoLogins(store *storage.Store, employers []datasets.Employer) (string, error) {
	accounts, err := dashboard.OpenAccounts(dashboard.AccountsPath(store.Path))
	if err != nil {
		return "", err
	}
	provider := dashboard.User{Name: "provider", Role: dashboard.RoleProvider, Provider: datasets.DemoProvider}
	users := []dashboard.User{{Name: "demo", Role: dashboard.RoleAdmin}}
	for _, e := range employers {
		provider.Employers = append(provider.Employers, e.Name)
		users = append(users, dashboard.User{Name: "hr-" + strings.ToLower(strings.Fields(e.Name)[0]), Role: dashboard.RoleHR, Employer: e.Name})
	}
	users = append(users, provider)
	var b strings.Builder
	for _, u := range users {
		if _, ok := accounts.User(u.Name); !ok {
			if err := accounts.PutUser(u, demoPassword); err != nil {
				return "", err
			}
		}
		what := "installation admin: every employer, imports"
		switch u.Role {
		case dashboard.RoleProvider:
			what = "provider staff of " + u.Provider + ": the client overview, its own interventions"
		case dashboard.RoleHR:
			what = "HR of " + u.Employer
		}
		fmt.Fprintf(&b, "  %-12s %s\n", u.Name, what)
	}
	return b.String(), nil
}

// demoCost prices the demo's absence, so the overview shows the cost of
// absence and the interventions report their return: € 200 per full-time
// day (a yearly wage cost of about € 73,000 with the employer's charges),
// the legal 100% and 70%, € 40 replacement.
var demoCost = analytics.CostRates{WagePerFTEDay: 200, ReplacementPerFTEDay: 40}
