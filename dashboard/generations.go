package dashboard

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
)

// The dashboard serves one generation of the data at a time (cache.go). When
// an import or a purge commits (upload, API, inbox, schedule: the store
// counts commits), the next request starts a refresh in the background: it
// reads the new state, takes over every figure of the serving generation
// whose employers' data did not change (a provider's nightly inbox run
// commits one employer after another), replays the requests of the
// employers whose data changed against a new generation, most recent first
// and one at a time — so the figures users are looking at are computed
// once, and leave query slots free for the users — and then swaps. Until
// then every request is served from the old generation, whose figures are
// already there: an import never empties the cache under the users' feet.

// refreshBudget bounds a refresh: then the new generation takes over,
// whatever it holds, and a figure it lacks is served from the old one while
// it is computed. It is generous: a refresh takes one query slot at a time,
// and until it ends the users see the figures of before. A variable for
// tests.
var refreshBudget = 10 * time.Minute

// computeTimeout bounds one computation, its wait for a query slot
// included: it belongs to no request, only to the server (Close ends it).
const computeTimeout = 5 * time.Minute

const (
	// ctxGeneration holds the generation a request is served from.
	ctxGeneration = "generation"
	// ctxQueueDeadline holds when a request stops waiting for query slots.
	ctxQueueDeadline = "queue_deadline"
)

// refreshing marks requests no user waits for: a refresh's replays and the
// warming. Their figures wait for a query slot behind the users' (busy.go).
type refreshing struct{}

// answering marks requests whose client needs the complete answer (the API,
// CSV downloads, the filter bar): their figures go before the widgets of
// pages, which show "being computed" meanwhile.
type answering struct{}

func answer(ctx context.Context) context.Context { return context.WithValue(ctx, answering{}, true) }

// gen is the generation request c is served from: fixed at its first use, so
// all of a page is read against one state of the data.
func (s *Server) gen(c *gin.Context) (*generation, error) {
	if g, ok := c.Get(ctxGeneration); ok {
		return g.(*generation), nil
	}
	g, err := s.serving(c.Request.Context())
	if err != nil {
		return nil, err
	}
	c.Set(ctxGeneration, g)
	return g, nil
}

// serving is the generation requests are served from; it starts a refresh
// when the store has committed since.
func (s *Server) serving(ctx context.Context) (*generation, error) {
	s.genMu.Lock()
	defer s.genMu.Unlock()
	commits := s.store.Commits()
	switch {
	case s.current == nil:
		st, err := s.readState(ctx, commits)
		if err != nil {
			return nil, err
		}
		s.current = newGeneration(st)
		go s.writeUnits(st)
	case s.current.state.commits != commits && !s.refreshing:
		s.refreshing = true
		go s.refresh()
	}
	return s.current, nil
}

// refresh computes the next generation, then swaps it in. When another
// import commits meanwhile (an employment file, then an absence file), the
// figures replayed so far are already old: it starts over on the newest
// data, within the one budget, rather than swap in a generation that is
// stale at once.
func (s *Server) refresh() {
	began := time.Now()
	ctx := context.WithValue(context.Background(), refreshing{}, true)
	budget, cancel := context.WithTimeout(ctx, refreshBudget)
	defer cancel()
	s.genMu.Lock()
	old := s.current
	s.genMu.Unlock()
	all := old.replays()
	var next *generation
	var replays []replay
	done, kept := 0, 0
	for next == nil || next.state.commits != s.store.Commits() && budget.Err() == nil {
		read, cancel := context.WithTimeout(ctx, time.Minute)
		st, err := s.readState(read, s.store.Commits())
		cancel()
		if err != nil {
			slog.Error("read the data after an import; the figures of before are still shown", "error", err)
			s.genMu.Lock()
			s.refreshing = false
			s.genMu.Unlock()
			return
		}
		attempt := next // computed for data that changed again since
		next = newGeneration(st)
		next.prev = old
		kept = next.takeOver(old)
		if attempt != nil {
			kept += next.takeOver(attempt)
		}
		old.mu.Lock()
		old.next, old.prev = next, nil
		old.mu.Unlock()
		replays = slices.DeleteFunc(slices.Clone(all), func(r replay) bool { return st.unchanged(old.state, r.employers) })
		for done = 0; done < len(replays) && budget.Err() == nil; done++ {
			s.replay(budget, next, replays[done])
		}
	}
	recent := old.replaysByKey() // what users asked for meanwhile too
	next.mu.Lock()
	next.recent = recent
	next.mu.Unlock()
	s.genMu.Lock()
	s.current, s.refreshing = next, false
	s.genMu.Unlock()
	go s.writeUnits(next.state)
	slog.Info("figures refreshed after an import", "data_version", next.state.version, "figures_kept", kept,
		"requests_replayed", done, "of", len(replays), "unchanged_requests", len(all)-len(replays), "took", time.Since(began).Round(time.Millisecond))
	s.warmAgain()
}

// replay serves request r again, for generation g, without a client: its
// handler runs on a context that carries the user and the generation.
func (s *Server) replay(ctx context.Context, g *generation, r replay) {
	defer func() { // as gin's recovery does for a request
		if p := recover(); p != nil {
			slog.Error("panic while refreshing figures", "url", r.url.String(), "error", fmt.Sprint(p))
		}
	}()
	c, _ := gin.CreateTestContext(discardWriter{http.Header{}})
	u := r.url
	c.Request = (&http.Request{Method: http.MethodGet, URL: &u, Header: http.Header{}}).WithContext(ctx)
	c.Set(ctxUser, r.user)
	c.Set(ctxSession, session{})
	c.Set(ctxGeneration, g)
	r.handler(c)
	if c.Writer.Status() != http.StatusOK {
		slog.Warn("figures of a page could not be refreshed; they are computed when next asked for", "url", u.String(), "status", c.Writer.Status())
	}
}

// replays are the remembered requests, most recent first.
func (g *generation) replays() []replay {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := slices.Collect(maps.Values(g.recent))
	slices.SortFunc(out, func(a, b replay) int { return b.at.Compare(a.at) })
	return out
}

func (g *generation) replaysByKey() map[string]replay {
	g.mu.Lock()
	defer g.mu.Unlock()
	return maps.Clone(g.recent)
}

type discardWriter struct{ h http.Header }

func (w discardWriter) Header() http.Header         { return w.h }
func (w discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w discardWriter) WriteHeader(int)             {}

// figure is a figure of the request's generation, computed by the database
// under a query slot when it is not cached yet. While the next generation is
// being computed, the database already holds its data: what is computed then
// is computed for the next generation (and shared with its refresh). A figure
// the refresh did not get to is served from the previous generation while it
// is computed. ctx is the request's context or one derived from it.
func figure[T any](ctx context.Context, s *Server, c *gin.Context, name, key string, employers []int64, compute func(context.Context) (T, error)) (T, error) {
	g, err := s.gen(c)
	if err != nil {
		var zero T
		return zero, err
	}
	key = name + "?" + key
	g.mu.Lock()
	e, ok := g.entries[key]
	into, prev := g, g.prev
	if g.next != nil {
		into = g.next
	}
	g.mu.Unlock()
	if ok {
		return e.value.(T), nil
	}
	slot := strconv.FormatInt(into.state.commits, 10) + "/" + key // the figure in the query queue
	p := prioPage
	switch {
	case ctx.Value(refreshing{}) != nil:
		return cached(ctx, into, key, employers, underSlot(s, name, slot, prioBackground, compute))
	case ctx.Value(answering{}) != nil:
		p = prioAnswer
	}
	if prev != nil && into == g {
		if old, ok := prev.get(key); ok {
			go cached(s.base, g, key, employers, underSlot(s, name, slot, prioBackground, compute))
			return old.(T), nil
		}
	}
	wait, cancel := context.WithDeadlineCause(ctx, s.queueDeadline(c), errBusy{fmt.Errorf("figure %s not ready within the queue time of %s", name, s.slots.wait)})
	defer cancel()
	defer s.slots.ask(slot, p)()
	return cached(wait, into, key, employers, underSlot(s, name, slot, p, compute))
}

// queueDeadline is when request c stops waiting for its figures: it waits
// the queue time in all, however many figures it needs.
func (s *Server) queueDeadline(c *gin.Context) time.Time {
	if d, ok := c.Get(ctxQueueDeadline); ok {
		return d.(time.Time)
	}
	d := time.Now().Add(s.slots.wait)
	c.Set(ctxQueueDeadline, d)
	return d
}

// underSlot computes under a query slot, waiting for one at priority p, and
// times it. It runs on the server's context, not a request's: a client that
// gives up does not cancel what others wait for, a shutdown does.
func underSlot[T any](s *Server, name, key string, p priority, compute func(context.Context) (T, error)) func() (T, error) {
	return func() (T, error) {
		ctx, cancel := context.WithTimeout(s.base, computeTimeout)
		defer cancel()
		var v T
		err := s.slots.run(ctx, key, p, func() (err error) {
			began := time.Now()
			v, err = compute(ctx)
			s.metrics.computed.WithLabelValues(name).Observe(time.Since(began).Seconds())
			return err
		})
		if err != nil && s.base.Err() != nil {
			err = errBusy{fmt.Errorf("figure %s: the server is shutting down: %w", name, err)}
		}
		return v, err
	}
}

// dataState is what every request needs to know about the data: its
// version, each employer's, and the installation's latest extract date
// (the default period of a view of every employer ends on it; a view of
// chosen employers ends on theirs, scope.go). The server owns the
// database, so they change only when an import, undo or purge through its
// store commits (upload, API, inbox, schedule).
type dataState struct {
	version  int64
	versions map[int64]int64 // by employer: its newest import, undo or purge
	extract  time.Time
	commits  int64 // the store's commit count when read
}

// unchanged tells whether the data of employers (nil: every employer's,
// and which employers there are) is in st as it was in old: then a figure
// computed from them for old is exactly the figure for st.
func (st dataState) unchanged(old dataState, employers []int64) bool {
	if employers == nil {
		return maps.Equal(st.versions, old.versions)
	}
	for _, id := range employers {
		v, ok := st.versions[id]
		if w, was := old.versions[id]; !ok || !was || v != w {
			return false
		}
	}
	return true
}

func (s *Server) readState(ctx context.Context, commits int64) (dataState, error) {
	v, err := s.store.DataVersion(ctx)
	if err != nil {
		return dataState{}, err
	}
	versions, err := s.store.Reader().EmployerVersions(ctx)
	if err != nil {
		return dataState{}, err
	}
	extract, err := analytics.LatestExtractDate(ctx, s.store.Reader())
	if err != nil {
		return dataState{}, err
	}
	return dataState{version: v, versions: versions, extract: extract, commits: commits}, nil
}
