package dashboard

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/sync/singleflight"
)

// generation is one version of the data as the dashboard serves it: the
// state its requests are read against (data version, extract date), the
// figures computed for it, and the requests it served. An import starts a
// new generation; the old one is served until the new one holds the figures
// users were looking at (generations.go).
type generation struct {
	state dataState

	mu      sync.Mutex
	entries map[string]entry
	recent  map[string]replay // by user view and URL
	next    *generation       // while the next one is computed
	prev    *generation       // the one served before, while this one is new
	flights singleflight.Group
}

const (
	// maxCacheEntries bounds a generation's figures and charts; past it an
	// arbitrary tenth is dropped, so the cache never goes cold at once.
	maxCacheEntries = 2000
	// maxRecent bounds the requests replayed to warm the next generation.
	// An import that moves the extract date moves every default period, so
	// the figures of before no longer stand in for those of a request the
	// refresh did not replay.
	maxRecent = 1000
)

// entry is a cached figure or chart with the employers whose data it was
// computed from (nil: every employer's).
type entry struct {
	value     any
	employers []int64
}

func newGeneration(st dataState) *generation {
	return &generation{state: st, entries: map[string]entry{}, recent: map[string]replay{}}
}

// takeOver copies the entries of generation from whose employers' data is
// the same in g: an import of one employer leaves the other employers'
// figures as they were. It returns how many it took.
func (g *generation) takeOver(from *generation) int {
	from.mu.Lock()
	kept := map[string]entry{}
	for k, e := range from.entries {
		if g.state.unchanged(from.state, e.employers) {
			kept[k] = e
		}
	}
	from.mu.Unlock()
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for k, e := range kept {
		if _, ok := g.entries[k]; !ok && len(g.entries) < maxCacheEntries {
			g.entries[k] = e
			n++
		}
	}
	return n
}

// cached returns the value of key in generation g, computing it once however
// many requests ask for it at the same time (single flight), from the data
// of employers (nil: every employer; it decides whether a later generation
// may take the value over). compute is
// detached from the requests: ctx only bounds how long this one waits for
// it, so when a client gives up, the computation goes on for the others and
// for the cache. When ctx ends first, the error is its cause.
func cached[T any](ctx context.Context, g *generation, key string, employers []int64, compute func() (T, error)) (T, error) {
	var zero T
	if v, ok := g.get(key); ok {
		return v.(T), nil
	}
	ch := g.flights.DoChan(key, func() (any, error) {
		if v, ok := g.get(key); ok { // a flight that just ended computed it
			return v, nil
		}
		v, err := compute()
		if err != nil {
			return nil, err
		}
		g.put(key, entry{v, employers})
		return v, nil
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return zero, r.Err
		}
		return r.Val.(T), nil
	case <-ctx.Done():
		return zero, context.Cause(ctx)
	}
}

func (g *generation) get(key string) (any, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	e, ok := g.entries[key]
	return e.value, ok
}

func (g *generation) put(key string, e entry) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.entries) >= maxCacheEntries {
		n := 0
		for k := range g.entries { // map order is random
			delete(g.entries, k)
			if n++; n >= maxCacheEntries/10 {
				break
			}
		}
	}
	g.entries[key] = e
}

// replay is a request a generation served, to be served again for the next
// generation before it takes over.
type replay struct {
	handler   gin.HandlerFunc
	url       url.URL
	user      User
	employers []int64 // whose data its figures read; nil: every employer's
	at        time.Time
}

// remember notes the request c, of the data of employers (nil: every
// employer's), for replaying. Requests of users who see the
// same (role, scope, departments, language) are one. A replay itself (a
// refresh, the warming) is no user's request, and has no handler to replay;
// a form post (the pseudonym lookup) is not replayed without its form.
func (g *generation) remember(c *gin.Context, u User, employers []int64) {
	if c.Request.Context().Value(refreshing{}) != nil || c.Request.Method != http.MethodGet {
		return
	}
	key := string(u.Role) + "\x00" + u.Lang + "\x00" + url.Values{"d": u.Departments, "e": {u.Employer}, "p": {u.Provider}, "s": u.Employers}.Encode() + "\x00" + c.Request.URL.RequestURI()
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.recent[key]; !ok && len(g.recent) >= maxRecent {
		var oldest string
		for k, r := range g.recent {
			if oldest == "" || r.at.Before(g.recent[oldest].at) {
				oldest = k
			}
		}
		delete(g.recent, oldest)
	}
	g.recent[key] = replay{handler: c.Handler(), url: *c.Request.URL, user: u, employers: employers, at: time.Now()}
}
