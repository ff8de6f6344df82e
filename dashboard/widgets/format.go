package widgets

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Figures as the pages write them: a decimal comma, "–" for none.

// Pct writes a percentage with one decimal.
func Pct(v *float64) string {
	if v == nil {
		return "–"
	}
	return strings.Replace(fmt.Sprintf("%.1f%%", *v), ".", ",", 1)
}

// Num writes a number with the given decimals.
func Num(v *float64, decimals int) string {
	if v == nil {
		return "–"
	}
	return strings.Replace(fmt.Sprintf("%.*f", decimals, *v), ".", ",", 1)
}

// Count writes a count.
func Count(v *int64) string {
	if v == nil {
		return "–"
	}
	return fmt.Sprint(*v)
}

// Euro writes an amount in whole euros with a point between thousands, as
// Dutch amounts are written: "€ 58.345".
func Euro(v *float64) string {
	if v == nil {
		return "–"
	}
	n := int64(math.Round(*v))
	sign := ""
	if n < 0 {
		sign, n = "−", -n
	}
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return "€ " + sign + s
}
