package dashboard

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/verzuim/absence/dashboard/workbook"
)

// Issue 14, done when: an HR user in Dutch opens the Poortwachter worklist,
// sees the overdue case at the top with its department, filters by team,
// downloads the XLSX and reads it back.
func worklistInABrowser(t *testing.T, site *testSite) {
	b := newBrowser(t)
	b.login(t, site, "hr")

	b.do(t, chromedp.Navigate(site.url+"/poortwachter"), chromedp.WaitVisible(chromedp.ID("worklist")))
	type row struct{ Pseudonym, Department, Team, Step, Status, Class, Color string }
	const rows = `[...document.querySelectorAll('#worklist tbody tr')].map(r => ({
		Pseudonym: r.cells[0].textContent, Department: r.cells[1].textContent, Team: r.cells[2].textContent,
		Step: r.cells[3].textContent, Status: r.cells[6].textContent, Class: r.className, Color: getComputedStyle(r.cells[0]).color}))`
	b.screenshot(t, "worklist")
	list := eval[[]row](t, b, rows)
	if len(list) == 0 || len(list) > 50 {
		t.Fatalf("%d rows on the first page; want 1 to 50", len(list))
	}
	top := list[0]
	if top.Status != "te laat" || top.Class != "late" || top.Department == "" || top.Team == "" || top.Step == "–" {
		t.Errorf("top of the worklist: %+v; want an overdue case (te laat) with its department, team and step", top)
	}
	if normal := eval[string](t, b, `getComputedStyle(document.querySelector('#worklist tr:not(.late) td') || document.body).color`); normal == top.Color {
		t.Errorf("the overdue row has the colour of the others (%s): not flagged", normal)
	}
	if text := eval[string](t, b, `document.querySelector('#worklist-section').innerText`); strings.Contains(text, "upcoming") || strings.Contains(text, "unknown") || strings.Contains(text, "missing") {
		t.Errorf("English statuses on the Dutch worklist: %q", text)
	}

	// Filter by the overdue case's team: every row is of that team.
	team := top.Team
	b.do(t, chromedp.SetValue(chromedp.ID("worklist-q"), team),
		chromedp.Submit(chromedp.ID("worklist-q")),
		chromedp.WaitVisible(chromedp.ID("worklist")))
	filtered := eval[[]row](t, b, rows)
	if len(filtered) == 0 || filtered[0].Pseudonym != top.Pseudonym {
		t.Fatalf("searching team %q: first row %+v; want %s on top", team, filtered[:min(1, len(filtered))], top.Pseudonym)
	}
	for _, r := range filtered {
		if !strings.Contains(strings.ToLower(r.Team+" "+r.Department), strings.ToLower(team)) {
			t.Errorf("searching team %q lists %+v", team, r)
		}
	}

	// Download the XLSX through the page's link and read it back.
	b64 := eval[string](t, b, `fetch(document.querySelector('#worklist-xlsx').href).then(r => r.arrayBuffer()).then(buf => {
		let s = ''; new Uint8Array(buf).forEach(c => s += String.fromCharCode(c)); return btoa(s); })`)
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the XLSX does not open: %v", err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "Werklijst" || got[1] != workbook.AboutSheet {
		t.Fatalf("sheets %v; want Werklijst and %s", got, workbook.AboutSheet)
	}
	cells, err := f.GetRows("Werklijst")
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) != len(filtered)+1 {
		t.Errorf("%d rows in the XLSX; want the header and the %d listed", len(cells), len(filtered))
	}
	if h := cells[0]; h[0] != "Medewerker (pseudoniem)" || h[1] != "Afdeling" || h[2] != "Team" || h[6] != "Status" {
		t.Errorf("header %q", h)
	}
	if r := cells[1]; r[0] != top.Pseudonym || r[1] != top.Department || r[2] != top.Team || r[6] != "te laat" {
		t.Errorf("first row %q; want %s, %s, %s, te laat", r, top.Pseudonym, top.Department, top.Team)
	}
	if typ, _ := f.GetCellType("Werklijst", "F2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("days to the deadline stored as text")
	}
	about, err := f.GetRows(workbook.AboutSheet)
	if err != nil {
		t.Fatal(err)
	}
	notes := map[string]string{}
	for _, r := range about {
		if len(r) == 2 {
			notes[r[0]] = r[1]
		}
	}
	if notes["Zoek afdeling of team"] != team || notes["Gegevens t/m"] != testExtract.Format("02-01-2006") || !strings.Contains(notes["Status"], "te laat") {
		t.Errorf("Toelichting %q; want the search %q and the data date %s", about, team, testExtract.Format("02-01-2006"))
	}
	if errs := b.errors(); len(errs) > 0 {
		t.Errorf("console errors: %q", errs)
	}
}
