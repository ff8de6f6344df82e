package dashboard

import (
	"strings"

	"github.com/verzuim/absence/analytics"
)

// Define is the hover text of a figure, from the definitions its result
// carries: in Dutch the plain text for HR where there is one, otherwise
// (and in English) the formula, convention and interval.
func (p page) Define(defs analytics.DefinitionList, key string) string {
	for _, d := range defs {
		if d.Key != key {
			continue
		}
		if p.Lang == "nl" && d.DutchText != "" {
			return d.DutchText
		}
		parts := []string{d.Name + ": " + d.Formula}
		for _, s := range []string{d.Convention, d.Interval} {
			if s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, " — ")
	}
	return ""
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
		return fmtPct(nil)
	}
	return fmtPct(new(100 * *v))
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
