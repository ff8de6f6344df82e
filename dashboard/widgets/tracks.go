package widgets

import (
	"context"

	"github.com/verzuim/absence/analytics"
)

// PoortwachterTracks are the legal tracks (cases chained by gaps under four
// weeks), the milestones due in the coming weeks, those overdue, and — with
// milestone dates imported — how often each milestone was met on time.
type PoortwachterTracks struct{ res analytics.TracksResult }

// TracksData is what the template shows.
type TracksData struct {
	analytics.TracksResult
	Tracks []TrackRow
}

// TrackRow is an open track as the page lists it: every step once, of the
// evaluations of the action plan only the latest (past ones are in the
// compliance table and the JSON).
type TrackRow struct {
	analytics.Track
	Shown []analytics.MilestoneStatus
}

func (*PoortwachterTracks) Name() string { return "tracks" }

func (w *PoortwachterTracks) Load(ctx context.Context, d Deps, v View) (err error) {
	w.res, err = Tracks.Get(ctx, d, v)
	return err
}

func (w *PoortwachterTracks) Render(Deps, View) Output {
	rows := make([]TrackRow, 0, len(w.res.Open))
	for _, t := range w.res.Open {
		r := TrackRow{Track: t}
		for i, m := range t.Milestones {
			if next := i + 1; next < len(t.Milestones) && t.Milestones[next].Milestone == m.Milestone {
				continue
			}
			r.Shown = append(r.Shown, m)
		}
		rows = append(rows, r)
	}
	return Output{Data: TracksData{TracksResult: w.res, Tracks: rows}}
}
