package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// An installation for a provider: employers are added, files imported for
// each, and the listings name them; an unknown employer is refused with
// the nearest name. Without --employer everything goes to the default
// employer, and the history shows no employer column until there is a
// second employer.
func TestEmployersCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.duckdb")
	// run runs a command of words words, then --db and args.
	run := func(want int, words int, args ...string) string {
		t.Helper()
		code, out := absence(t, append(append(args[:words:words], "--db", db), args[words:]...)...)
		if code != want {
			t.Fatalf("absence %s: exit %d, want %d\n%s", strings.Join(args, " "), code, want, out)
		}
		return out
	}
	run(0, 1, "import", "--extract-date", "2024-06-30", fixtures+"employments.csv")
	if out := run(0, 2, "imports", "list"); strings.Contains(out, "employer") {
		t.Errorf("the history of a one-employer installation names employers:\n%s", out)
	}
	run(0, 2, "employers", "add", "Bakkerij Jansen")
	if out := run(1, 1, "import", "--employer", "Bakkerij Jansn", fixtures+"employments.csv"); !strings.Contains(out, `employer "Bakkerij Jansn": no such employer; did you mean "Bakkerij Jansen"?`) {
		t.Errorf("import for a misspelt employer:\n%s", out)
	}
	run(0, 1, "import", "--employer", "Bakkerij Jansen", "--extract-date", "2024-06-30", fixtures+"employments.csv", fixtures+"org_native_periods.csv")

	out := run(0, 1, "employers")
	for _, want := range []string{"id  name             employees  absence cases  last import", "1   default          4          0", "2   Bakkerij Jansen  4          ", "2024-06-30"} {
		if !strings.Contains(out, want) {
			t.Errorf("employers list lacks %q:\n%s", want, out)
		}
	}
	// Reports take --employer: every query is restricted to it.
	report := []string{"report", "--from", "2024-01-01", "--to", "2024-06-30", "--explain"}
	if out := run(0, 1, report...); strings.Contains(out, "employer_id") {
		t.Errorf("a report without --employer is restricted to employers:\n%.500s", out)
	}
	if out := run(0, 1, append(report, "--employer", "bakkerij jansen")...); !strings.Contains(out, "WHERE employer_id IN ($employer_1)") || !strings.Contains(out, "employer_1 := 2") {
		t.Errorf("the report for one employer is not restricted to it:\n%.1500s", out)
	}
	if out := run(1, 2, "report", "outcomes", "--employer", "Bakery"); !strings.Contains(out, "no such employer") {
		t.Errorf("an outcome report for an unknown employer:\n%s", out)
	}
	out = run(0, 2, "imports", "list")
	if !strings.Contains(out, "employer") || !strings.Contains(out, "Bakkerij Jansen") || !strings.Contains(out, "default") {
		t.Errorf("the history of two employers does not name them:\n%s", out)
	}
}
