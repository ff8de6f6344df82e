package dashboard

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/widgets"
)

// The evidence card, on one generated organisation: every type in a real
// browser (the sentence, the Methode section, no statistics outside it, no
// console errors), its PDF and XLSX read back against the JSON API, and
// what provider staff may see of it.
func TestEvidenceCard(t *testing.T) {
	site := newTestSite(t)
	adjusted := apiAdjusted(t, site, "admin")

	t.Run("every type in a browser", func(t *testing.T) {
		b := newBrowser(t)
		b.login(t, site, "admin")
		b.do(t, chromedp.Navigate(site.url+"/interventions"), chromedp.WaitVisible(chromedp.ID("card-links")))
		links := eval[[]string](t, b, `[...document.querySelectorAll('#card-links a')].map(a => a.getAttribute('href'))`)
		if len(links) != len(widgets.CardTypes()) {
			t.Fatalf("the Interventies page links %v, want a card per type %v", links, widgets.CardTypes())
		}
		for i, typ := range widgets.CardTypes() {
			if want := "/interventions/card/" + typ; !strings.HasPrefix(links[i], want) {
				t.Errorf("link %d is %q, want %q", i, links[i], want)
			}
			b.do(t, chromedp.Navigate(site.url+links[i]), chromedp.WaitReady(chromedp.CSS("html[data-drawn]")))
			if errs := b.errors(); len(errs) > 0 {
				t.Errorf("%s: console errors: %v", typ, errs)
			}
			sentences := eval[[]string](t, b, `[...document.querySelectorAll('#card-effect p.sentence')].map(p => p.textContent)`)
			ipw := estimateOf(t, adjusted, typ, analytics.MethodIPWLandmark)
			if want := effectWords(ipw); len(sentences) == 0 || !strings.Contains(strings.Join(sentences, " "), want) {
				t.Errorf("%s: the effect reads %q, want it to say %q", typ, sentences, want)
			}
			method := eval[[]string](t, b, `(() => { const d = document.querySelector('details#card-method');
				return d ? [String(d.open), d.querySelector('summary').textContent, String(d.querySelectorAll('#card-estimates tbody tr').length)] : []; })()`)
			if len(method) != 3 || method[0] != "false" || method[1] != "Methode" || method[2] != "3" {
				t.Errorf("%s: the Methode section (open, summary, rows) is %q, want closed, \"Methode\", 3 methods", typ, method)
			}
			plain := eval[string](t, b, `(() => { const c = document.querySelector('#card').cloneNode(true); c.querySelector('details').remove(); return c.textContent; })()`)
			for _, term := range []string{"hazard", "IPW", "Cox", "landmark", "SMD", "interval"} {
				if strings.Contains(strings.ToLower(plain), strings.ToLower(term)) {
					t.Errorf("%s: %q outside the Methode section", typ, term)
				}
			}
			if !ipw.Suppressed {
				if n := eval[int](t, b, fmt.Sprintf(chartDrawn, "cardShares")); n < 1000 {
					t.Errorf("%s: the chart of shares back at work has %d drawn pixels", typ, n)
				}
			}
			b.screenshot(t, "card-"+typ)
		}
	})

	t.Run("PDF prints the card as its user sees it", func(t *testing.T) {
		// Provider staff's PDF: printed with their session, so it holds
		// their own organisation's interventions only.
		own := estimateOf(t, apiAdjusted(t, site, "provider"), analytics.InterventionTalk, analytics.MethodIPWLandmark)
		pdf := cardDownload(t, site, "provider", "/interventions/card/"+analytics.InterventionTalk+".pdf", "application/pdf")
		if err := os.WriteFile(filepath.Join(t.ArtifactDir(), "card.pdf"), pdf, 0o644); err != nil { // kept with go test -artifacts
			t.Fatal(err)
		}
		text := pdfText(t, pdf)
		for _, want := range []string{"Interventiegesprek: wat levert het op?", "Aanbieder: " + testProvider, effectWords(own),
			"Waar u op moet letten", "Kosten en opbrengst", "Aantal sessies", "Beschrijvend, geen effect", "Hazardratio"} { // the Methode section prints open
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, "Uitloggen") || strings.Contains(text, "Downloaden") {
			t.Error("the PDF prints the menu or the download links")
		}
		for _, other := range otherProvidersOf(t, filepath.Join(site.dataDir, "interventions.csv")) {
			if strings.Contains(text, other) {
				t.Errorf("provider staff's PDF names another provider, %q", other)
			}
		}
		if pages := pdfPages(t, pdf); pages < 1 || pages > 6 {
			t.Errorf("the PDF has %d pages", pages)
		}
	})

	t.Run("XLSX holds the API's estimates", func(t *testing.T) {
		cost, dose := apiFigureAs[analytics.InterventionCost](t, site, "admin", "/api/v1/intervention-cost"), apiFigureAs[analytics.DoseResult](t, site, "admin", "/api/v1/dose")
		for _, typ := range []string{analytics.InterventionTalk, analytics.Mediation} {
			f, err := excelize.OpenReader(bytes.NewReader(cardDownload(t, site, "admin", "/interventions/card/"+typ+".xlsx", "spreadsheetml")))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := f.GetRows("Schattingen", excelize.Options{RawCellValue: true})
			if err != nil || len(rows) != 4 {
				t.Fatalf("%s: sheet Schattingen has %d rows (%v), want a header and 3 methods", typ, len(rows), err)
			}
			col := map[string]int{}
			for i, h := range rows[0] {
				col[h] = i
			}
			for _, row := range rows[1:] {
				e := estimateOf(t, adjusted, typ, row[col["method"]])
				for name, want := range map[string]any{"hazard_ratio": e.HazardRatio, "lower": e.Lower, "upper": e.Upper, "n_treated": e.NTreated, "n_control": e.NControl,
					"events_treated": e.EventsTreated, "median_difference_days": e.MedianDifference} {
					if got := cellAt(row, col[name]); !sameFigure(got, want) {
						t.Errorf("%s %s %s: cell %q, API %v", typ, e.Method, name, got, want)
					}
				}
				if why := cellAt(row, len(rows[0])-1); e.Suppressed != (why != "") || e.Suppressed && why != translate("nl", "card_"+e.Reason) {
					t.Errorf("%s %s: suppressed %v (%s), the workbook says %q", typ, e.Method, e.Suppressed, e.Reason, why)
				}
			}
			if sheets := f.GetSheetList(); sheets[len(sheets)-1] != "Toelichting" {
				t.Errorf("%s: sheets %v, the last is not the Toelichting", typ, sheets)
			}
			if v, _ := f.GetCellValue("Toelichting", "B1"); v != translate("nl", "iv_"+typ) {
				t.Errorf("%s: the Toelichting starts with %q", typ, v)
			}
			if rows, _ := f.GetRows("Toelichting"); !slices.ContainsFunc(rows, func(r []string) bool {
				return len(r) == 2 && r[0] == translate("nl", "card_note_period") && periodText.MatchString(r[1])
			}) {
				t.Errorf("%s: the Toelichting does not give the period as two dates: %q", typ, rows)
			}
			r := returnOf(t, cost, typ)
			rows = sheetRows(t, f, "Kosten en opbrengst", 2)
			col = columns(rows[0])
			for name, want := range map[string]any{"n_treated": r.NTreated, "days_saved": r.DaysSaved, "fte_factor": r.FTEFactor, "mean_cost": r.MeanCost, "value_saved": r.ValueSaved, "net_benefit": r.NetBenefit} {
				if got := cellAt(rows[1], col[name]); !sameFigure(got, want) {
					t.Errorf("%s return %s: cell %q, API %v", typ, name, got, want)
				}
			}
			var groups []analytics.DoseGroup
			for _, g := range dose.Groups {
				if g.InterventionType == typ {
					groups = append(groups, g)
				}
			}
			rows = sheetRows(t, f, "Aantal sessies", 1+len(groups))
			col = columns(rows[0])
			for i, g := range groups {
				row := rows[1+i]
				if row[col["band"]] != g.Band {
					t.Errorf("%s sessions row %d is band %q, API %q", typ, i, row[col["band"]], g.Band)
				}
				for name, want := range map[string]any{"n": g.Interventions, "back_at_own_employer_pct": g.BackAtOwnEmployer.Pct, "median_days_to_return": g.MedianDaysToReturn} {
					if got := cellAt(row, col[name]); !sameFigure(got, want) {
						t.Errorf("%s sessions %s %s: cell %q, API %v", typ, g.Band, name, got, want)
					}
				}
			}
			f.Close()
		}
	})

	t.Run("cost and return in words, by the API's figures", func(t *testing.T) {
		// Without a wage cost the card says who can set it.
		_, body := getAs(t, site, "hr", "/interventions/card/"+analytics.InterventionTalk)
		if part := html.UnescapeString(sectionOf(t, body, "card-cost")); !strings.Contains(part, "niet ingesteld") || !strings.Contains(part, "beheerder van deze installatie") {
			t.Errorf("the cost section without a wage cost does not say it is not set and by whom:\n%s", part)
		}
		// With one: a server on the same data.
		s, err := New(site.store, site.server.accounts, Config{Analytics: analytics.Options{Cost: analytics.CostRates{WagePerFTEDay: 200, ReplacementPerFTEDay: 40}}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		priced := *site
		priced.server = s
		cost := apiFigureAs[analytics.InterventionCost](t, &priced, "admin", "/api/v1/intervention-cost")
		said := 0
		for _, typ := range widgets.CardTypes() {
			r := returnOf(t, cost, typ)
			_, body := getAs(t, &priced, "admin", "/interventions/card/"+typ)
			part := html.UnescapeString(sectionOf(t, body, "card-cost"))
			switch {
			case r.Suppressed:
				if want := translate("nl", "card_"+r.Reason); r.Reason != "" && !strings.Contains(part, want) {
					t.Errorf("%s: a suppressed return (%s), the section does not say %q:\n%s", typ, r.Reason, want, part)
				}
			case r.MeanCost != nil && r.ValueSaved != nil:
				// The interval is the bootstrap's, which may have none.
				want := fmt.Sprintf("Per werknemer %s kostte de interventie gemiddeld %s en leverde ze naar schatting %s op aan loondoorbetaling",
					translate("nl", "card_with_"+typ), widgets.Euro("nl", r.MeanCost), widgets.Euro("nl", r.ValueSaved))
				if ci := r.ValueSavedCI; ci != nil {
					want += fmt.Sprintf(" (95%%: %s)", widgets.Between(widgets.Euro("nl", ci.Low), widgets.Euro("nl", ci.High)))
				}
				if !strings.Contains(part, want) {
					t.Errorf("%s: the section does not say %q:\n%s", typ, want, part)
				}
				if net := widgets.Euro("nl", r.NetBenefit); !strings.Contains(part, net) {
					t.Errorf("%s: the section lacks the net benefit %s", typ, net)
				}
				said++
			}
			for _, p := range cost.ByPayer {
				if p.InterventionType == nil || *p.InterventionType != typ {
					continue
				}
				label := translate("nl", "card_payer_"+p.Payer)
				row := regexp.MustCompile(`<td>` + regexp.QuoteMeta(label) + `</td>(.*?)</tr>`).FindStringSubmatch(part)
				switch {
				case row == nil:
					t.Errorf("%s: no payer row %q", typ, label)
				case p.Suppressed != strings.Contains(row[1], translate("nl", "card_too_few_cases")):
					t.Errorf("%s payer %s: suppressed %v, the row says %q", typ, p.Payer, p.Suppressed, row[1])
				case !p.Suppressed && !strings.Contains(row[1], "<td>"+widgets.Euro("nl", p.Cost)+"</td>"):
					t.Errorf("%s payer %s: the row %q lacks the API's cost %s", typ, p.Payer, row[1], widgets.Euro("nl", p.Cost))
				}
			}
		}
		if said == 0 {
			t.Error("no type's return was said in euros: the test checks nothing")
		}
	})

	t.Run("provider staff see their own interventions' card only", func(t *testing.T) {
		own := apiAdjusted(t, site, "provider")
		mine := estimateOf(t, own, analytics.InterventionTalk, analytics.MethodIPWLandmark)
		ofProvider := estimateOfProvider(t, adjusted, analytics.InterventionTalk, analytics.MethodIPWLandmark, testProvider)
		all := estimateOf(t, adjusted, analytics.InterventionTalk, analytics.MethodIPWLandmark)
		if *mine.NTreated != *ofProvider.NTreated || *mine.NTreated == *all.NTreated {
			t.Errorf("provider staff's treated cases %d; the admin's for %s %d, for every provider %d", *mine.NTreated, testProvider, *ofProvider.NTreated, *all.NTreated)
		}
		code, body := getAs(t, site, "provider", "/interventions/card/"+analytics.InterventionTalk)
		if code != http.StatusOK || !strings.Contains(body, "<td>"+strconv.FormatInt(*mine.NTreated, 10)+"</td>") || !strings.Contains(body, testProvider) {
			t.Errorf("provider staff's card: %d, or it lacks their %d treated cases or their name", code, *mine.NTreated)
		}
		for _, other := range otherProvidersOf(t, filepath.Join(site.dataDir, "interventions.csv")) {
			if strings.Contains(body, other) {
				t.Errorf("provider staff's card names another provider, %q", other)
			}
			for _, suffix := range []string{"", ".pdf", ".xlsx"} {
				target := withParam("/interventions/card/"+analytics.InterventionTalk+suffix, "provider", other)
				if code, _ := getAs(t, site, "provider", target); code != http.StatusForbidden {
					t.Errorf("provider staff asking %s: %d, want 403", target, code)
				}
			}
		}
		// The admin's card of one provider is that provider's.
		code, body = getAs(t, site, "admin", withParam("/interventions/card/"+analytics.InterventionTalk, "provider", testProvider))
		if code != http.StatusOK || !strings.Contains(body, "<td>"+strconv.FormatInt(*ofProvider.NTreated, 10)+"</td>") {
			t.Errorf("the admin's card of %s: %d, or it lacks its %d treated cases", testProvider, code, *ofProvider.NTreated)
		}
		// An employer is never another's: asking for one outside the account is refused.
		for _, user := range []string{"hr", "provider"} {
			if code, _ := getAs(t, site, user, "/interventions/card/"+analytics.InterventionTalk+"?employer=Rivaal"); code != http.StatusForbidden {
				t.Errorf("%s asking another employer's card: %d, want 403", user, code)
			}
		}
		if code, _ := getAs(t, site, "manager", "/interventions/card/"+analytics.InterventionTalk); code != http.StatusForbidden {
			t.Errorf("a manager opens the card: %d, want 403 (as the Interventies page)", code)
		}
	})

	t.Run("in English", func(t *testing.T) {
		if err := site.server.accounts.PutUser(User{Name: "hr-en", Role: RoleHR}, site.password); err != nil {
			t.Fatal(err)
		}
		if err := site.server.accounts.SetLang("hr-en", "en"); err != nil {
			t.Fatal(err)
		}
		code, body := getAs(t, site, "hr-en", "/interventions/card/"+analytics.Mediation)
		for _, want := range []string{"Mediation: what does it achieve?", "What was compared", "too few cases to say anything", "What to keep in mind", "<summary>Method</summary>"} {
			if code != http.StatusOK || !strings.Contains(html.UnescapeString(body), want) {
				t.Errorf("the English card (%d) lacks %q", code, want)
			}
		}
	})

	t.Run("a card the URL cannot name", func(t *testing.T) {
		for target, want := range map[string]string{
			"/interventions/card/massage":                          "Onbekend interventietype",
			"/interventions/card/return_talk":                      "Onbekend interventietype",
			"/interventions/card/mediation?provider=Nobody%20B.V.": "Aanbieder \"Nobody B.V.\"",
			"/interventions/card/mediation.xlsx?provider=Nobody":   "Aanbieder \"Nobody\"",
		} {
			if code, body := getAs(t, site, "admin", target); code != http.StatusBadRequest || !strings.Contains(html.UnescapeString(body), want) {
				t.Errorf("%s: %d, want 400 saying %q", target, code, want)
			}
		}
	})
}

// A card whose arms are too small says so in words, in every section and in
// its workbook, and shows no figure of them: a server whose smallest group
// is larger than the organisation.
func TestEvidenceCardSuppressesSmallGroups(t *testing.T) {
	site := newTestSiteSized(t, 300)
	s, err := New(site.store, site.server.accounts, Config{Analytics: analytics.Options{MinCases: 100000}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	site.server = s
	tooFew := translate("nl", "card_too_few_cases")
	for _, typ := range widgets.CardTypes() {
		code, body := getAs(t, site, "hr", "/interventions/card/"+typ)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", typ, code)
		}
		for _, id := range []string{"card-groups", "card-effect", "card-shares", "card-timing", "card-cost", "card-sessions", "card-method"} {
			part := sectionOf(t, body, id)
			if !strings.Contains(part, tooFew) {
				t.Errorf("%s %s does not say %q:\n%s", typ, id, tooFew, part)
			}
			if m := figureCell.FindString(part); m != "" {
				t.Errorf("%s %s shows a figure of a suppressed group: %q", typ, id, m)
			}
		}
		if strings.Contains(body, "data-chart") {
			t.Errorf("%s: a chart of suppressed groups", typ)
		}
		f, err := excelize.OpenReader(bytes.NewReader(downloadAs(t, site, "hr", "/interventions/card/"+typ+".xlsx")))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("Schattingen")
		for _, row := range rows[1:] {
			// intervention_type, provider, employer, method, landmark_day: then figures, and the reason last.
			for i := 5; i < len(rows[0])-1; i++ {
				if cellAt(row, i) != "" {
					t.Errorf("%s %s: %s = %q in the workbook of a suppressed estimate", typ, row[3], rows[0][i], cellAt(row, i))
				}
			}
			if why := cellAt(row, len(rows[0])-1); why != tooFew {
				t.Errorf("%s %s: the workbook says %q, want %q", typ, row[3], why, tooFew)
			}
		}
		// The return, its payers and the sessions: a reason, never a figure
		// (the first columns name the row).
		for sheet, names := range map[string]int{"Kosten en opbrengst": 5, "Wie betaalde": 2, "Aantal sessies": 3} {
			rows, _ := f.GetRows(sheet)
			if len(rows) < 2 {
				t.Errorf("%s: sheet %s has no rows", typ, sheet)
				continue
			}
			for _, row := range rows[1:] {
				for i := names; i < len(rows[0])-1; i++ {
					if cellAt(row, i) != "" {
						t.Errorf("%s %s: %s = %q of a suppressed row", typ, sheet, rows[0][i], cellAt(row, i))
					}
				}
				if why := cellAt(row, len(rows[0])-1); why != tooFew {
					t.Errorf("%s %s: the row says %q, want %q", typ, sheet, why, tooFew)
				}
			}
		}
		f.Close()
	}
}

// Each reason an estimate has no figures is said in words.
func TestCardSaysWhyInWords(t *testing.T) {
	for _, tt := range []struct{ reason, nl, en string }{
		{analytics.ReasonTooFewCases, "te weinig gevallen om iets te zeggen", "too few cases to say anything"},
		{analytics.ReasonNoEvents, "in een van de groepen is nog niemand terug in het eigen werk, dus nog niets te zeggen", "in one of the groups nobody is back at their own work yet, so nothing can be said yet"},
		{analytics.ReasonNotEstimable, "met deze gegevens is geen betrouwbare berekening te maken", "these data do not allow a reliable calculation"},
		{analytics.ReasonComplementary, "verborgen, zodat de aantallen van een kleinere aanbieder niet uit het totaal af te leiden zijn", "hidden, so that a smaller provider's numbers cannot be worked out from the total"},
		{"", "te weinig gevallen om iets te zeggen", "too few cases to say anything"}, // the whole view hidden
	} {
		for lang, want := range map[string]string{"nl": tt.nl, "en": tt.en} {
			v := widgets.View{Lang: lang, T: func(key string) string { return translate(lang, key) }}
			if got := widgets.Why(v, tt.reason); got != want {
				t.Errorf("%q in %s: %q, want %q", tt.reason, lang, got, want)
			}
		}
	}
}

// figureCell is a table cell or sentence part holding a figure: a count, a
// percentage or a hazard ratio.
var figureCell = regexp.MustCompile(`<td>\d[^<]*</td>|\d+,\d%|\d,\d\d \(|\(\d+ (gevallen|cases)\)`)

// sectionOf is the element with the given id and what it holds, up to the
// next section.
func sectionOf(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no #%s on the card", id)
	}
	rest := body[i:]
	if j := strings.Index(rest[1:], "<section"); j >= 0 {
		return rest[:j+1]
	}
	return rest
}

// effectWords is what the card says of an estimate's effect, by the API's
// figures: its median difference in days, or why it says nothing.
func effectWords(e analytics.AdjustedEstimate) string {
	switch {
	case e.Suppressed:
		return translate("nl", "card_"+e.Reason)
	case e.MedianDifference == nil:
		return "is nog niet te zeggen"
	}
	d := int(math.Round(*e.MedianDifference))
	switch {
	case d > 1:
		return fmt.Sprintf("doorgaans %d dagen eerder terug", d)
	case d < -1:
		return fmt.Sprintf("doorgaans %d dagen later terug", -d)
	}
	return "doorgaans "
}

// apiFigureAs is a figure as user reads it from the API.
func apiFigureAs[T any](t *testing.T, site *testSite, user, path string) T {
	t.Helper()
	code, body := getAs(t, site, user, path)
	if code != http.StatusOK {
		t.Fatalf("%s as %s: %d %s", path, user, code, body)
	}
	var out struct{ Data T }
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	return out.Data
}

// returnOf is the pooled return of a type.
func returnOf(t *testing.T, cost analytics.InterventionCost, typ string) analytics.InterventionReturn {
	t.Helper()
	for _, r := range cost.Returns {
		if r.InterventionType == typ && r.Provider == nil && r.Employer == nil {
			return r
		}
	}
	t.Fatalf("the API has no return of %s", typ)
	return analytics.InterventionReturn{}
}

// sheetRows are a sheet's rows, raw, of which there must be n.
func sheetRows(t *testing.T, f *excelize.File, sheet string, n int) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil || len(rows) != n {
		t.Fatalf("sheet %s has %d rows (%v), want %d", sheet, len(rows), err, n)
	}
	return rows
}

// columns numbers a header row's columns by name.
func columns(header []string) map[string]int {
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	return col
}

// apiAdjusted is the adjusted effect as user reads it from the API.
func apiAdjusted(t *testing.T, site *testSite, user string) analytics.AdjustedResult {
	t.Helper()
	code, body := getAs(t, site, user, "/api/v1/adjusted")
	if code != http.StatusOK {
		t.Fatalf("/api/v1/adjusted as %s: %d %s", user, code, body)
	}
	var out struct{ Data analytics.AdjustedResult }
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	return out.Data
}

func estimateOf(t *testing.T, res analytics.AdjustedResult, typ, method string) analytics.AdjustedEstimate {
	return estimateOfProvider(t, res, typ, method, "")
}

// estimateOfProvider is the estimate of a type, method and provider ("" the
// pooled one).
func estimateOfProvider(t *testing.T, res analytics.AdjustedResult, typ, method, provider string) analytics.AdjustedEstimate {
	t.Helper()
	for _, e := range res.Estimates {
		if e.InterventionType == typ && e.Method == method && (e.Provider == nil && provider == "" || e.Provider != nil && *e.Provider == provider) {
			return e
		}
	}
	t.Fatalf("the API has no %s estimate of %s by %q", method, typ, provider)
	return analytics.AdjustedEstimate{}
}

// cellAt is a row's cell, "" past its end (excelize leaves trailing empty
// cells out).
func cellAt(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

// sameFigure compares a workbook cell with the API's figure: empty for
// null, the same number otherwise.
func sameFigure(cell string, want any) bool {
	var w float64
	switch x := want.(type) {
	case *float64:
		if x == nil {
			return cell == ""
		}
		w = *x
	case *int64:
		if x == nil {
			return cell == ""
		}
		w = float64(*x)
	}
	got, err := strconv.ParseFloat(cell, 64)
	return err == nil && math.Abs(got-w) <= 1e-12*math.Max(1, math.Abs(w))
}

// periodText is a period as the Toelichting writes it.
var periodText = regexp.MustCompile(`^\d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2}$`)

// cardDownload fetches a card's download over HTTP from the site's real server
// (the PDF prints through a connection of its own), as user.
func cardDownload(t *testing.T, site *testSite, user, path, contentType string) []byte {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, site.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(sessionCookieFor(t, site, user))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), contentType) ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("%s: %d %s %s %.200s", path, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"), body)
	}
	return body
}

// downloadAs fetches a download through the site's handler.
func downloadAs(t *testing.T, site *testSite, user, path string) []byte {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(sessionCookieFor(t, site, user))
	rec := httptest.NewRecorder()
	site.server.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
	}
	return rec.Body.Bytes()
}

// pdfText and pdfPages read a PDF back with poppler's pdftotext and pdfinfo
// (.ci/run installs poppler-utils); the text with its lines joined.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", writeTemp(t, pdf), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (apt-get install poppler-utils): %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func pdfPages(t *testing.T, pdf []byte) int {
	t.Helper()
	out, err := exec.Command("pdfinfo", writeTemp(t, pdf)).Output()
	if err != nil {
		t.Fatalf("pdfinfo (apt-get install poppler-utils): %v", err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo says no page count:\n%s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

func writeTemp(t *testing.T, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "card.pdf")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
