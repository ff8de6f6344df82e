package dashboard

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// browser drives Debian's chromium through chromedp and collects every
// console message, so a test can demand a page without errors.
type browser struct {
	ctx      context.Context
	mu       sync.Mutex
	messages []chromedp.ConsoleMessage
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("the browser tests need Debian's chromium: apt-get install chromium (.ci/run does this)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	b := &browser{ctx: ctx}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.messages = append(b.messages, m)
			b.mu.Unlock()
		}
	}()
	return b
}

// errors returns the console errors and exceptions seen since the last call.
func (b *browser) errors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, m := range b.messages {
		if m.Type == chromedp.ConsoleError || m.IsException() {
			out = append(out, fmt.Sprintf("%s:%d %s", m.URL, m.Line+1, m.Text))
		}
	}
	b.messages = nil
	return out
}

func (b *browser) do(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func eval[T any](t *testing.T, b *browser, js string) T {
	t.Helper()
	awaitPromise := func(p *runtime.EvaluateParams) { p.AwaitPromise = new(true) }
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js, awaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// screenshot saves the page under the test's artifact folder (kept with
// go test -artifacts -outputdir DIR).
func (b *browser) screenshot(t *testing.T, name string) {
	t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100)) // quality 100 gives a PNG
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(t.ArtifactDir(), name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func (b *browser) login(t *testing.T, site *testSite, user string) {
	t.Helper()
	b.do(t, chromedp.Navigate(site.url+"/login"),
		chromedp.SetValue(chromedp.ID("username"), user),
		chromedp.SetValue(chromedp.ID("password"), site.password),
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.CSS("header")))
}

// chartDrawn reports how many non-blank pixels the chart's canvas has, after
// the chart's entry animation.
const chartDrawn = `(() => {
	const c = document.querySelector('#%s canvas');
	if (!c) return -1;
	const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
	let n = 0;
	for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
	return n;
})()`

func TestDashboardInABrowser(t *testing.T) {
	site := newTestSite(t)
	b := newBrowser(t)

	b.login(t, site, "admin")
	pages := []struct {
		path, name string
		charts     []string
	}{
		{"/", "overview", []string{"trendZVP"}},
		{"/trends", "trends", []string{"trendZVP", "trendZMF", "seasonZVP"}},
		{"/absentees", "absentees", nil},
		{"/durations", "durations", []string{"durationClasses", "survivalCurve", "progressionMilestones", "cohortGrid", "caseOutcomes"}},
		{"/poortwachter", "poortwachter", nil},
		{"/interventions", "interventions", []string{"outcomeMix", "recoveryFromStart"}},
	}
	for _, pg := range pages {
		t.Run(pg.name+" loads and draws", func(t *testing.T) {
			b.do(t, chromedp.Navigate(site.url+pg.path), chromedp.WaitVisible(chromedp.CSS("main")))
			for _, id := range pg.charts {
				b.do(t, chromedp.WaitVisible(chromedp.CSS("#"+id+" canvas")))
			}
			b.do(t, chromedp.Sleep(1500*time.Millisecond)) // the charts' entry animation
			for _, id := range pg.charts {
				if n := eval[int](t, b, fmt.Sprintf(chartDrawn, id)); n < 1000 {
					t.Errorf("chart %s has %d drawn pixels", id, n)
				}
			}
			b.screenshot(t, pg.name)
			if errs := b.errors(); len(errs) > 0 {
				t.Errorf("console errors: %v", errs)
			}
		})
	}

	t.Run("overview tiles", func(t *testing.T) {
		b.do(t, chromedp.Navigate(site.url+"/"), chromedp.WaitVisible(chromedp.ID("tile-zvp_pct")))
		zvp := eval[string](t, b, `document.querySelector('#tile-zvp_pct .value').textContent`)
		if !strings.HasSuffix(zvp, "%") || zvp == "–" {
			t.Errorf("ZVP tile shows %q", zvp)
		}
		if def := eval[string](t, b, `document.querySelector('#tile-zvp_pct').title`); !strings.Contains(def, "werkbare dagen") {
			t.Errorf("ZVP tile has no definition on hover: %q", def)
		}
		if bench := eval[string](t, b, `document.querySelector('#tile-zvp_pct .benchmark').textContent`); !strings.Contains(bench, "CBS") {
			t.Errorf("ZVP tile has no sector benchmark: %q", bench)
		}
	})

	t.Run("poortwachter lists the open tracks", func(t *testing.T) {
		b.do(t, chromedp.Navigate(site.url+"/poortwachter"), chromedp.WaitVisible(chromedp.ID("worklist")))
		n := eval[int](t, b, `document.querySelectorAll('#worklist tbody tr[data-status]').length`)
		if n == 0 {
			t.Error("no open Poortwachter tracks in a 1,500-person organisation")
		}
	})

	t.Run("interventions show the landmark comparison with n per arm", func(t *testing.T) {
		b.do(t, chromedp.Navigate(site.url+"/interventions"), chromedp.WaitVisible(chromedp.ID("landmark")))
		rows := eval[[]string](t, b, `[...document.querySelectorAll('#landmark tbody tr')].map(r => r.textContent)`)
		if len(rows) < 2 || !strings.Contains(rows[0], "vóór dag 42") {
			t.Errorf("landmark table rows %q", rows[:min(2, len(rows))])
		}
		relapse := eval[[]string](t, b, `[...document.querySelectorAll('#relapse tbody tr')].map(r => r.textContent)`)
		if len(relapse) != 3 || !strings.Contains(relapse[0], "met werkbalansgesprek") || !strings.Contains(relapse[2], "alle terugkeer") || !strings.Contains(relapse[2], "%") {
			t.Errorf("relapse table rows %q", relapse)
		}
		if def := eval[string](t, b, `document.querySelector('#relapse').previousElementSibling.title`); !strings.Contains(def, "werkbalansgesprek") {
			t.Errorf("relapse has no definition on hover: %q", def)
		}
	})

	t.Run("durations: how cases end adds up to 100% every day, with the long cases", func(t *testing.T) {
		b.do(t, chromedp.Navigate(site.url+"/durations"), chromedp.WaitVisible(chromedp.CSS("#caseOutcomes canvas")))
		// ECharts' own stacking: the top series (still absent) ends at 100
		// on every day of the chart.
		got := eval[[]float64](t, b, `(() => {
			const ch = echarts.getInstanceByDom(document.getElementById('caseOutcomes'));
			const ss = ch.getModel().getSeries();
			const top = ss[ss.length - 1].getData();
			const dim = top.getCalculationInfo('stackResultDimension');
			let worst = 0;
			for (let i = 0; i < top.count(); i++) worst = Math.max(worst, Math.abs(top.get(dim, i) - 100));
			return [ss.length, top.count(), worst];
		})()`)
		if got[0] != 6 || got[1] < 100 || !(got[2] < 0.1) {
			t.Errorf("%v series, %v days, largest distance of the stack from 100%%: %v", got[0], got[1], got[2])
		}
		if def := eval[string](t, b, `document.querySelector('#outcomes h2').title`); !strings.Contains(def, "eigen werkgever") {
			t.Errorf("no definition on hover: %q", def)
		}
		if rows := eval[[]string](t, b, `[...document.querySelectorAll('#long-cases tbody tr')].map(r => r.textContent)`); len(rows) != 1 || !strings.Contains(rows[0], "Totaal") {
			t.Errorf("long cases %q", rows)
		}
		// By department: a chart per department, small ones hidden.
		b.do(t, chromedp.Navigate(site.url+"/durations?by=department"), chromedp.WaitVisible(chromedp.CSS("#caseOutcomes1 canvas")), chromedp.Sleep(1500*time.Millisecond))
		if n := eval[int](t, b, fmt.Sprintf(chartDrawn, "caseOutcomes1")); n < 1000 {
			t.Errorf("the first department's chart has %d drawn pixels", n)
		}
		b.screenshot(t, "durations-outcomes-by-department")
		if errs := b.errors(); len(errs) > 0 {
			t.Errorf("console errors: %v", errs)
		}
	})

	t.Run("frequent absentees: later long absence, against the others", func(t *testing.T) {
		b.do(t, chromedp.Navigate(site.url+"/absentees"), chromedp.WaitVisible(chromedp.ID("frequent-to-long-table")))
		rows := eval[[]string](t, b, `[...document.querySelectorAll('#frequent-to-long-table tbody tr')].map(r => r.textContent)`)
		if len(rows) != 2 || !strings.Contains(rows[0], "Frequent verzuimers") || !strings.Contains(rows[0], "%") {
			t.Errorf("frequent-to-long rows %q", rows)
		}
	})

	t.Run("absentees are pseudonymised", func(t *testing.T) {
		b.do(t, chromedp.Navigate(site.url+"/absentees"), chromedp.WaitVisible(chromedp.ID("absentees")))
		ids := eval[[]string](t, b, `[...document.querySelectorAll('#absentees code')].map(e => e.textContent)`)
		if len(ids) == 0 {
			t.Fatal("no frequent absentees listed")
		}
		for _, id := range ids {
			if len(id) != 20 || strings.HasPrefix(id, "1000") {
				t.Errorf("listed id %q is not a pseudonym", id)
			}
		}
	})

	t.Run("breakdown drills down on click", func(t *testing.T) {
		b.do(t, chromedp.Navigate(site.url+"/breakdown"), chromedp.WaitVisible(chromedp.CSS("#breakdownZVP canvas")), chromedp.Sleep(1500*time.Millisecond))
		if n := eval[int](t, b, fmt.Sprintf(chartDrawn, "breakdownZVP")); n < 1000 {
			t.Errorf("breakdown chart has %d drawn pixels", n)
		}
		b.screenshot(t, "breakdown")
		// Find the first department's bar on screen and click it.
		xy := eval[[]float64](t, b, `(() => {
			const el = document.getElementById('breakdownZVP');
			const ch = echarts.getInstanceByDom(el);
			const data = ch.getOption().series[0].data;
			const i = data.findIndex(d => d.value !== '-');
			const p = ch.convertToPixel({seriesIndex: 0}, [data[i].value / 2, i]);
			const r = el.getBoundingClientRect();
			return [r.left + p[0], r.top + p[1], i];
		})()`)
		want := eval[string](t, b, fmt.Sprintf(`echarts.getInstanceByDom(document.getElementById('breakdownZVP')).getOption().yAxis[0].data[%d]`, int(xy[2])))
		b.do(t, chromedp.MouseClickXY(xy[0], xy[1]), chromedp.WaitVisible(chromedp.CSS("#breakdown-table")))
		loc := eval[string](t, b, `location.search`)
		if !strings.Contains(loc, "by=team") || !strings.Contains(loc, "dept=") {
			t.Errorf("after the click the page is %s", loc)
		}
		if dept := eval[string](t, b, `document.getElementById('filter-dept').value`); dept != want {
			t.Errorf("drilled into %q, clicked %q", dept, want)
		}
		b.screenshot(t, "breakdown-teams")
		if errs := b.errors(); len(errs) > 0 {
			t.Errorf("console errors: %v", errs)
		}
	})

	t.Run("filters survive navigation", func(t *testing.T) { testFiltersSurviveNavigation(t, b, site) })

	t.Run("upload, preview, commit", func(t *testing.T) {
		file := site.milestoneFile(t)
		b.do(t, chromedp.Navigate(site.url+"/imports"),
			chromedp.SetUploadFiles(chromedp.ID("file"), []string{file}),
			chromedp.Click(chromedp.ID("preview-button")),
			chromedp.WaitVisible(chromedp.ID("preview")))
		counts := eval[string](t, b, `document.getElementById('preview-counts').textContent`)
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		rows := strings.Count(strings.TrimSpace(string(data)), "\n") // the header aside
		if want := fmt.Sprintf("Gelezen %d · Geaccepteerd %d · Afgekeurd 0", rows, rows); !strings.Contains(counts, want) {
			t.Errorf("preview counts %q, want %q", counts, want)
		}
		b.screenshot(t, "imports-preview")
		before, _ := site.store.DataVersion(context.Background())
		b.do(t, chromedp.Click(chromedp.ID("commit")), chromedp.WaitVisible(chromedp.ID("import-done")))
		after, _ := site.store.DataVersion(context.Background())
		if after <= before {
			t.Errorf("data version %d → %d: nothing committed", before, after)
		}
		if row := eval[string](t, b, `document.querySelector('#history tbody tr').textContent`); !strings.Contains(row, "milestones.csv") {
			t.Errorf("history's newest row: %q", row)
		}
		b.screenshot(t, "imports-done")
		if errs := b.errors(); len(errs) > 0 {
			t.Errorf("console errors: %v", errs)
		}
	})

	t.Run("a manager cannot reach another unit", func(t *testing.T) {
		b.do(t, chromedp.Navigate(site.url+"/login"))
		b.login(t, site, "manager")
		other := site.depts[1]
		absentees := eval[int](t, b, `fetch('/absentees').then(r => r.status)`)
		if absentees != 403 {
			t.Errorf("a manager reached the list of frequent absentees: %d", absentees)
		}
		status := eval[int](t, b, fmt.Sprintf(`fetch('/breakdown?dept=%s').then(r => r.status)`, url.QueryEscape(other)))
		api := eval[int](t, b, fmt.Sprintf(`fetch('/api/v1/kpis?dept=%s').then(r => r.status)`, url.QueryEscape(other)))
		imports := eval[int](t, b, `fetch('/imports').then(r => r.status)`)
		own := eval[int](t, b, fmt.Sprintf(`fetch('/api/v1/kpis?dept=%s').then(r => r.status)`, url.QueryEscape(site.depts[0])))
		if status != 403 || api != 403 || imports != 403 || own != 200 {
			t.Errorf("manager: other unit page %d, API %d, imports %d, own unit %d", status, api, imports, own)
		}
		b.do(t, chromedp.Navigate(site.url+"/"), chromedp.WaitVisible(chromedp.ID("filter-dept")))
		if offered := eval[[]string](t, b, `[...document.querySelectorAll('#filter-dept option')].map(o => o.value)`); len(offered) != 1 || offered[0] != site.depts[0] {
			t.Errorf("the manager's filter offers %q, want only %q", offered, site.depts[0])
		}
		b.screenshot(t, "manager-overview")
		b.errors() // the 403s above are expected console errors
	})

	t.Run("a provider sees its clients and intervention outcomes only", func(t *testing.T) {
		b.do(t, chromedp.Navigate(site.url+"/login"))
		b.login(t, site, "provider")
		if loc := eval[string](t, b, `location.pathname`); loc != "/clients" {
			t.Errorf("provider landed on %s", loc)
		}
		for path, want := range map[string]int{"/": 403, "/poortwachter": 403, "/absentees": 403, "/api/v1/kpis": 403, "/interventions": 200} {
			if got := eval[int](t, b, fmt.Sprintf(`fetch('%s').then(r => r.status)`, path)); got != want {
				t.Errorf("provider GET %s: %d, want %d", path, got, want)
			}
		}
		b.errors()
	})
}
