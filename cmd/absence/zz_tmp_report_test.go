package main

import (
	"os"
	"testing"
)

func TestTmpReport(t *testing.T) {
	args := []string{"--db", os.Getenv("REPDB"), "--from", "2024-01-01", "--to", "2024-12-31"}
	if b := os.Getenv("REPBY"); b != "" {
		args = append(args, "--by", b)
	}
	if b := os.Getenv("REPFMT"); b != "" {
		args = append(args, "--format", b)
	}
	if err := runReport(args); err != nil {
		t.Fatal(err)
	}
}
