package widgets

import (
	"context"
	"sync"
)

// Loaded is a widget after Run: its output, or why it has none.
type Loaded struct {
	Widget Widget
	Output Output
	Err    error // context.DeadlineExceeded when it took longer than the page may
}

// Run loads a page's widgets side by side, at most parallel at a time (0:
// all at once), and renders those that loaded before ctx ended (the page's
// time). The database work itself waits for the server's query slots
// (Cache), so parallel only bounds how many of a page's widgets wait at
// once; a figure that outlives the page is still computed and cached for
// the next request.
func Run(ctx context.Context, d Deps, v View, list []Widget, parallel int) []Loaded {
	out := make([]Loaded, len(list))
	if parallel <= 0 {
		parallel = len(list)
	}
	slots := make(chan struct{}, max(parallel, 1))
	var wg sync.WaitGroup
	for i, w := range list {
		wg.Go(func() {
			select {
			case slots <- struct{}{}:
				defer func() { <-slots }()
			case <-ctx.Done():
				out[i] = Loaded{Widget: w, Err: ctx.Err()}
				return
			}
			out[i] = Loaded{Widget: w, Err: w.Load(ctx, d, v)} // the cache gives up when ctx ends
		})
	}
	wg.Wait()
	for i, l := range out {
		if l.Err == nil {
			out[i].Output = l.Widget.Render(d, v)
		}
	}
	return out
}
