package dashboard

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/gin-gonic/gin"
	)

// querySlots limit how many figures are computed at once. DuckDB already
// spreads one query over every core, so more queries at once only share the
// same cores and add up their memory: past a few, they end in "Out of
// Memory". Computations wait for a slot in order of priority, then of
// arrival. Waiting never fails a computation (it is bounded by
// computeTimeout); it is the request that stops waiting (generations.go).
type querySlots struct {
	n    int
	wait time.Duration // how long a request that needs a complete answer waits for its figures

	mu      sync.Mutex
	free    int
	queue   [priorities][]*ticket
	waiting map[string]*ticket // by cache key, to promote
}

// priority orders the computations waiting for a slot, most urgent first.
type priority int

const (
	// prioAnswer: a client waits for the complete answer (an API call, a
	// CSV download, the filter bar's lists).
	prioAnswer priority = iota
	// prioPage: a widget of a page, which shows "being computed" meanwhile.
	prioPage
	// prioBackground: nobody waits (warming, a refresh after an import).
	prioBackground
	priorities
)

// ticket is a computation waiting for a slot.
type ticket struct {
	key     string
	prio    priority
	granted chan struct{}
}

// DefaultQuerySlots is one slot per core, at most four: each slot may hold
// a query's working memory, and the default memory limit is 1 GB.
func DefaultQuerySlots() int { return min(max(runtime.GOMAXPROCS(0), 1), 4) }

// DefaultQueueTimeout is how long an API call or a download waits for its
// figures by default: scripts want complete answers, so it waits as long as
// a reverse proxy lets a request run by default (nginx, load balancers: 60
// s), with a margin.
const DefaultQueueTimeout = 50 * time.Second

func newQuerySlots(n int, wait time.Duration) *querySlots {
	if n <= 0 {
		n = DefaultQuerySlots()
	}
	if wait <= 0 {
		wait = DefaultQueueTimeout
	}
	return &querySlots{n: n, wait: wait, free: n, waiting: map[string]*ticket{}}
}

// run computes the figure of key under a slot, waiting for one at priority
// p for as long as ctx lasts.
func (q *querySlots) run(ctx context.Context, key string, p priority, compute func() error) error {
	if err := q.acquire(ctx, key, p); err != nil {
		return err
	}
	defer q.release()
	return compute()
}

func (q *querySlots) acquire(ctx context.Context, key string, p priority) error {
	q.mu.Lock()
	if q.free > 0 {
		q.free--
		q.mu.Unlock()
		return nil
	}
	t := &ticket{key: key, prio: p, granted: make(chan struct{})}
	q.queue[p] = append(q.queue[p], t)
	q.waiting[key] = t
	q.mu.Unlock()
	select {
	case <-t.granted:
		return nil
	case <-ctx.Done():
		q.mu.Lock()
		q.forget(t)
		select {
		case <-t.granted: // granted meanwhile: hand it on
			q.mu.Unlock()
			q.release()
		default:
			q.queue[t.prio] = slices.DeleteFunc(q.queue[t.prio], func(o *ticket) bool { return o == t })
			q.mu.Unlock()
		}
		return ctx.Err()
	}
}

// release gives the slot to the first of the most urgent waiting.
func (q *querySlots) release() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for p, waiting := range q.queue {
		if len(waiting) > 0 {
			t := waiting[0]
			q.queue[p] = waiting[1:]
			q.forget(t)
			close(t.granted)
			return
		}
	}
	q.free++
}

func (q *querySlots) forget(t *ticket) {
	if q.waiting[t.key] == t {
		delete(q.waiting, t.key)
	}
}

// promote moves the computation of key, if it waits for a slot, up to
// priority p: a client who needs the complete answer joined a computation a
// page or the warming started.
func (q *querySlots) promote(key string, p priority) {
	q.mu.Lock()
	defer q.mu.Unlock()
	t, ok := q.waiting[key]
	if !ok || t.prio <= p {
		return
	}
	q.queue[t.prio] = slices.DeleteFunc(q.queue[t.prio], func(o *ticket) bool { return o == t })
	t.prio = p
	q.queue[p] = append(q.queue[p], t)
}

// errBusy is a request the server cannot serve now but will shortly: its
// figures were not ready in the queue time, or DuckDB ran out of memory.
type errBusy struct{ error }

func (e errBusy) Unwrap() error { return e.error }

// isBusy tells errBusy and DuckDB's out-of-memory errors from failures.
func isBusy(err error) bool {
	var db *duckdb.Error
	return errors.As(err, &errBusy{}) || errors.As(err, &db) && db.Type == duckdb.ErrorTypeOutOfMemory
}

// retryAfter is what a busy answer asks the client to wait, in seconds.
const retryAfter = 10

// answerBusy tells the client to try again shortly (503 with Retry-After), in
// the user's language or as the API's JSON error, and logs the cause.
func answerBusy(c *gin.Context, cause error) {
	slog.Warn("request answered busy", "path", c.Request.URL.Path, "cause", cause.Error())
	c.Header("Retry-After", strconv.Itoa(retryAfter))
	lang := "nl"
	if u, ok := c.Get(ctxUser); ok && u.(User).Lang != "" {
		lang = u.(User).Lang
	}
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		c.AbortWithStatusJSON(http.StatusServiceUnavailable, apiError{Status: "error", ErrorType: "unavailable", Error: translate("en", "busy")})
		return
	}
	c.Abort()
	c.Data(http.StatusServiceUnavailable, "text/plain; charset=utf-8", []byte(translate(lang, "busy")))
}
