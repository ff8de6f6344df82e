package ingest

import "testing"

func TestHeaderNamesAreReadAsAPersonReadsThem(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Medewerker", "Medewerker"},
		{"Medewerker\r", "Medewerker"},
		{"\uFEFFMedewerker", "Medewerker"},
		{"Reden\rherstel", "Reden herstel"},
		{"Reden\r\nherstel", "Reden herstel"},
		{"Eerste\u00a0ziektedag", "Eerste ziektedag"},
		{" \"Eerste ziektedag\" ", "Eerste ziektedag"},
		{"'Datum'", "Datum"},
		{"Aanwezigheid\t%", "Aanwezigheid %"},
		{"Soort\u200b regel", "Soort regel"},
		{`"`, `"`},
		{"", ""},
	} {
		if got := normaliseHeader(c.in); got != c.want {
			t.Errorf("normaliseHeader(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
