package dashboard

import (
	"sync"
)

// resultCache keeps computed figures per (what, view, data version). An
// import raises the data version, so stale figures are never served; the
// cache is emptied then too.
type resultCache struct {
	mu      sync.Mutex
	version int64
	entries map[string]any
	// onCompute is told the key of each value computed.
	onCompute func(key string)
}

const maxCacheEntries = 500

func newResultCache() *resultCache { return &resultCache{entries: map[string]any{}} }

// get returns the cached value for key at version, computing it once.
func cached[T any](c *resultCache, version int64, key string, compute func() (T, error)) (T, error) {
	c.mu.Lock()
	if c.version != version {
		c.version, c.entries = version, map[string]any{}
	}
	if v, ok := c.entries[key]; ok {
		c.mu.Unlock()
		return v.(T), nil
	}
	c.mu.Unlock()
	if c.onCompute != nil {
		c.onCompute(key)
	}
	v, err := compute()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.version == version {
		if len(c.entries) >= maxCacheEntries {
			c.entries = map[string]any{}
		}
		c.entries[key] = v
	}
	c.mu.Unlock()
	return v, nil
}
