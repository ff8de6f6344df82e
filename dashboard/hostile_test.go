package dashboard

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/verzuim/absence/ingest"
)

// hostileNames are names an export could carry that break out of a page's
// HTML, attribute, script or URL context, or of a spreadsheet cell. Their
// scripts would set window.pwned; their markup carries ids a test looks for.
var hostileNames = []string{
	`</script><script>window.pwned=1</script>`,
	`"><img id=injected-img src=x onerror=window.pwned=1>`,
	`</script><meta id=injected-meta http-equiv=refresh content=0;url=https://example.invalid/>`,
	`'); window.pwned=1;//`,
	"Zorg\u2028en\u2029Welzijn",
	`javascript:window.pwned=1`,
	`=HYPERLINK("https://example.invalid","klik")`,
	`__f__window.pwned=1__f__`, // go-echarts' marker for raw JavaScript
	`<b id="injected-b">vet</b> &amp; &lt;`,
}

// hostileSite is a test site whose employment export names its largest
// departments, their teams and the locations with hostileNames.
func hostileSite(t testing.TB) *testSite {
	return newTestSiteFrom(t, 800, func(t testing.TB, dir string) {
		path := filepath.Join(dir, "employments.csv")
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		col := func(name string) int { return slices.Index(rows[0], name) }
		dept, team, loc := col("department"), col("team"), col("location")
		size := map[string]int{}
		for _, r := range rows[1:] {
			size[r[dept]]++
		}
		var depts []string
		for d := range size {
			depts = append(depts, d)
		}
		slices.SortFunc(depts, func(a, b string) int { return size[b] - size[a] })
		rename := func(names map[string]string, old string, offset int) string {
			if n, ok := names[old]; ok {
				return n
			}
			names[old] = hostileNames[(len(names)+offset)%len(hostileNames)]
			return names[old]
		}
		deptNames, locNames := map[string]string{}, map[string]string{}
		for i, d := range depts[:min(len(depts), len(hostileNames))] {
			deptNames[d] = hostileNames[i]
		}
		teamNames := map[string]map[string]string{}
		for _, r := range rows[1:] {
			if teamNames[r[dept]] == nil {
				teamNames[r[dept]] = map[string]string{}
			}
			r[team] = rename(teamNames[r[dept]], r[team], 1)
			r[loc] = rename(locNames, r[loc], 3)
			if n, ok := deptNames[r[dept]]; ok {
				r[dept] = n
			}
		}
		out, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		w := csv.NewWriter(out)
		w.WriteAll(rows)
		if err := w.Error(); err != nil {
			t.Fatal(err)
		}
		out.Close()
	})
}

// formulaCells counts the cells of a CSV that hold the hostile formula name
// as it is, and neutralised.
func formulaCells(t *testing.T, body string) (raw, neutralised int) {
	t.Helper()
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF")))
	r.Comma = ';' // the Dutch download
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v", err)
	}
	for _, r := range rows {
		for _, c := range r {
			switch {
			case strings.HasPrefix(c, "=HYPERLINK"):
				raw++
			case strings.HasPrefix(c, "'=HYPERLINK"):
				neutralised++
			}
		}
	}
	return raw, neutralised
}

// Names from an export cannot inject anything: not into a spreadsheet that
// opens a download, not into any page, chart or drill-down in a browser.
func TestHostileNames(t *testing.T) {
	site := hostileSite(t)
	var depts []string // the hostile departments the breakdown shows
	for _, d := range site.depts {
		if slices.Contains(hostileNames, d) {
			depts = append(depts, d)
		}
	}
	if len(depts) < len(hostileNames)-1 {
		t.Fatalf("only %d of the hostile departments are shown: %q", len(depts), site.depts)
	}

	t.Run("downloads neutralise formulas", func(t *testing.T) {
		// A milestone export with one good row and one whose date is a formula.
		file := site.milestoneFile(t)
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		first := strings.Split(strings.Split(string(data), "\n")[1], ",")
		data = append(data, fmt.Sprintf("%s,%s,work_plan,=cmd|' /C calc'!A0\n", first[0], first[1])...)
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := site.server.importer.ImportFile(context.Background(), file, ingest.ImportOptions{ExtractDate: testExtract})
		if err != nil || res.Rejected != 1 {
			t.Fatalf("import: %v, %+v", err, res)
		}
		history, err := site.store.Imports(context.Background(), 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/breakdown.csv", "/breakdown.csv?by=team", "/breakdown.csv?by=location", fmt.Sprintf("/imports/%d/rejects.csv", history[0].ID)} {
			code, body := getAs(t, site, "admin", path)
			raw, safe := formulaCells(t, body)
			if strings.Contains(path, "rejects") {
				raw, safe = strings.Count(body, "\n=cmd")+strings.Count(body, ";=cmd"), strings.Count(body, "'=cmd")
			}
			if code != 200 || raw != 0 || safe == 0 {
				t.Errorf("%s: %d, %d cells a spreadsheet runs as a formula, %d neutralised\n%.300s", path, code, raw, safe, body)
			}
			// The XLSX holds the same values as text cells, never formulas.
			path = strings.Replace(path, ".csv", ".xlsx", 1)
			code, body = getAs(t, site, "admin", path)
			f, err := excelize.OpenReader(strings.NewReader(body))
			if code != 200 || err != nil {
				t.Fatalf("%s: %d %v", path, code, err)
			}
			text := 0
			for _, sh := range f.GetSheetList() {
				rows, _ := f.GetRows(sh)
				for y, r := range rows {
					for x, v := range r {
						cell, _ := excelize.CoordinatesToCellName(x+1, y+1)
						if formula, _ := f.GetCellFormula(sh, cell); formula != "" {
							t.Errorf("%s: %s!%s holds formula %q", path, sh, cell, formula)
						}
						if strings.HasPrefix(v, "=HYPERLINK") || strings.HasPrefix(v, "=cmd") {
							text++
						}
					}
				}
			}
			if text == 0 {
				t.Errorf("%s: the hostile values are missing", path)
			}
			f.Close()
		}
	})

	t.Run("pages in a browser", func(t *testing.T) {
		b := newBrowser(t)
		b.login(t, site, "admin")
		type visit struct {
			path   string
			charts []string
		}
		pages := []visit{
			{"/", []string{"trendZVP"}},
			{"/trends", []string{"trendZVP", "trendZMF", "seasonZVP"}},
			{"/breakdown", []string{"breakdownZVP"}},
			{"/breakdown?by=team", []string{"breakdownZVP"}},
			{"/breakdown?by=location", []string{"breakdownZVP"}},
			{"/durations", []string{"durationClasses", "survivalCurve", "progressionMilestones", "cohortGrid"}},
			{"/poortwachter", nil},
			{"/absentees", nil},
			{"/interventions", []string{"outcomeMix", "recoveryFromStart"}},
			{"/imports", nil},
		}
		// Every drill-down: each hostile name through the URL into the filter
		// bar (the same on every page) and the team chart.
		for _, d := range depts {
			pages = append(pages, visit{"/breakdown?by=team&dept=" + url.QueryEscape(d), []string{"breakdownZVP"}})
		}
		for _, pg := range pages {
			b.visitSafely(t, site, pg.path, pg.charts)
		}
	})
}

// visitSafely opens a page and checks that nothing was injected: no node the
// hostile names would create, no script that ran, no script error, every
// chart drawn, still on our own site.
// pageLook is what visitSafely sees of a page.
type pageLook struct {
	Origin, Href    string // where the browser is
	Dept            string // the department the filter shows
	Drawn, Injected []string
	Pwned           bool // an injected script ran
}

func (b *browser) visitSafely(t *testing.T, site *testSite, path string, chartIDs []string) {
	t.Helper()
	ids, _ := json.Marshal(append([]string{}, chartIDs...))
	var seen pageLook
	// One look at the page once its charts are drawn (or 5 s have passed).
	err := chromedp.Do(b.ctx, chromedp.Navigate(site.url+path), chromedp.Sleep(50*time.Millisecond))
	if err == nil {
		seen, err = chromedp.Run(b.ctx, chromedp.Evaluate[pageLook](fmt.Sprintf(`new Promise(resolve => {
			const ids = %s, start = Date.now();
			const drawn = () => ids.filter(id => {
				const el = document.getElementById(id);
				return el && typeof echarts !== 'undefined' && echarts.getInstanceByDom(el) && el.querySelector('canvas');
			});
			(function poll() {
				const d = drawn();
				if (d.length < ids.length && Date.now() - start < 5000) return setTimeout(poll, 100);
				resolve({
					origin: location.origin,
					href: location.href,
					dept: String((document.getElementById('filter-dept') || {}).value),
					drawn: d,
					injected: [
						...document.querySelectorAll('#injected-img, #injected-meta, #injected-b, img[src="x"], meta[http-equiv]'),
						...[...document.scripts].filter(s => s.textContent.trim() === 'window.pwned=1'),
					].map(e => e.outerHTML),
					pwned: window.pwned !== undefined,
				});
			})();
		})`, ids), func(p *runtime.EvaluateParams) { p.AwaitPromise = new(true) }))
	}
	if err != nil { // the page went away under the test (a meta refresh)
		at, _ := chromedp.Run(b.ctx, chromedp.Location())
		t.Errorf("%s: %v; the browser is at %s", path, err, at)
		return
	}
	if seen.Origin != site.url {
		t.Errorf("%s sent the browser to %s", path, seen.Href)
	}
	if len(seen.Drawn) != len(chartIDs) {
		t.Errorf("%s: drew %q of the charts %q", path, seen.Drawn, chartIDs)
	}
	if len(seen.Injected) > 0 {
		t.Errorf("%s: %d injected nodes, the first %q", path, len(seen.Injected), seen.Injected[0])
	}
	if seen.Pwned {
		t.Errorf("%s: an injected script ran", path)
	}
	if errs := b.errors(); len(errs) > 0 {
		t.Errorf("%s: %d script errors, the first %q", path, len(errs), errs[0])
	}
	if q, _ := url.Parse(path); q.Query().Has("dept") && seen.Dept != q.Query().Get("dept") {
		t.Errorf("%s: the filter shows department %q", path, seen.Dept)
	}
}

func getAs(t *testing.T, site *testSite, user, path string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(sessionCookieFor(t, site, user))
	rec := httptest.NewRecorder()
	site.server.Handler().ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}
