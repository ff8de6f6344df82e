package ingest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/verzuim/absence/datasets"
)

// The numbered copy reads a file in batches of records on one goroutine and
// numbers them on another: over many batches every kept row still carries
// its own first line, rejects come in file order, and the first fault in
// the file is the one named, wherever batches begin and end.
func TestNumberedCopyAcrossBatches(t *testing.T) {
	const header = "employee_id,case_ref,start_date,end_date,absence_pct,absence_type,end_reason,vangnet\n"
	row := func(i int) string {
		return fmt.Sprintf("E%07d,E%07d-1,2024-01-08,2024-01-19,100,sickness,full_return,\n", i, i)
	}
	const rows = 60000 // about 4 MB: several batches

	type planted struct {
		kept      []int64 // first line of each row kept, in order
		rejected  []int64
		records   int64
		lines     int64
		fileBytes []byte
	}
	build := func(fault func(i int) (string, int, bool)) planted {
		var p planted
		var b strings.Builder
		b.WriteString(header)
		line := int64(1)
		for i := range rows {
			text, lines, reject := row(i), 1, false
			if f, n, rej := fault(i); f != "" {
				text, lines, reject = f, n, rej
			}
			if strings.TrimSpace(strings.ReplaceAll(text, ",", "")) != "" {
				p.records++
				if reject {
					p.rejected = append(p.rejected, line+1)
				} else {
					p.kept = append(p.kept, line+1)
				}
			}
			b.WriteString(text)
			line += int64(lines)
		}
		p.lines, p.fileBytes = line, []byte(b.String())
		return p
	}
	numbered := func(t *testing.T, content []byte) (string, int64, []rowReject, error) {
		dir := t.TempDir()
		path := filepath.Join(dir, "periods.csv")
		if err := os.WriteFile(path, content, 0o600); err != nil {
			t.Fatal(err)
		}
		src, err := inspect(path, nil, DefaultLimits(), true)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, "numbered.csv")
		n, rejects, _, err := src.writeNumbered(dst, DefaultLimits())
		return dst, n, rejects, err
	}

	t.Run("rows and rejects", func(t *testing.T) {
		p := build(func(i int) (string, int, bool) {
			switch {
			case i%9973 == 5:
				return "E1,E1-1,2024-01-08\n", 1, true // too few fields
			case i%7919 == 3:
				return ",,,,,,,\n\n", 2, false // blank lines
			case i%5003 == 7:
				return fmt.Sprintf("E%07d,\"a\nb\",2024-01-08,2024-01-19,100,sickness,full_return,\n", i), 2, false
			}
			return "", 0, false
		})
		dst, records, rejects, err := numbered(t, p.fileBytes)
		if err != nil {
			t.Fatal(err)
		}
		if records != p.records {
			t.Errorf("%d records, want %d", records, p.records)
		}
		var got []int64
		for _, r := range rejects {
			got = append(got, r.line)
		}
		if fmt.Sprint(got) != fmt.Sprint(p.rejected) {
			t.Errorf("rejected lines %v, want %v", got, p.rejected)
		}
		f, err := os.Open(dst)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Scan() // the header
		var lines []int64
		for sc.Scan() {
			first, _, _ := strings.Cut(sc.Text(), ",")
			if first == "" || strings.HasPrefix(first, "b\"") { // the second line of a quoted value
				continue
			}
			n, err := strconv.ParseInt(first, 10, 64)
			if err != nil {
				t.Fatalf("numbered row %q: %v", sc.Text(), err)
			}
			lines = append(lines, n)
		}
		if fmt.Sprint(lines) != fmt.Sprint(p.kept) {
			t.Errorf("numbered copy: %d rows, want %d; lines differ", len(lines), len(p.kept))
		}
	})

	t.Run("the first fault is named", func(t *testing.T) {
		p := build(func(i int) (string, int, bool) {
			switch i {
			case 41000:
				return "E1,E1-1,2024-01-08,2024-01-19\r,100,sickness,,\n", 1, true
			case 52000:
				return "E1,E1-1\x00,2024-01-08\n", 1, true
			}
			return "", 0, false
		})
		_, records, _, err := numbered(t, p.fileBytes)
		want := fmt.Sprintf("line %d holds a carriage return", 41000+2)
		if !IsBadFile(err) || !strings.Contains(err.Error(), want) {
			t.Fatalf("error %v, want a bad file naming %q", err, want)
		}
		if records != 41001 {
			t.Errorf("%d records read before the fault, want 41001", records)
		}
	})

	t.Run("more than the unreadable rows allowed", func(t *testing.T) {
		p := build(func(i int) (string, int, bool) {
			if i%50 == 10 {
				return fieldsLine(DefaultLimits().MaxFields+1) + "\n", 1, true
			}
			return "", 0, false
		})
		_, records, _, err := numbered(t, p.fileBytes)
		want := fmt.Sprintf("more than 1,000 rows cannot be read, the first on line %d", 10+2)
		if !IsBadFile(err) || !strings.Contains(err.Error(), want) {
			t.Fatalf("error %v, want a bad file naming %q", err, want)
		}
		if want := int64(maxUnreadable*50 + 10 + 1); records != want {
			t.Errorf("%d records read before the refusal, want %d", records, want)
		}
	})
}

// BenchmarkNumberedCopy writes the numbered copy of the generated absence
// periods (ABSENCE_BENCH_EMPLOYEES, default 1,000,000; ABSENCE_BENCH_DIR
// keeps them) and reports its throughput and allocations:
//
//	ABSENCE_BENCH_EMPLOYEES=300000 go test -run '^$' -bench NumberedCopy -benchmem -cpuprofile cpu.out ./ingest/
func BenchmarkNumberedCopy(b *testing.B) {
	dir, err := datasets.BenchFiles(datasets.Config{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, "absence_periods.csv")
	src, err := inspect(path, nil, DefaultLimits(), true)
	if err != nil {
		b.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(info.Size())
	dst := filepath.Join(b.TempDir(), "numbered.csv")
	for b.Loop() {
		if _, _, _, err := src.writeNumbered(dst, DefaultLimits()); err != nil {
			b.Fatal(err)
		}
		os.Remove(dst)
	}
}
