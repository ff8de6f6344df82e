package dashboard

import (
	"context"
	"log/slog"
	"net/url"
	"sync"
	"time"
)

// warming computes the default view of every page before anyone asks: after
// the server starts, and after each import's new figures took over. It runs
// as a refresh does, one figure at a time behind the users' (busy.go), so
// it takes at most one query slot and never makes a user wait.
type warming struct {
	mu      sync.Mutex
	on      bool // Warm was called: warm again after each swap
	running bool
	again   bool // the data changed while warming: warm once more
}

// Warm starts computing the default views in the background: every page,
// unfiltered, for the default period, as an admin sees it in Dutch. Once
// called, it runs again whenever an import's figures take over.
func (s *Server) Warm() {
	s.warm.mu.Lock()
	s.warm.on = true
	s.warm.mu.Unlock()
	s.warmAgain()
}

// warmAgain warms the serving generation if Warm was called.
func (s *Server) warmAgain() {
	w := &s.warm
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.on {
		return
	}
	if w.running {
		w.again = true
		return
	}
	w.running = true
	go func() {
		for {
			s.warmDefaults()
			w.mu.Lock()
			if !w.again || s.base.Err() != nil {
				w.running = false
				w.mu.Unlock()
				return
			}
			w.again = false
			w.mu.Unlock()
		}
	}()
}

func (s *Server) warmDefaults() {
	began := time.Now()
	g, err := s.serving(s.base)
	if err != nil {
		slog.Warn("could not compute the default views in advance; they are computed when asked for", "error", err)
		return
	}
	ctx := context.WithValue(s.base, refreshing{}, true)
	warmer := User{Name: "(warming)", Role: RoleAdmin, Lang: "nl"}
	n := 0
	for i := range pages {
		if e := &pages[i]; e.widgets != nil && s.base.Err() == nil {
			s.replay(ctx, g, replay{handler: s.showPage(e), url: url.URL{Path: e.path}, user: warmer})
			n++
		}
	}
	slog.Info("default views computed in advance", "pages", n, "data_version", g.state.version, "took", time.Since(began).Round(time.Millisecond))
}
