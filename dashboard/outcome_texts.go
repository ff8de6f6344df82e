package dashboard

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/widgets"
)

// Define is the hover text of a figure, from the definitions its result
// carries, in the user's language: the plain text for HR where there is
// one, otherwise the formula, convention and interval.
func (p page) Define(defs analytics.DefinitionList, key string) string {
	for _, d := range defs {
		if d.Key != key {
			continue
		}
		t := d.In(p.Lang)
		if t.Summary != "" {
			return t.Summary
		}
		parts := []string{capitalise(t.Name) + ": " + t.Formula}
		for _, s := range []string{t.Convention, t.Interval} {
			if s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, " — ")
	}
	return ""
}

// capitalise starts a name with a capital, as the Dutch terms are written
// in lower case.
func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// RelapseDays are the columns of the relapse table.
func (p page) RelapseDays() []int { return analytics.RelapseDays }

// RelapseArms groups the relapse figure by arm, each arm's estimates in
// the order of RelapseDays.
func (p page) RelapseArms(rs []analytics.RelapseEstimate) [][]analytics.RelapseEstimate {
	return chunks(rs, len(analytics.RelapseDays))
}

// Share shows a fraction (0–1) as a percentage, "40,0%", or "–".
func (p page) Share(v *float64) string {
	if v == nil {
		return widgets.Pct(p.Lang, nil)
	}
	return widgets.Pct(p.Lang, new(100**v))
}

// FrequentToLongMonths are the columns of the frequent-to-long table.
func (p page) FrequentToLongMonths() []int { return analytics.FrequentToLongMonths }

// FrequentToLongGroups groups the estimates by group, each in the order of
// FrequentToLongMonths.
func (p page) FrequentToLongGroups(es []analytics.FrequentToLongEstimate) [][]analytics.FrequentToLongEstimate {
	return chunks(es, len(analytics.FrequentToLongMonths))
}

func chunks[T any](s []T, n int) [][]T {
	var out [][]T
	for i := 0; i+n <= len(s); i += n {
		out = append(out, s[i:i+n])
	}
	return out
}
