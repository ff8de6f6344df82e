package speed

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestMedianAndThousands(t *testing.T) {
	if got := Median([]time.Duration{3, 1, 2}); got != 2 {
		t.Errorf("median of 3, 1, 2 = %v", got)
	}
	if got := Median([]int64{4, 1, 3, 2}); got != 3 {
		t.Errorf("median of 4, 1, 3, 2 = %v, want the upper middle 3", got)
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 100000: "100,000", 1000000: "1,000,000"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestMarkdown(t *testing.T) {
	var out bytes.Buffer
	Markdown(&out, 3, []Row{
		{Employees: 100000, What: "import", Ours: 2500 * time.Millisecond, Plain: 500 * time.Millisecond, OursRSS: 612_000_000, Target: "≤ 2×", Load: [2]float64{1.5, 2.25}},
		{Employees: 100000, What: "page", Failed: errors.New("status 500\nbody")},
	})
	for _, want := range []string{
		"Medians of 3 interleaved rounds",
		"| 100,000 | import | 2.50 s, peak RSS 612 MB | 500 ms | 5.00× | ≤ 2× | 1.5–2.2 |",
		"| 100,000 | page | failed: status 500 body | – | – |",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the table lacks %q:\n%s", want, out.String())
		}
	}
}

// TestChild: a child's peak memory is what it allocated, at least, and not
// what its parent holds (Linux counts the parent's memory at the start as
// the child's maximum RSS).
func TestChild(t *testing.T) {
	// The shell reports its own peak as ReportPeak does.
	report := `; sed -n "s/^VmHWM:[[:space:]]*\([0-9]*\) kB/` + peakMarker + `\1/p" /proc/$$/status`
	took, peak, err := Child(exec.Command("sh", "-c", "x=$(head -c 50000000 /dev/zero | tr '\\0' a); echo ${#x}"+report))
	if err != nil {
		t.Fatal(err)
	}
	if took <= 0 || peak < 50_000_000 {
		t.Errorf("took %v, peak RSS %d bytes, want at least the 50 MB the shell held", took, peak)
	}
	held := make([]byte, 300<<20) // the parent's memory is not the child's
	for i := range held {
		held[i] = 1
	}
	_, peak, err = Child(exec.Command("sh", "-c", "true"+report))
	if err != nil {
		t.Fatal(err)
	}
	if peak > 100<<20 {
		t.Errorf("a child that held nothing peaked at %d MB while its parent held %d MB", peak>>20, len(held)>>20)
	}
	if _, _, err := Child(exec.Command("sh", "-c", "echo hi")); err == nil || !strings.Contains(err.Error(), "peak memory") {
		t.Errorf("a child that reports no peak: %v, want an error saying so", err)
	}
	if _, _, err := Child(exec.Command("sh", "-c", "echo why >&2; exit 3")); err == nil || !strings.Contains(err.Error(), "why") {
		t.Errorf("a failing child: %v, want its output in the error", err)
	}
}

type fatals []string

func (f *fatals) Helper() {}

func (f *fatals) Fatalf(format string, args ...any) { *f = append(*f, fmt.Sprintf(format, args...)) }

func TestKnob(t *testing.T) {
	for _, tc := range []struct {
		env   string
		want  int
		fatal bool
	}{{"", 7, false}, {"300", 300, false}, {"3k", 0, true}} {
		t.Setenv("ABSENCE_TEST_KNOB", tc.env)
		var f fatals
		got := Knob(&f, "ABSENCE_TEST_KNOB", 7)
		if tc.fatal != (len(f) > 0) || !tc.fatal && got != tc.want {
			t.Errorf("ABSENCE_TEST_KNOB=%q: %d, fatal %v; want %d, fatal %v", tc.env, got, f, tc.want, tc.fatal)
		}
	}
}
