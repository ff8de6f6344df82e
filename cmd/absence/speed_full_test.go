//go:build speed

package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/verzuim/absence/datasets/speed"
)

// TestSpeedTable prints the README's speed table (Markdown) for
// organisations of 100,000, 300,000 and 1,000,000 employees:
//
//	go test -tags speed -run '^TestSpeedTable$' -v -timeout 6h ./cmd/absence/
//
// Knobs: ABSENCE_SPEED_SIZES (employees, comma-separated), ABSENCE_SPEED_ROUNDS
// (3), ABSENCE_SPEED_SKIP (rows to leave out, by name: import (then imported
// once, untimed), reimport, kpis, trend, and the pages overview, trends, breakdown,
// durations, poortwachter, absentees, interventions, card, clients),
// ABSENCE_BENCH_DIR (keeps the generated files for later runs).
func TestSpeedTable(t *testing.T) {
	sizes := []int{100_000, 300_000, 1_000_000}
	if v := os.Getenv("ABSENCE_SPEED_SIZES"); v != "" {
		sizes = nil
		for _, s := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil {
				t.Fatalf("ABSENCE_SPEED_SIZES: %v", err)
			}
			sizes = append(sizes, n)
		}
	}
	rounds := 3
	if v := os.Getenv("ABSENCE_SPEED_ROUNDS"); v != "" {
		var err error
		if rounds, err = strconv.Atoi(v); err != nil || rounds < 1 {
			t.Fatalf("ABSENCE_SPEED_ROUNDS %q: expected a number of rounds", v)
		}
	}
	var skip []string
	if v := os.Getenv("ABSENCE_SPEED_SKIP"); v != "" {
		skip = strings.Split(v, ",")
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil))) // the server's request lines
	// Each row as it is measured (a run takes hours), then the whole table.
	speed.MarkdownHead(os.Stdout, rounds)
	var rows []speed.Row
	for _, n := range sizes {
		rows = append(rows, speedRows(t, n, rounds, func(r speed.Row) { speed.MarkdownRow(os.Stdout, r) }, skip...)...)
	}
	fmt.Println()
	speed.Markdown(os.Stdout, rounds, rows)
}
