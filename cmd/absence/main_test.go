package main

import (
	"os"
	"strings"
	"testing"
)

// mainArgsEnv makes the test binary run main with these arguments (one per
// line) instead of the tests, so a test can start and signal a real absence
// process.
const mainArgsEnv = "ABSENCE_TEST_MAIN"

func TestMain(m *testing.M) {
	if args := os.Getenv(mainArgsEnv); args != "" {
		os.Args = append([]string{"absence"}, strings.Split(args, "\n")...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}
