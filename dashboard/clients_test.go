package dashboard

import (
	"context"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/widgets"
	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// The client overview lists every employer provider staff serve, each
// with the figures of the 12 months up to its own extract date (here two
// months apart), sortable; ?employer= narrows it to one client, and the
// filter bar offers the clients to choose from. An employer's HR sees
// neither the page nor a selector.
func TestClientOverview(t *testing.T) {
	site := newTestSiteSized(t, 300)
	ctx := context.Background()
	const client = "Klant B"
	extractB := testExtract.AddDate(0, -2, 0)
	addEmployer(t, site, client, 400, 9, extractB)
	b, err := site.store.Reader().EmployerByName(ctx, client)
	if err != nil {
		t.Fatal(err)
	}

	code, body := getAs(t, site, "provider", "/clients")
	if code != http.StatusOK {
		t.Fatalf("/clients: %d\n%s", code, body)
	}
	row := regexp.MustCompile(`(?s)<tr>\s*<td><a href="[^"]*">([^<]*)</a></td>\s*<td>([^<]*)</td>`)
	shown := map[string]string{}
	var order []string
	for _, m := range row.FindAllStringSubmatch(body, -1) {
		shown[m[1]] = m[2]
		order = append(order, m[1])
	}
	for name, e := range map[string]struct {
		id      int64
		extract string
	}{storage.DefaultEmployer: {storage.DefaultEmployerID, "30-06-2026"}, client: {b.ID, widgets.Date("nl", extractB)}} {
		ex := testExtract
		if name == client {
			ex = extractB
		}
		k, err := analytics.KPIs(ctx, site.store.Reader(), analytics.Filter{From: ex.AddDate(-1, 0, 1), To: ex, Employers: []int64{e.id}}, analytics.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if want := widgets.Pct("nl", k.Total.ZVP); shown[name] != want {
			t.Errorf("%s: ZVP %q, want %q (its own 12 months)", name, shown[name], want)
		}
		if !strings.Contains(body, e.extract+" (") {
			t.Errorf("%s: its extract date %s is not shown", name, e.extract)
		}
	}
	if !slices.IsSortedFunc(order, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }) {
		t.Errorf("the clients are not sorted by name: %v", order)
	}
	_, desc := getAs(t, site, "provider", "/clients?sort=name&desc=1")
	if i, j := strings.Index(desc, ">"+client+"<"), strings.Index(desc, ">"+storage.DefaultEmployer+"<"); i < 0 || j < 0 || i > j {
		t.Error("sorted by name descending, Klant B does not come first")
	}
	if _, one := getAs(t, site, "provider", "/clients?employer=Klant+B"); strings.Contains(one, ">"+storage.DefaultEmployer+"<") {
		t.Error("?employer=Klant B still lists the other client")
	}
	if _, page := getAs(t, site, "provider", "/interventions"); !strings.Contains(page, `id="filter-employer"`) || !strings.Contains(page, client) {
		t.Error("the provider's filter bar offers no choice of employer")
	}
	if code, _ := getAs(t, site, "hr", "/clients"); code != http.StatusForbidden {
		t.Errorf("HR opens the client overview: %d", code)
	}
	if _, page := getAs(t, site, "hr", "/"); strings.Contains(page, `id="filter-employer"`) || strings.Contains(page, client) {
		t.Error("HR is offered a choice of employer, or sees another employer's name")
	}
}

// addEmployer adds an employer to the site with generated data of its own,
// and returns the folder of its exports.
func addEmployer(t *testing.T, site *testSite, name string, employees int, seed uint64, extract time.Time) string {
	t.Helper()
	ctx := context.Background()
	if _, err := site.store.AddEmployer(ctx, name); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := datasets.WriteFiles(dir, datasets.Config{Employees: employees, Seed: seed, ExtractDate: extract}, "native"); err != nil {
		t.Fatal(err)
	}
	importer := ingest.NewImporter(site.store, ingest.Config{})
	for _, file := range []string{"employments.csv", "absence_periods.csv", "interventions.csv", "milestones.csv"} {
		src, err := ingest.Inspect(filepath.Join(dir, file), nil, importer.Limits())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := importer.Import(ctx, src, ingest.ImportOptions{ExtractDate: extract, Employer: name}); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// The benchmark holds one employer against the provider's pool, shown
// only when it pools at least five employers, and the CBS rate; the pool's
// figure is analytics' PooledKPIs over every employer served.
func TestClientBenchmarkPoolsFiveEmployers(t *testing.T) {
	site := newTestSiteSized(t, 200)
	addEmployer(t, site, "Klant 2", 150, 11, testExtract)
	if _, body := getAs(t, site, "provider", "/benchmark"); !strings.Contains(body, "Kies hierboven een werkgever") {
		t.Error("the benchmark without an employer does not ask for one")
	}
	_, body := getAs(t, site, "provider", "/benchmark?employer=Klant+2")
	if !strings.Contains(body, "te weinig werkgevers (2; minstens 5)") || !strings.Contains(body, "CBS: Nederland") {
		t.Errorf("two employers are pooled, or CBS is missing:\n%s", body)
	}
	for i := 3; i <= 5; i++ {
		addEmployer(t, site, "Klant "+strconv.Itoa(i), 150, uint64(10+i), testExtract)
	}
	deadline := time.Now().Add(time.Minute)
	for getAs(t, site, "provider", "/benchmark?employer=Klant+2"); !swapped(site); getAs(t, site, "provider", "/benchmark?employer=Klant+2") {
		if time.Now().After(deadline) {
			t.Fatal("the figures were not refreshed after the import")
		}
		time.Sleep(50 * time.Millisecond)
	}
	_, body = getAs(t, site, "provider", "/benchmark?employer=Klant+2")
	pool, err := analytics.PooledKPIs(context.Background(), site.store.Reader(), analytics.Filter{From: testExtract.AddDate(-1, 0, 1), To: testExtract}, analytics.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "<td>" + widgets.Pct("nl", pool.KPIs.Total.ZVP) + "</td>"; pool.Suppressed || !strings.Contains(body, want) {
		t.Errorf("the pool of five: want %s (suppressed %v)\n%s", want, pool.Suppressed, body)
	}
}

// Interventions across clients: provider staff see per type and per client
// the numbers of their own organisation's interventions only.
func TestClientInterventionsAreTheProvidersOwn(t *testing.T) {
	site := newTestSiteSized(t, 300)
	_, body := getAs(t, site, "provider", "/client-interventions")
	f := analytics.Filter{From: testExtract.AddDate(-3, 0, 1), To: testExtract}
	all, err := analytics.Interventions(context.Background(), site.store.Reader(), f, analytics.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.Providers = []string{testProvider}
	own, err := analytics.Interventions(context.Background(), site.store.Reader(), f, analytics.Options{})
	if err != nil {
		t.Fatal(err)
	}
	count := func(res analytics.InterventionsResult, typ string) string {
		for _, g := range res.Groups {
			if g.Type == typ && g.Provider == "" && !g.Suppressed {
				return widgets.Count(g.Interventions)
			}
		}
		return ""
	}
	want, other := count(own, "intervention_talk"), count(all, "intervention_talk")
	if want == "" || want == other {
		t.Fatalf("the fixture does not tell the provider's talks (%q) from all (%q)", want, other)
	}
	row := "<td>Alle werkgevers</td><td>Interventiegesprek</td><td>" + want + "</td>"
	if !strings.Contains(body, row) {
		t.Errorf("the provider's own intervention talks (%s) are not shown:\n%s", row, body)
	}
}
