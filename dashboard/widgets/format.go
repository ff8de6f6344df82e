package widgets

import (
	"fmt"
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
