package dashboard

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"runtime"
	"slices"
	"strconv"
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
	seq     uint64
	queue   [priorities][]*ticket       // each in order of arrival
	waiting map[string]*ticket          // by figure, to move it when its askers change
	askers  map[string]*[priorities]int // by figure: requests waiting for it, per priority
}

// priority orders the computations waiting for a slot, most urgent first.
type priority int

const (
	// prioAnswer: a client waits for the complete answer (an API call, a
	// CSV download, the filter bar's lists).
	prioAnswer priority = iota
	// prioPage: a widget of a page, which shows "being computed" meanwhile.
	prioPage
	// prioBackground: nobody waits (warming, a refresh after an import, a
	// figure whose askers gave up: computed for the cache and the retry).
	prioBackground
	// prioIdle: upkeep no figure needs (the departments file, units.go). It
	// starts when the figures being computed are done, never before the
	// first, so a cold server's first page does not share the cores with it.
	prioIdle
	priorities
)

// ticket is a computation waiting for a slot.
type ticket struct {
	key     string
	seq     uint64 // arrival
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
	return &querySlots{n: n, wait: wait, free: n, waiting: map[string]*ticket{}, askers: map[string]*[priorities]int{}}
}

// run computes the figure of key under a slot, waiting for one for as long
// as ctx lasts: at the priority of the requests waiting for it (ask), or at
// p when none does.
func (q *querySlots) run(ctx context.Context, key string, p priority, compute func() error) error {
	if err := q.acquire(ctx, key, p); err != nil {
		return err
	}
	defer q.release()
	return compute()
}

func (q *querySlots) acquire(ctx context.Context, key string, p priority) error {
	q.mu.Lock()
	p = q.priorityOf(key, p)
	if q.free > 0 && p != prioIdle {
		q.free--
		q.mu.Unlock()
		return nil
	}
	q.seq++
	t := &ticket{key: key, seq: q.seq, prio: p, granted: make(chan struct{})}
	q.enqueue(t)
	q.waiting[key] = t
	q.mu.Unlock()
	select {
	case <-t.granted:
		return nil
	case <-ctx.Done():
		q.mu.Lock()
		select {
		case <-t.granted: // granted meanwhile: hand it on
			q.mu.Unlock()
			q.release()
		default:
			q.dequeue(t)
			q.mu.Unlock()
		}
		return ctx.Err()
	}
}

// release gives the slot to the first of the most urgent waiting; to upkeep
// only when every other slot is free too.
func (q *querySlots) release() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for p, waiting := range q.queue {
		if len(waiting) > 0 && (priority(p) != prioIdle || q.free+1 == q.n) {
			t := waiting[0]
			q.dequeue(t)
			close(t.granted)
			return
		}
	}
	q.free++
}

// ask notes a request waiting at priority p for the figure of key, until it
// calls done. A computation waits at the most urgent priority of those
// waiting for it: a page's figure that an API call joins moves up; one whose
// askers all gave up (an API call answered "busy", a page answered with a
// placeholder and not fetched again) moves behind everything, so it is still
// computed, for the cache and the retry, but after the figures someone is
// waiting for.
func (q *querySlots) ask(key string, p priority) (done func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	n, ok := q.askers[key]
	if !ok {
		n = new([priorities]int)
		q.askers[key] = n
	}
	n[p]++
	q.requeue(key)
	return func() {
		q.mu.Lock()
		defer q.mu.Unlock()
		if n[p]--; *n == [priorities]int{} {
			delete(q.askers, key)
		}
		q.requeue(key)
	}
}

// priorityOf is the priority of key's computation: that of its most urgent
// asker, else none.
func (q *querySlots) priorityOf(key string, none priority) priority {
	if n, ok := q.askers[key]; ok {
		for p, c := range n {
			if c > 0 {
				return priority(p)
			}
		}
	}
	return none
}

// requeue moves key's waiting computation to the priority of its askers.
func (q *querySlots) requeue(key string) {
	t, ok := q.waiting[key]
	if !ok {
		return
	}
	if p := q.priorityOf(key, prioBackground); p != t.prio {
		q.dequeue(t)
		t.prio = p
		q.enqueue(t)
		q.waiting[key] = t
	}
}

func (q *querySlots) enqueue(t *ticket) {
	l := q.queue[t.prio]
	i, _ := slices.BinarySearchFunc(l, t.seq, func(o *ticket, seq uint64) int { return cmp.Compare(o.seq, seq) })
	q.queue[t.prio] = slices.Insert(l, i, t)
}

func (q *querySlots) dequeue(t *ticket) {
	q.queue[t.prio] = slices.DeleteFunc(q.queue[t.prio], func(o *ticket) bool { return o == t })
	if q.waiting[t.key] == t {
		delete(q.waiting, t.key)
	}
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
	if isAPI(c) {
		apiRefusal(c, http.StatusServiceUnavailable, "unavailable", "busy")
		return
	}
	showError(c, http.StatusServiceUnavailable, translate(langOf(c), "busy"))
}
