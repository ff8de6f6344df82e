package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/verzuim/absence/datasets/speed"
)

// mainArgsEnv makes the test binary run main with these arguments (one per
// line) instead of the tests, so a test can start and signal a real absence
// process.
const mainArgsEnv = "ABSENCE_TEST_MAIN"

// plainLoadEnv makes the test binary load a CSV file with DuckDB's plain
// read_csv instead of running the tests: the plain side of the speed table
// (speed_test.go). Its value is the file and the database, one per line.
const plainLoadEnv = "ABSENCE_TEST_PLAIN_LOAD"

// reportPeak ends a child process: its peak memory when the speed
// measurements ask for it (speed.Child), then its exit code.
func reportPeak(code int) int {
	if os.Getenv(speed.ReportPeakEnv) == "" {
		return code
	}
	if err := speed.ReportPeak(os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "peak memory:", err)
		return 1
	}
	return code
}

func TestMain(m *testing.M) {
	if args := os.Getenv(mainArgsEnv); args != "" {
		os.Args = append([]string{"absence"}, strings.Split(args, "\n")...)
		main()
		os.Exit(reportPeak(0))
	}
	if v := os.Getenv(plainLoadEnv); v != "" {
		os.Exit(reportPeak(plainLoadChild(v)))
	}
	os.Exit(m.Run())
}
