package widgets

import (
	"fmt"
)

// CardTiming says whether an early start (before day EarlyDays) did better
// than a late one, each against no intervention, in the model that drops
// nobody: an early start is not credited with the time a late one had to
// wait.
type CardTiming struct{ cardSection }

// CardTimingData is the section as its template shows it.
type CardTimingData struct {
	Hint      string
	Why       string
	Sentences []string
}

func (*CardTiming) Name() string { return "cardTiming" }

func (w *CardTiming) Render(_ Deps, v View) Output {
	t := w.fig.Timing
	out := CardTimingData{Hint: v.T("card_timing_hint")}
	if t.Suppressed {
		out.Why = Why(v, t.Reason)
		return Output{Data: out}
	}
	out.Sentences = []string{
		fmt.Sprintf(v.T("card_timing_early"), t.EarlyDays, Count(t.NEarly), HRShort(v, t.Early)),
		fmt.Sprintf(v.T("card_timing_late"), t.EarlyDays, Count(t.NLate), HRShort(v, t.Late)),
		fmt.Sprintf(v.T("card_timing_none"), Count(t.NNone)),
	}
	return Output{Data: out}
}
