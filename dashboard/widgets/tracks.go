package widgets

import (
	"context"
	"slices"
	"time"

	"github.com/verzuim/absence/analytics"
)

// PoortwachterTracks are the legal tracks (cases chained by gaps under four
// weeks), the milestones due in the coming weeks, those overdue, and — with
// milestone dates imported — how often each milestone was met on time.
type PoortwachterTracks struct{ res analytics.TracksResult }

// ShownTracks is how many open tracks the page lists: the most urgent.
// A list of every track was a 4.5 MB page at 100k employees, more than a
// browser under load reads in a minute; the filter narrows the list and the
// JSON API has them all.
const ShownTracks = 200

// TracksData is what the template shows.
type TracksData struct {
	analytics.TracksResult
	Tracks []TrackRow // the ShownTracks most urgent open tracks
	Hidden int        // open tracks not listed
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
	// Most urgent first: a missed step (longest overdue on top), then the
	// nearest coming deadline.
	slices.SortStableFunc(rows, func(a, b TrackRow) int {
		if am, bm := a.missed(), b.missed(); am != bm {
			if am {
				return -1
			}
			return 1
		}
		return a.next().Compare(b.next())
	})
	hidden := max(0, len(rows)-ShownTracks)
	return Output{Data: TracksData{TracksResult: w.res, Tracks: rows[:len(rows)-hidden], Hidden: hidden}}
}

// missed says whether a step of the track is past due and not recorded.
func (r TrackRow) missed() bool {
	return slices.ContainsFunc(r.Milestones, func(m analytics.MilestoneStatus) bool { return m.Status == analytics.StatusMissing })
}

// next is the due date that makes the track urgent: its earliest missed
// step, or else its earliest coming one (far in the future when none).
func (r TrackRow) next() time.Time {
	want := analytics.StatusUpcoming
	if r.missed() {
		want = analytics.StatusMissing
	}
	next := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	for _, m := range r.Milestones {
		if m.Status == want && m.Due.Before(next) {
			next = m.Due.Time
		}
	}
	return next
}
