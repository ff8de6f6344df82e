package dashboard

import (
	"context"
	"errors"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
)

// How cases end and frequent absence followed by long absence, computed
// once per view and generation of the data for the pages and the API.

// outcomes is how the cases of the view ended (every time at which a case
// ended, for the chart), per value of by when given. Like interventions,
// the default period is three years: long cases take that long to end.
func (s *Server) outcomes(c *gin.Context, v view, by analytics.Dimension) (analytics.OutcomesResult, error) {
	v = interventionView(c, v)
	return figure(s, c, "outcomes/"+string(by), v.key(), func(ctx context.Context) (analytics.OutcomesResult, error) {
		return analytics.Outcomes(ctx, s.store.Reader(), v.filter(), by, analytics.OutcomesOptions{AllTimes: true}, s.cfg.Analytics)
	})
}

// frequentToLong follows the frequent absentees of the reference date at
// (the zero time: analytics.DefaultReferenceDate of the extract date).
func (s *Server) frequentToLong(c *gin.Context, v view, at time.Time) (analytics.FrequentToLongResult, error) {
	g, err := s.gen(c)
	if err != nil {
		return analytics.FrequentToLongResult{}, err
	}
	if at.IsZero() {
		at = analytics.DefaultReferenceDate(g.state.extract)
	}
	res, err := figure(s, c, "frequent-to-long/"+at.Format(time.DateOnly), v.key(), func(ctx context.Context) (analytics.FrequentToLongResult, error) {
		return analytics.FrequentToLong(ctx, s.store.Reader(), v.filter(), at, s.cfg.Analytics)
	})
	if errors.Is(err, analytics.ErrReferenceDate) {
		return res, badInput("reference_date_late", at.Format(time.DateOnly), analytics.LongAbsenceDays, g.state.extract.Format(time.DateOnly))
	}
	return res, err
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

func (s *Server) apiOutcomes(c *gin.Context) (any, error) {
	v, err := s.apiView(c)
	if err != nil {
		return nil, err
	}
	by, err := dimensionOf(c, "")
	if err != nil {
		return nil, err
	}
	return s.outcomes(c, v, by)
}

func (s *Server) apiFrequentToLong(c *gin.Context) (any, error) {
	v, err := s.apiView(c)
	if err != nil {
		return nil, err
	}
	at, err := referenceDate(c)
	if err != nil {
		return nil, err
	}
	return s.frequentToLong(c, v, at)
}
