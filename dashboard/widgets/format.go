package widgets

import (
	"math"
	"strconv"
	"strings"
)

// Figures as the pages write them, in the page's language: a decimal comma
// in Dutch ("5,2%", "4,95"), a point in English ("5.2%", "4.95"); "–" for
// none. No thousands separator, so a count reads the same in both. The
// charts write their values by the same rules (static/charts.js, with the
// decimals and unit of charts.Number); the CSV downloads by Decimal.

// none is what a figure that is not there shows.
const none = "–"

// Round rounds v to the given decimals, a half away from zero as
// Intl.NumberFormat does in the charts (strconv would round 2.5 to 2).
func Round(v float64, decimals int) float64 {
	p := math.Pow10(decimals)
	return math.Round(v*p) / p
}

// Decimal writes v with the given decimals in lang's way.
func Decimal(lang string, v float64, decimals int) string {
	s := strconv.FormatFloat(Round(v, decimals), 'f', decimals, 64)
	if isNegativeZero(s) {
		s = s[1:]
	}
	if lang == "nl" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// isNegativeZero tells "-0.00" (a small negative rounded away) from a
// negative number.
func isNegativeZero(s string) bool {
	return strings.HasPrefix(s, "-") && strings.Trim(s[1:], "0.") == ""
}

// Pct writes a percentage (0–100) with one decimal: "5,2%".
func Pct(lang string, v *float64) string {
	if v == nil {
		return none
	}
	return Decimal(lang, *v, 1) + "%"
}

// Num writes a number with the given decimals: "4,95".
func Num(lang string, v *float64, decimals int) string {
	if v == nil {
		return none
	}
	return Decimal(lang, *v, decimals)
}

// Count writes a count.
func Count(v *int64) string {
	if v == nil {
		return none
	}
	return strconv.FormatInt(*v, 10)
}

// P writes a p-value: three decimals, and "< 0,001" below that, never a
// p of zero.
func P(lang string, p float64) string {
	if p < 0.001 {
		return "< " + Decimal(lang, 0.001, 3)
	}
	return Decimal(lang, p, 3)
}

// Between writes an interval from its bounds as written: "1,1 – 6,5", or
// one value when both bounds read the same ("5 dagen", not "5 – 5").
func Between(low, high string) string {
	if low == high {
		return low
	}
	return low + " – " + high
}

// Euro writes an amount in whole euros with thousands separated as the
// language does: "€ 58.345" in Dutch, "€58,345" in English.
func Euro(lang string, v *float64) string {
	if v == nil {
		return none
	}
	n := int64(math.Round(*v))
	sign := ""
	if n < 0 {
		sign, n = "−", -n
	}
	sep, prefix := ".", "€ "
	if lang == "en" {
		sep, prefix = ",", "€"
	}
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	return prefix + sign + s
}

// Dates as the pages write them: 30-06-2026 in Dutch; 30 Jun 2026 in
// English, which no reader takes for 6 March; "–" for none.
var dateLayouts = map[string]string{"nl": "02-01-2006", "en": "2 Jan 2006"}

// Dated is a time.Time, or a type that holds one (analytics.Date).
type Dated interface {
	Format(layout string) string
	IsZero() bool
}

// Date writes a date in lang's way.
func Date(lang string, t Dated) string {
	if t.IsZero() {
		return none
	}
	l, ok := dateLayouts[lang]
	if !ok {
		l = dateLayouts["nl"]
	}
	return t.Format(l)
}

// DateTime writes a date and time of day: "01-07-2026 08:15".
func DateTime(lang string, t Dated) string {
	if t.IsZero() {
		return none
	}
	return Date(lang, t) + t.Format(" 15:04")
}
