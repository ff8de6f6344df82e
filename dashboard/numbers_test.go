package dashboard

import (
	"net/http"
	"regexp"
	"testing"
)

// wrongNumber finds a number written the other language's way: a decimal
// point in Dutch ("4.95"), a decimal comma in English ("5,2%"), and a
// p-value written as zero.
var wrongNumber = map[string]*regexp.Regexp{
	"nl": regexp.MustCompile(`\d\.\d|0,000\b`),
	"en": regexp.MustCompile(`\d,\d|0\.000\b`),
}

// visibleText is what a page shows as text: no tags, no chart options.
func visibleText(html string) string {
	return tags.ReplaceAllString(scripts.ReplaceAllString(html, " "), " ")
}

// Every page writes its numbers (tiles, tables, intervals, p-values) the
// way its language does: 5,2% and 4,95 in Dutch, 5.2% and 4.95 in English.
func TestPagesWriteNumbersInTheirLanguage(t *testing.T) {
	site := newTestSiteSized(t, 400)
	for _, lang := range []string{"nl", "en"} {
		if err := site.server.accounts.SetLang("admin", lang); err != nil {
			t.Fatal(err)
		}
		for _, e := range pages {
			code, body := getAs(t, site, "admin", e.path)
			if code != http.StatusOK {
				t.Fatalf("%s %s: %d", lang, e.path, code)
			}
			text := visibleText(body)
			for _, m := range wrongNumber[lang].FindAllStringIndex(text, 5) {
				from, to := max(m[0]-40, 0), min(m[1]+40, len(text))
				t.Errorf("%s %s: %q", lang, e.path, text[from:to])
			}
		}
	}
}
