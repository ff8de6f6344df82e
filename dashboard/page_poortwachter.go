package dashboard

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
)

// showPoortwachter answers "which cases need action this month": the legal
// tracks (cases chained by gaps under four weeks), the milestones due in the
// coming weeks, those overdue, and — with milestone dates imported — how
// often each milestone was met on time. Personal (pseudonymised) data: admin
// and HR only.
func (s *Server) showPoortwachter(c *gin.Context) {
	v, ok := s.viewOf(c)
	if !ok {
		return
	}
	tracks, err := s.tracks(c, v)
	if err != nil {
		s.serverError(c, err)
		return
	}
	p, err := s.viewPage(c, "poortwachter", v)
	if err != nil {
		s.serverError(c, err)
		return
	}
	p.Data = poortwachterView{TracksResult: tracks, Tracks: trackRows(tracks.Open)}
	s.render(c, http.StatusOK, p)
}

type poortwachterView struct {
	analytics.TracksResult
	Tracks []trackRow
}

// trackRow is an open track as the page lists it: every step once, of the
// evaluations of the action plan only the latest (past ones are in the
// compliance table and the JSON).
type trackRow struct {
	analytics.Track
	Shown []analytics.MilestoneStatus
}

func trackRows(open []analytics.Track) []trackRow {
	out := make([]trackRow, 0, len(open))
	for _, t := range open {
		r := trackRow{Track: t}
		for i, m := range t.Milestones {
			if next := i + 1; next < len(t.Milestones) && t.Milestones[next].Milestone == m.Milestone {
				continue
			}
			r.Shown = append(r.Shown, m)
		}
		out = append(out, r)
	}
	return out
}
