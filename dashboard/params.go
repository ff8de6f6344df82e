package dashboard

import (
	"errors"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/widgets"
)

// The parameters of one page beside the filter: the dimension of a
// breakdown ("by") and a reference date ("at"). A value we cannot use is an
// inputError (400).

// dimensionOf reads the breakdown's dimension ("by"); without one, def.
func dimensionOf(c *gin.Context, def analytics.Dimension) (analytics.Dimension, error) {
	by := c.Query("by")
	if by == "" {
		return def, nil
	}
	d, err := analytics.ParseDimension(by)
	if err != nil {
		var names []string
		for _, d := range analytics.Dimensions {
			names = append(names, string(d))
		}
		return def, badInput("bad_dimension", by, strings.Join(names, ", "))
	}
	return d, nil
}

// referenceDate reads the reference date ("at") of a request; zero when
// not given.
func referenceDate(c *gin.Context) (time.Time, error) {
	at := c.Query("at")
	if at == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse(time.DateOnly, at)
	if err != nil {
		return d, badInput("bad_date", at)
	}
	return d, nil
}

// figureInput turns a widget's complaint about a parameter into the
// inputError the user sees.
func figureInput(err error) error {
	var late widgets.ErrReferenceDate
	if errors.As(err, &late) {
		return badInput("reference_date_late", late.At.Format(time.DateOnly), analytics.LongAbsenceDays, late.Extract.Format(time.DateOnly))
	}
	var card widgets.ErrNoSuchCard
	if errors.As(err, &card) {
		return badInput("card_unknown_provider", card.Card.Provider)
	}
	return err
}
