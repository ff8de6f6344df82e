package widgets

import (
	"context"

	"github.com/verzuim/absence/analytics"
)

// PoortwachterTracks are the legal tracks (cases chained by gaps under four
// weeks) as a worklist of the open ones, and — with milestone dates
// imported — how often each milestone was met on time.
type PoortwachterTracks struct{ res analytics.TracksResult }

// TracksData is what the template shows.
type TracksData struct {
	analytics.TracksResult
	// Worklist is one page of the open tracks of the view the user chose
	// (view, q, page): at 100k employees the full list was a 4.5 MB page
	// that clients under load could not read within a minute (issue 9).
	Worklist Worklist
}

func (*PoortwachterTracks) Name() string { return "tracks" }

func (w *PoortwachterTracks) Load(ctx context.Context, d Deps, v View) (err error) {
	w.res, err = Tracks.Get(ctx, d, v)
	return err
}

func (w *PoortwachterTracks) Render(_ Deps, v View) Output {
	return Output{Data: TracksData{TracksResult: w.res, Worklist: Select(w.res, WorklistQueryOf(v.Query))}}
}
