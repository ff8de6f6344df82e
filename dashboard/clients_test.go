package dashboard

import (
	"context"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

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
	if _, err := site.store.AddEmployer(ctx, client); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := datasets.WriteFiles(dir, datasets.Config{Employees: 400, Seed: 9, ExtractDate: extractB}, "native"); err != nil {
		t.Fatal(err)
	}
	importer := ingest.NewImporter(site.store, ingest.Config{})
	for _, name := range []string{"employments.csv", "absence_periods.csv", "interventions.csv", "milestones.csv"} {
		src, err := ingest.Inspect(filepath.Join(dir, name), nil, importer.Limits())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := importer.Import(ctx, src, ingest.ImportOptions{ExtractDate: extractB, Employer: client}); err != nil {
			t.Fatal(err)
		}
	}
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
	}{storage.DefaultEmployer: {storage.DefaultEmployerID, "2026-06-30"}, client: {b.ID, extractB.Format("2006-01-02")}} {
		ex := testExtract
		if name == client {
			ex = extractB
		}
		k, err := analytics.KPIs(ctx, site.store.Reader(), analytics.Filter{From: ex.AddDate(-1, 0, 1), To: ex, Employers: []int64{e.id}}, analytics.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if want := widgets.Pct(k.Total.ZVP); shown[name] != want {
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
