package dashboard

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/datasets/speed"
	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/inbox"
	"github.com/verzuim/absence/ingest/storage"
)

// The scale benchmark (issue 12): a generated provider's clients imported
// through the inbox, one folder per employer, then served. In one run,
// interleaved, medians of the rounds: an employer's HR pages on the
// provider's database against the same pages on a database holding only
// that employer; the provider's client overview cold and warm; and the
// overview's Poortwachter deadlines read per client (as before) against
// one pass per extract date. The full run is behind the build tag "scale"
// (scale_full_test.go); TestScaleMachinery runs it on a handful of
// employers.

// scaleConfig sizes a run.
type scaleConfig struct {
	employers, minSize, maxSize int
	rounds                      int
	seed                        uint64
	// subjects: which employers get the one-employer comparison, as
	// indexes into the clients sorted by size (0 the smallest, -1 the
	// largest).
	subjects []int
	// dir, when set, holds the run's files and keeps them afterwards;
	// otherwise a temp folder. A dir that holds a run's databases already
	// is measured again without generating and importing (the import is
	// then not measured).
	dir string
}

// scaleResult is what a run measured.
type scaleResult struct {
	cfg                      scaleConfig
	employees                int
	extracts                 int // distinct extract dates
	importTotal              time.Duration
	importFiles              int
	importPeakRSS            int64 // bytes; 0 where the kernel cannot tell
	pages                    []pageRatio
	clientsCold, clientsWarm time.Duration
	perClient, onePass       time.Duration // the overview's deadlines
	perClientQ, onePassQ     int64         // queries each issued
}

// pageRatio is one employer's page on the provider's database against a
// database holding only that employer, medians of cold loads.
type pageRatio struct {
	employer        string
	employees       int
	page            string
	provider, alone time.Duration
}

func (p pageRatio) ratio() float64 { return p.provider.Seconds() / p.alone.Seconds() }

// runScale generates, imports, serves and measures.
func runScale(t testing.TB, cfg scaleConfig) scaleResult {
	t.Helper()
	dir := cfg.dir
	if dir == "" {
		dir = t.TempDir()
	}
	res := scaleResult{cfg: cfg}
	clients := datasets.ProviderClients(cfg.employers, cfg.minSize, cfg.maxSize, 3, testExtract, cfg.seed)
	extracts := map[time.Time]bool{}
	for _, c := range clients {
		extracts[c.ExtractDate] = true
	}
	res.extracts = len(extracts)
	_, err := os.Stat(filepath.Join(dir, "provider.duckdb"))
	reuse := err == nil
	inboxDir := filepath.Join(dir, "inbox")
	if !reuse {
		exportScale(t, inboxDir, cfg, clients)
	}
	return scaleClients(t, cfg, dir, clients, reuse, res)
}

// exportScale writes each client's exports into its inbox folder, named
// and dated as the inbox imports them.
func exportScale(t testing.TB, inboxDir string, cfg scaleConfig, clients []datasets.Employer) {
	t.Helper()
	if _, err := datasets.ExportEmployers(inboxDir, datasets.Config{Seed: cfg.seed}, clients, datasets.FormatNative); err != nil {
		t.Fatal(err)
	}
	for _, c := range clients {
		folder := filepath.Join(inboxDir, c.Name)
		// absence_events.csv holds the periods again, as events.
		if err := os.Remove(filepath.Join(folder, "absence_events.csv")); err != nil {
			t.Fatal(err)
		}
		// The inbox imports in name order, employments first, and takes a
		// file's time as its extract date.
		for i, f := range scaleFiles {
			path := filepath.Join(folder, scaleName(i))
			if err := os.Rename(filepath.Join(folder, f), path); err != nil {
				t.Fatal(err)
			}
			if err := os.Chtimes(path, c.ExtractDate, c.ExtractDate); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// scaleClients continues runScale.
func scaleClients(t testing.TB, cfg scaleConfig, dir string, clients []datasets.Employer, reuse bool, res scaleResult) scaleResult {
	t.Helper()
	ctx := context.Background()
	inboxDir := filepath.Join(dir, "inbox")
	bySize := slices.Clone(clients)
	slices.SortStableFunc(bySize, func(a, b datasets.Employer) int { return a.Employees - b.Employees })
	var subjects []datasets.Employer
	for _, i := range cfg.subjects {
		if i < 0 {
			i += len(bySize)
		}
		subjects = append(subjects, bySize[i])
	}

	// Each subject alone, imported as the inbox would.
	alone := map[string]*Server{}
	aloneURL := map[string]string{}
	for _, e := range subjects {
		store := openScaleStore(t, filepath.Join(dir, "alone-"+strconv.Itoa(len(alone))+".duckdb"))
		if reuse {
			alone[e.Name], aloneURL[e.Name] = scaleServer(t, store, subjects)
			continue
		}
		if _, err := store.AddEmployer(ctx, e.Name); err != nil {
			t.Fatal(err)
		}
		importer := ingest.NewImporter(store, ingest.Config{})
		for i := range scaleFiles {
			if _, err := importer.ImportFile(ctx, filepath.Join(inboxDir, e.Name, scaleName(i)), ingest.ImportOptions{Employer: e.Name, ExtractDate: e.ExtractDate}); err != nil {
				t.Fatal(err)
			}
		}
		alone[e.Name], aloneURL[e.Name] = scaleServer(t, store, subjects)
	}

	// The provider: every client through the inbox.
	store := openScaleStore(t, filepath.Join(dir, "provider.duckdb"))
	if !reuse {
		res = scaleImport(t, store, inboxDir, clients, res)
	}
	if err := store.Reader().QueryRowContext(ctx, `SELECT count(DISTINCT employee_key) FROM employments`).Scan(&res.employees); err != nil {
		t.Fatal(err)
	}
	return scaleServe(t, store, clients, subjects, alone, aloneURL, res)
}

// scaleImport imports the clients through the inbox, one folder each.
func scaleImport(t testing.TB, store *storage.Store, inboxDir string, clients []datasets.Employer, res scaleResult) scaleResult {
	ctx := context.Background()
	for _, c := range clients {
		if _, err := store.AddEmployer(ctx, c.Name); err != nil {
			t.Fatal(err)
		}
	}
	in, err := inbox.New(ingest.NewImporter(store, ingest.Config{}), inbox.Options{Dir: inboxDir})
	if err != nil {
		t.Fatal(err)
	}
	debug.FreeOSMemory() // the peak is then the import's
	resetPeakRSS()
	start := time.Now()
	events, err := in.Run(ctx)
	res.importTotal = time.Since(start)
	res.importPeakRSS = peakRSS() << 10
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range events {
		if ev.Outcome != "imported" {
			t.Fatalf("inbox: %s/%s: %s %s", ev.Employer, ev.File, ev.Outcome, ev.Message)
		}
	}
	if res.importFiles = len(events); res.importFiles != len(clients)*len(scaleFiles) {
		t.Fatalf("the inbox imported %d files, want %d", len(events), len(clients)*len(scaleFiles))
	}
	return res
}

// scaleServe serves the provider's database and measures the pages.
func scaleServe(t testing.TB, store *storage.Store, clients, subjects []datasets.Employer, alone map[string]*Server, aloneURL map[string]string, res scaleResult) scaleResult {
	cfg := res.cfg
	provider, providerURL := scaleServer(t, store, subjects)

	// The same figures on both databases, or the timings compare nothing.
	for _, e := range subjects {
		a := scaleGet(t, alone[e.Name], aloneURL[e.Name]+"/api/v1/kpis", scaleHR(e))
		p := scaleGet(t, provider, providerURL+"/api/v1/kpis", scaleHR(e))
		if !sameJSONFigures(a.body, p.body) {
			t.Fatalf("%s: the KPIs differ between its own database and the provider's:\n%s\n%s", e.Name, a.body, p.body)
		}
	}

	// The pages' rounds first, then the overview's: a page loaded right
	// after the overview's cold computation over every employee paid for
	// it (at 2,000 employers the smallest client's / took 2.15× alone
	// that way, 0.96× without the overview in between).
	pages := map[string][]time.Duration{} // subject|page|db → loads
	for range cfg.rounds {
		for _, e := range subjects {
			for _, page := range []string{"/", "/breakdown"} {
				pages[e.Name+"|"+page+"|provider"] = append(pages[e.Name+"|"+page+"|provider"], scaleGet(t, provider, providerURL+page, scaleHR(e)).took)
				pages[e.Name+"|"+page+"|alone"] = append(pages[e.Name+"|"+page+"|alone"], scaleGet(t, alone[e.Name], aloneURL[e.Name]+page, scaleHR(e)).took)
			}
		}
	}
	var cold, warm []time.Duration
	for range cfg.rounds {
		c := scaleGet(t, provider, providerURL+"/clients", "provider")
		if n := strings.Count(c.body, `<td><a href="`); n < len(clients) {
			t.Fatalf("/clients lists %d rows, want the %d clients", n, len(clients))
		}
		cold = append(cold, c.took)
		warm = append(warm, scaleGetWarm(t, provider, providerURL+"/clients", "provider").took)
	}
	for _, e := range subjects {
		for _, page := range []string{"/", "/breakdown"} {
			res.pages = append(res.pages, pageRatio{employer: e.Name, employees: e.Employees, page: page,
				provider: speed.Median(pages[e.Name+"|"+page+"|provider"]), alone: speed.Median(pages[e.Name+"|"+page+"|alone"])})
		}
	}
	res.clientsCold, res.clientsWarm = speed.Median(cold), speed.Median(warm)
	res.perClient, res.onePass, res.perClientQ, res.onePassQ = compareDeadlines(t, store, clients)
	return res
}

// scaleFiles are the exports of each client, in the order they import.
var scaleFiles = []string{"employments.csv", "absence_periods.csv", "interventions.csv", "milestones.csv"}

// scaleName is the name of scaleFiles[i] in the inbox, which imports in
// name order.
func scaleName(i int) string { return strconv.Itoa(i+1) + "-" + scaleFiles[i] }

func openScaleStore(t testing.TB, path string) *storage.Store {
	t.Helper()
	store, err := storage.Open(context.Background(), path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}

func scaleHR(e datasets.Employer) string { return "hr-" + e.Name }

// scaleServer serves store over real HTTP, with an HR account per subject
// and a provider account, and pages that wait for all their figures.
func scaleServer(t testing.TB, store *storage.Store, subjects []datasets.Employer) (*Server, string) {
	t.Helper()
	accounts, err := OpenAccounts(filepath.Join(t.TempDir(), "users.json"))
	if err != nil {
		t.Fatal(err)
	}
	users := []User{{Name: "provider", Role: RoleProvider, Provider: datasets.DemoProvider}}
	for _, e := range subjects {
		users = append(users, User{Name: scaleHR(e), Role: RoleHR, Employer: e.Name})
	}
	for _, u := range users {
		if err := accounts.PutUser(u, "a-long-test-password"); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := New(store, accounts, Config{WidgetTimeout: time.Hour, QueueTimeout: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	t.Cleanup(srv.Close)
	return srv, ts.URL
}

type scaleAnswer struct {
	took time.Duration
	body string
}

// scaleGet loads a page cold: every cached figure of the server dropped
// (a fresh generation of the same data: a new state of the data would also
// start the server's background work for it, which competes with the page).
func scaleGet(t testing.TB, srv *Server, url, user string) scaleAnswer {
	t.Helper()
	srv.genMu.Lock()
	if srv.current != nil {
		srv.current = newGeneration(srv.current.state)
	}
	srv.genMu.Unlock()
	return scaleGetWarm(t, srv, url, user)
}

func scaleGetWarm(t testing.TB, srv *Server, url, user string) scaleAnswer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	id, _ := srv.sessions.create(user, 0)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: id})
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	if err != nil || resp.StatusCode != http.StatusOK || strings.Contains(string(body), "data-pending") {
		t.Fatalf("%s as %s: HTTP %d, %v, or figures still pending", url, user, resp.StatusCode, err)
	}
	return scaleAnswer{took, string(body)}
}

// compareDeadlines reads the overview's deadlines as it did before (Tracks
// per client) and as it does now (one pass per extract date), asserts the
// counts agree, and returns the times and the queries each issued.
func compareDeadlines(t testing.TB, store *storage.Store, clients []datasets.Employer) (perClient, onePass time.Duration, perClientQ, onePassQ int64) {
	t.Helper()
	ctx := context.Background()
	ids, err := store.Reader().EmployerIDs(ctx, namesOf(clients))
	if err != nil {
		t.Fatal(err)
	}
	filter := func(ex time.Time, employers ...int64) analytics.Filter {
		return analytics.Filter{From: ex.AddDate(-1, 0, 1), To: ex, ExtractDate: ex, Employers: employers}
	}
	q := &countingQuerier{Querier: store.Reader()}
	before := map[int64]int64{}
	start := time.Now()
	for i, c := range clients {
		tr, err := analytics.Tracks(ctx, q, filter(c.ExtractDate, ids[i]), analytics.TrackOptions{DeadlineWeeks: 6}, analytics.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(tr.Deadlines); n > 0 {
			before[ids[i]] = int64(n)
		}
	}
	perClient, perClientQ = time.Since(start), q.n.Swap(0)
	byExtract := map[time.Time][]int64{}
	for i, c := range clients {
		byExtract[c.ExtractDate] = append(byExtract[c.ExtractDate], ids[i])
	}
	after := map[int64]int64{}
	start = time.Now()
	for ex, group := range byExtract {
		got, err := analytics.DeadlinesByEmployer(ctx, q, filter(ex, group...), analytics.TrackOptions{DeadlineWeeks: 6}, analytics.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for id, n := range got {
			after[id] = n
		}
	}
	onePass, onePassQ = time.Since(start), q.n.Load()
	if len(before) == 0 || !sameCounts(before, after) {
		t.Fatalf("deadlines per client %v, in one pass %v", before, after)
	}
	return perClient, onePass, perClientQ, onePassQ
}

func sameCounts(a, b map[int64]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// sameJSONFigures compares two JSON answers, numbers up to rounding.
func sameJSONFigures(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return cmp.Equal(x, y, cmpopts.EquateApprox(1e-12, 0))
}

func namesOf(list []datasets.Employer) []string {
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = e.Name
	}
	return out
}

// countingQuerier counts the queries analytics issues.
type countingQuerier struct {
	analytics.Querier
	n atomic.Int64
}

func (q *countingQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q.n.Add(1)
	return q.Querier.QueryContext(ctx, query, args...)
}

func (q *countingQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	q.n.Add(1)
	return q.Querier.QueryRowContext(ctx, query, args...)
}

// markdown is the run as a table for the README.
func (r scaleResult) markdown() string {
	var b strings.Builder
	ms := func(d time.Duration) string { return strconv.FormatFloat(d.Seconds()*1000, 'f', 0, 64) + " ms" }
	fmt.Fprintf(&b, "%d employers of %d–%d employees (log-uniform, seed %d), %d employees in all, %d extract dates; medians of %d interleaved rounds, cold = every cached figure dropped.\n\n",
		r.cfg.employers, r.cfg.minSize, r.cfg.maxSize, r.cfg.seed, r.employees, r.extracts, r.cfg.rounds)
	b.WriteString("| Measure | Provider database | Alone / before | Ratio |\n|---|---|---|---|\n")
	for _, p := range r.pages {
		fmt.Fprintf(&b, "| HR page `%s` of %s (%d employees), cold, vs a database of that employer only | %s | %s | %.2f× |\n",
			p.page, p.employer, p.employees, ms(p.provider), ms(p.alone), p.ratio())
	}
	fmt.Fprintf(&b, "| Client overview `/clients` as the provider, cold / warm | %s / %s | – | – |\n", ms(r.clientsCold), ms(r.clientsWarm))
	fmt.Fprintf(&b, "| Its Poortwachter deadlines: one pass per extract date vs per client (queries) | %s (%d) | %s (%d) | %.2f× |\n",
		ms(r.onePass), r.onePassQ, ms(r.perClient), r.perClientQ, r.onePass.Seconds()/r.perClient.Seconds())
	rss := "–"
	if r.importPeakRSS > 0 {
		rss = fmt.Sprintf("%d MB", r.importPeakRSS>>20)
	}
	if r.importFiles == 0 {
		b.WriteString("| Inbox import | not measured: the databases of an earlier run were measured again | – | – |\n")
		return b.String()
	}
	fmt.Fprintf(&b, "| Inbox import: %d files, total / per employer / peak RSS | %s / %s / %s | – | – |\n",
		r.importFiles, r.importTotal.Round(time.Second), ms(r.importTotal/time.Duration(r.cfg.employers)), rss)
	return b.String()
}

// The scale benchmark's machinery on a handful of employers: it imports
// through the inbox, serves both databases, compares the same figures,
// and measures a finite ratio for each page.
func TestScaleMachinery(t *testing.T) {
	r := runScale(t, scaleConfig{employers: 3, minSize: 50, maxSize: 80, rounds: 1, seed: 12, subjects: []int{0}})
	if len(r.pages) != 2 {
		t.Fatalf("%d page comparisons, want 2", len(r.pages))
	}
	for _, p := range r.pages {
		if x := p.ratio(); math.IsNaN(x) || math.IsInf(x, 0) || x <= 0 {
			t.Errorf("%s %s: ratio %v", p.employer, p.page, x)
		}
	}
	// One pass costs a few queries per extract date, however many clients
	// share it; per client at least one query each.
	if r.onePassQ > 3*int64(r.extracts) || r.perClientQ < int64(r.cfg.employers) {
		t.Errorf("%d clients, %d extract dates: one pass issued %d queries, per client %d", r.cfg.employers, r.extracts, r.onePassQ, r.perClientQ)
	}
	table := r.markdown()
	if strings.Count(table, "\n| ") != 6 {
		t.Errorf("the table has not the 6 rows of 2 pages, the overview, its deadlines and the import:\n%s", table)
	}
	t.Log("\n" + table)
}
