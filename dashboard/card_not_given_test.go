package dashboard

import (
	"bytes"
	"html"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/verzuim/absence/analytics"
)

// Follow-up of issue 13: the card of a type the provider does not give
// (ArboPlus gives intervention talks and return talks only) says so in
// words, in Dutch and English, on the page, in the PDF and in the XLSX,
// and names no landmark day (it read "dag 7", the default without any
// intervention of the type).
func TestCardOfATypeTheProviderDoesNotGive(t *testing.T) {
	site := newTestSiteSized(t, 300)
	if err := site.server.accounts.PutUser(User{Name: "provider-en", Role: RoleProvider, Provider: testProvider}, site.password); err != nil {
		t.Fatal(err)
	}
	if err := site.server.accounts.SetLang("provider-en", "en"); err != nil {
		t.Fatal(err)
	}
	const typ = analytics.PsychologicalCoaching
	card := "/interventions/card/" + typ
	said := map[string]string{
		"provider":    "ArboPlus Nederland heeft in deze periode geen interventies van het type ‘Psychologische re-integratiecoaching’ gegeven: er valt niets te vergelijken.",
		"provider-en": "ArboPlus Nederland gave no interventions of the type ‘Psychological coaching’ in this period: there is nothing to compare.",
	}
	landmark := map[string]string{"provider": "dag 7", "provider-en": "day 7"}
	for user, want := range said {
		code, body := getAs(t, site, user, card)
		article := html.UnescapeString(body[strings.Index(body, `<article`):])
		if code != http.StatusOK || !strings.Contains(article, want) {
			t.Errorf("%s: the card (%d) does not say %q", user, code, want)
		}
		if strings.Contains(article, landmark[user]) {
			t.Errorf("%s: the card names a landmark day: %q", user, landmark[user])
		}
	}

	f, err := excelize.OpenReader(bytes.NewReader(downloadAs(t, site, "provider", card+".xlsx")))
	if err != nil {
		t.Fatal(err)
	}
	rows := sheetRows(t, f, "Schattingen", 4)
	col := columns(rows[0])
	for _, row := range rows[1:] {
		if day, why := cellAt(row, col["landmark_day"]), cellAt(row, len(rows[0])-1); day != "" || why != translate("nl", "card_no_interventions") {
			t.Errorf("XLSX %s: landmark day %q, reason %q; want none and %q", cellAt(row, col["method"]), day, why, translate("nl", "card_no_interventions"))
		}
	}
	groups, _ := f.GetRows("Groepen")
	if !slices.ContainsFunc(groups, func(r []string) bool { return slices.Contains(r, said["provider"]) }) {
		t.Errorf("XLSX: the sheet Groepen does not say %q: %q", said["provider"], groups)
	}

	// pdftotext joins a word broken at its hyphen ("re-|integratie") without it.
	unhyphen := strings.NewReplacer("-", "").Replace
	pdf := pdfText(t, cardDownload(t, site, "provider", card+".pdf", "application/pdf"))
	if !strings.Contains(unhyphen(pdf), unhyphen(said["provider"])) || strings.Contains(pdf, "dag 7") {
		t.Errorf("the PDF does not say %q, or names day 7:\n%s", said["provider"], pdf)
	}
}
