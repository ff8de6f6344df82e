package speed

import (
	"os"
	"strconv"
)

// Fataler is what Knob reports a bad value to: a test or benchmark.
type Fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

// Knob is the whole number in the environment variable name, or def when
// it is unset; a value that is not a number stops the run (a typo must not
// quietly measure the default).
func Knob(t Fataler, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatalf("%s=%q: not a number", name, v)
	}
	return n
}
