package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// What `absence import` prints is what a payroll administrator needs (issue
// 14): which file, what was detected in words, what landed, what was
// rejected and where the full list is, and how to undo it — no jargon
// ("line endings LF", "imported as import 1").
func TestImportSaysWhatItFoundInWords(t *testing.T) {
	dir := t.TempDir()
	db, report := filepath.Join(dir, "words.duckdb"), filepath.Join(dir, "afgekeurd.csv")
	code, out := absence(t, "import", "--db", db, "--extract-date", "2024-06-30", "--rejects", report,
		fixtures+"messy_afas_verzuim.csv", fixtures+"employments.csv")
	if code != exitRejected {
		t.Fatalf("exit %d, want %d:\n%s", code, exitRejected, out)
	}
	for _, want := range []string{
		"messy_afas_verzuim.csv: AFAS absence export (profile afas-verloop): Windows text, fields separated by ';', dates dd-mm-yyyy\n",
		"employments.csv: employment export (profile native-employments): UTF-8 text, fields separated by ','",
		"  the rejected rows are in " + report + "\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the import does not say %q:\n%s", want, out)
		}
	}
	undo := regexp.MustCompile(`(?m)^  stored as import (\d+); undo with: absence imports undo (\d+)$`).FindAllStringSubmatch(out, -1)
	if len(undo) != 2 || undo[0][1] != undo[0][2] {
		t.Errorf("want an undo line per file:\n%s", out)
	}
	for _, jargon := range []string{"line endings", "encoding ", "delimiter", "imported as import"} {
		if strings.Contains(out, jargon) {
			t.Errorf("jargon %q:\n%s", jargon, out)
		}
	}
}
