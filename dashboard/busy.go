package dashboard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/gin-gonic/gin"
	"golang.org/x/sync/semaphore"
)

// querySlots limit how many figures are computed at once. DuckDB already
// spreads one query over every core, so more queries at once only share the
// same cores and add up their memory: past a few, they end in "Out of
// Memory". Computations wait for a slot in arrival order; a request whose
// figures have waited the queue time in all is answered "busy, try again"
// (503).
type querySlots struct {
	sem  *semaphore.Weighted
	n    int
	wait time.Duration
}

// DefaultQuerySlots is one slot per core, at most four: each slot may hold
// a query's working memory, and the default memory limit is 1 GB.
func DefaultQuerySlots() int { return min(max(runtime.GOMAXPROCS(0), 1), 4) }

// DefaultQueueTimeout is how long a request waits for a slot by default.
const DefaultQueueTimeout = 30 * time.Second

func newQuerySlots(n int, wait time.Duration) *querySlots {
	if n <= 0 {
		n = DefaultQuerySlots()
	}
	if wait <= 0 {
		wait = DefaultQueueTimeout
	}
	return &querySlots{sem: semaphore.NewWeighted(int64(n)), n: n, wait: wait}
}

// run computes under a slot, waiting for one until the deadline: past it
// the answer is errBusy.
func (q *querySlots) run(ctx context.Context, deadline time.Time, compute func() error) error {
	wctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	if err := q.sem.Acquire(wctx, 1); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return errBusy{fmt.Errorf("no query slot came free in time (%d slots, queue time %s)", q.n, q.wait)}
	}
	defer q.sem.Release(1)
	return compute()
}

// errBusy is a request the server cannot serve now but will shortly: no
// query slot came free in time, or DuckDB ran out of memory.
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
