package speed

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// Row is one line of the speed table: medians of interleaved rounds.
type Row struct {
	Employees   int
	What        string
	Ours, Plain time.Duration // Plain 0: nothing to compare with
	// OursRSS and PlainRSS are peak resident memory in bytes, of a child
	// process; 0 when not measured.
	OursRSS, PlainRSS int64
	Target            string
	// Load is the load average (1 minute) before and after the row's rounds.
	Load [2]float64
	// Failed is why the row has no times.
	Failed error
}

// Ratio is ours over plain; NaN without a plain side.
func (r Row) Ratio() float64 {
	if r.Plain <= 0 || r.Failed != nil {
		return math.NaN()
	}
	return r.Ours.Seconds() / r.Plain.Seconds()
}

// Markdown writes rows as the README's table.
func Markdown(w io.Writer, rounds int, rows []Row) {
	MarkdownHead(w, rounds)
	for _, r := range rows {
		MarkdownRow(w, r)
	}
}

// MarkdownHead writes the table's head.
func MarkdownHead(w io.Writer, rounds int) {
	fmt.Fprintf(w, "Medians of %d interleaved rounds; load average (1 minute) before–after each row.\n\n", rounds)
	fmt.Fprintln(w, "| employees | what | ours | plain DuckDB | ratio | target | load |")
	fmt.Fprintln(w, "|---:|---|---:|---:|---:|---|---|")
}

// MarkdownRow writes one row of the table.
func MarkdownRow(w io.Writer, r Row) {
	ours, plain, ratio := seconds(r.Ours)+rss(r.OursRSS), "–", "–"
	if r.Plain > 0 {
		plain, ratio = seconds(r.Plain)+rss(r.PlainRSS), fmt.Sprintf("%.2f×", r.Ratio())
	}
	if r.Failed != nil {
		ours = "failed: " + strings.ReplaceAll(r.Failed.Error(), "\n", " ")
	}
	fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %.1f–%.1f |\n",
		Thousands(r.Employees), r.What, ours, plain, ratio, r.Target, r.Load[0], r.Load[1])
}

func seconds(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

func rss(b int64) string {
	if b == 0 {
		return ""
	}
	return fmt.Sprintf(", peak RSS %d MB", b/1_000_000)
}

// Thousands writes n with a comma every three digits, as the README does.
func Thousands(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
