// Package speed measures the product against plain DuckDB, side by side in
// one run: the README's speed table (TestSpeedTable in cmd/absence) and the
// packages' benchmarks take their reference queries, their rounds and their
// medians from here, so they measure the same thing. It is imported by tests
// only.
package speed

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Interleave runs every side once per round, in turn, for rounds rounds, so
// that the noise of a shared machine hits each side alike. It returns the
// times of each side, by side.
func Interleave(rounds int, sides ...func() (time.Duration, error)) ([][]time.Duration, error) {
	out := make([][]time.Duration, len(sides))
	for range rounds {
		for i, side := range sides {
			d, err := side()
			if err != nil {
				return nil, err
			}
			out[i] = append(out[i], d)
		}
	}
	return out, nil
}

// Timed times f.
func Timed(f func() error) func() (time.Duration, error) {
	return func() (time.Duration, error) {
		start := time.Now()
		err := f()
		return time.Since(start), err
	}
}

// Median is the middle of d (the upper one of an even count).
func Median[T time.Duration | int64](d []T) T {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// Load is the machine's load average over the last minute, as uptime
// shows it; 0 where /proc/loadavg cannot be read.
func Load() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, _ := strconv.ParseFloat(strings.Fields(string(b))[0], 64)
	return f
}
