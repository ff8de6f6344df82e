package dashboard

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/verzuim/absence/ingest/storage"
)

// Follow-up of issue 13: the Toelichting of a workbook (the card, the pack,
// the downloads) names the employers its figures are of, never the internal
// name of the default employer, and not an employer without data (the
// empty default employer of a provider installation).
func TestToelichtingNamesNoEmptyOrInternalEmployer(t *testing.T) {
	notes := func(t *testing.T, site *testSite, user, path string) []string {
		t.Helper()
		f, err := excelize.OpenReader(bytes.NewReader(downloadAs(t, site, user, path)))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		rows, err := f.GetRows("Toelichting")
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var out []string
		for _, r := range rows {
			out = append(out, strings.Join(r, ": "))
		}
		return out
	}
	internal := func(lines []string) bool {
		return slices.ContainsFunc(lines, func(l string) bool {
			return slices.Contains(strings.FieldsFunc(l, func(r rune) bool { return r == ',' || r == ':' || r == ' ' || r == ';' }), storage.DefaultEmployer)
		})
	}
	downloads := []string{"/interventions/card/intervention_talk.xlsx", "/breakdown.xlsx", "/print/pack.xlsx?month=2026-05"}

	t.Run("a provider installation", func(t *testing.T) {
		site := newTestSiteSized(t, 0) // the default employer holds nothing
		addEmployer(t, site, "Klant A", 250, 5, testExtract)
		addEmployer(t, site, "Klant B", 250, 6, testExtract)
		for _, path := range downloads {
			if path == "/print/pack.xlsx?month=2026-05" {
				path += "&employer=Klant+A" // the pack is of one employer
			}
			got := notes(t, site, "admin", path)
			if internal(got) {
				t.Errorf("%s: the Toelichting names the empty default employer:\n%s", path, strings.Join(got, "\n"))
			}
		}
		got := notes(t, site, "admin", downloads[0])
		if !slices.Contains(got, "Werkgever: Klant A, Klant B") || !slices.Contains(got, "Gegevens tot en met: 2026-06-30") {
			t.Errorf("the card's Toelichting does not name its two employers and its data date:\n%s", strings.Join(got, "\n"))
		}
	})
	t.Run("an organisation of its own", func(t *testing.T) {
		site := newTestSiteSized(t, 300) // everything in the default employer
		for _, path := range downloads {
			if got := notes(t, site, "hr", path); internal(got) {
				t.Errorf("%s: the Toelichting shows the internal name %q:\n%s", path, storage.DefaultEmployer, strings.Join(got, "\n"))
			}
		}
	})
}
