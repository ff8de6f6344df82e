package dashboard

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chartTexts is every text the page's charts draw (axis labels, bar and
// cell labels, the heat map's scale, the zoom slider) and their tooltip on
// the first, middle and last item of the first series (an axis tooltip
// shows every series).
const chartTexts = `(async () => {
	const out = [];
	for (const el of document.querySelectorAll('script[data-chart]')) {
		const id = el.dataset.chart, box = document.getElementById(id);
		const chart = box && echarts.getInstanceByDom(box);
		if (!chart) continue;
		chart.getZr().storage.getDisplayList(true).forEach(d => {
			if (d.style && d.style.text != null && d.style.text !== "") out.push(id + ": " + d.style.text);
		});
		const n = (chart.getOption().series[0].data || []).length;
		for (const i of new Set([0, n >> 1, n - 1])) {
			if (i < 0) continue;
			chart.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: i});
			await new Promise(requestAnimationFrame);
			out.push(id + " tooltip: " + box.innerText.replace(/\s+/g, " "));
		}
		chart.dispatchAction({type: "hideTip"});
	}
	return out;
})()`

// The charts write their numbers as the page's language does: tooltips,
// bar labels, heat-map cells and scale, funnel labels, axes and zoom
// sliders show 4,95 and 30,4% in Dutch, 4.95 and 30.4% in English.
func TestChartsWriteNumbersInTheirLanguage(t *testing.T) {
	site := newTestSiteSized(t, 400)
	b := newBrowser(t)
	b.login(t, site, "admin")
	for _, lang := range []string{"nl", "en"} {
		if err := site.server.accounts.SetLang("admin", lang); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/", "/trends", "/breakdown", "/durations", "/interventions"} {
			b.do(t, chromedp.Navigate(site.url+path), chromedp.WaitVisible(chromedp.CSS("main .item canvas")), chromedp.Sleep(300*time.Millisecond))
			texts := eval[[]string](t, b, chartTexts)
			if len(texts) < 10 {
				t.Fatalf("%s %s: the charts drew only %q", lang, path, texts)
			}
			wrong := 0
			for _, s := range texts {
				if wrongNumber[lang].MatchString(s) && wrong < 5 {
					wrong++
					t.Errorf("%s %s: %s", lang, path, s)
				}
			}
			if errs := b.errors(); len(errs) > 0 {
				t.Errorf("%s %s: console errors %v", lang, path, errs)
			}
		}
	}
}
