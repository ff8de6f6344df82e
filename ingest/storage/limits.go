package storage

import (
	"context"
	"database/sql"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// DuckDB keeps its buffers — tables, hash tables, sorts — within its memory
// limit and spills the rest to disk, but what its operators and allocator
// hold besides comes on top: an import of a million employees with six
// years of history peaked at 1.24–1.36 GB with a 1 GB limit, while the
// buffers sat at the limit. So while an import runs (a session is open),
// DuckDB's buffers get a fifth less, at most 200 MB less: that import now
// peaks at 1.04–1.09 GB, and it takes no longer (its temp tables go as
// soon as it is done with them, so it spills less than it did with the
// whole limit). Between imports the readers have the whole limit.

// importReserve is the part of the memory limit that an import leaves to
// DuckDB's memory outside its buffers.
func importReserve(limit int64) int64 { return min(limit/5, 200_000_000) }

// sessionLimits lowers DuckDB's buffer limit while sessions are open and
// restores it when the last one closes.
type sessionLimits struct {
	full, lowered string // memory_limit values; "" when the limit is not one we read
	mu            sync.Mutex
	open          int
}

func newSessionLimits(limit string) sessionLimits {
	n, ok := parseSize(limit)
	if !ok {
		return sessionLimits{}
	}
	return sessionLimits{full: limit, lowered: strconv.FormatInt((n-importReserve(n))/1000, 10) + "KB"}
}

// enter is called when a session opens, on its connection.
func (l *sessionLimits) enter(ctx context.Context, conn *sql.Conn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open++; l.open == 1 && l.lowered != "" {
		l.set(ctx, conn, l.lowered)
	}
}

// leave is called when a session closes, on its connection.
func (l *sessionLimits) leave(conn *sql.Conn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open--; l.open == 0 && l.full != "" {
		l.set(context.Background(), conn, l.full)
	}
}

// set sets DuckDB's memory limit. When DuckDB cannot (it would have to
// free memory it cannot), the import runs with the limit as it is; the
// log says so.
func (l *sessionLimits) set(ctx context.Context, conn *sql.Conn, limit string) {
	if _, err := conn.ExecContext(ctx, "SET memory_limit = '"+limit+"'"); err != nil {
		slog.Warn("storage: the database's memory limit is not changed for the import", "memory_limit", limit, "error", err)
	}
}

var sizePattern = regexp.MustCompile(`^([0-9]+(?:\.[0-9]+)?) ?([KMGT])(i?)B$`)

// parseSize reads a memory limit as DuckDB does: "1GB" is 10^9 bytes,
// "1GiB" 2^30.
func parseSize(s string) (int64, bool) {
	m := sizePattern.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	n, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0, false
	}
	base := 1000.0
	if m[3] == "i" {
		base = 1024
	}
	for range strings.Index("KMGT", m[2]) + 1 {
		n *= base
	}
	return int64(n), true
}
