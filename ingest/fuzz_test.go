package ingest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/verzuim/absence/ingest/storage"
)

// fuzzDeadline is how long one input may take. The seeds take well under a
// second; ten times that under a loaded machine is a hang.
const fuzzDeadline = 10 * time.Second

// FuzzImport feeds arbitrary files to ImportFile, each read by the profile
// its header chooses. An input is a whole file (header 0), or rows under the
// header line of one of the seed exports: mutated rows then reach the
// checks behind the header instead of mostly breaking it. It fails on a
// panic, a hang, an error that is not a bad file (no machine can fail here,
// so any other error would be retried forever), an engine message shown to
// the user, or counts that do not add up: rows read = accepted + rejected +
// duplicate, and what is stored is what was accepted.
//
// go test ./... runs the seeds (the messy and damaged fixtures and the
// hostile inputs of the limits test) and every input in
// testdata/fuzz/FuzzImport, each a finding of the fuzzer. Fuzz longer by
// hand:
//
//	go test -run '^$' -fuzz FuzzImport -fuzztime 10m ./ingest/
func FuzzImport(f *testing.F) {
	var files []string
	for _, pattern := range []string{fixtures + "*.csv", damaged + "*.csv", fixtures + "survival/link_interventions.csv", fixtures + "survival/tracks_milestones.csv"} {
		matches, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		files = append(files, matches...)
	}
	var headers [][]byte
	for _, file := range files {
		content, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(content, uint8(0))
		header, rows, ok := bytes.Cut(content, []byte("\n"))
		if !ok {
			continue
		}
		i := slices.IndexFunc(headers, func(h []byte) bool { return bytes.Equal(h, header) })
		if i < 0 {
			i, headers = len(headers), append(headers, header)
		}
		f.Add(rows, uint8(i+1))
	}
	for _, h := range hostileInputs {
		f.Add([]byte(h.content), uint8(0))
	}
	// One database per process (the fuzzing workers are processes), with
	// employments for the absence rows to land on.
	s := openStore(f, filepath.Join(f.TempDir(), "fuzz.duckdb"), storage.Options{MemoryLimit: "500MB", Threads: 2}, Config{})
	for _, file := range []string{fixtures + "employments.csv", damaged + "employments.csv"} {
		if _, err := s.ImportFile(context.Background(), file, ImportOptions{}); err != nil {
			f.Fatal(err)
		}
	}
	dir := f.TempDir()

	f.Fuzz(func(t *testing.T, content []byte, header uint8) {
		if header > 0 {
			content = slices.Concat(headers[int(header-1)%len(headers)], []byte("\n"), content)
		}
		path := filepath.Join(dir, "export.csv")
		if err := os.WriteFile(path, content, 0o600); err != nil {
			t.Fatal(err)
		}
		opt := ImportOptions{ExtractDate: extract2024}
		ctx, cancel := context.WithTimeout(context.Background(), fuzzDeadline)
		defer cancel()
		type outcome struct {
			res *Result
			err error
		}
		done := make(chan outcome, 1)
		start := time.Now()
		go func() {
			res, err := s.ImportFile(ctx, path, opt)
			done <- outcome{res, err}
		}()
		var out outcome
		select {
		case out = <-done:
		case <-time.After(fuzzDeadline + 5*time.Second): // the engine may not see the deadline at once
			t.Fatalf("no answer after %s", time.Since(start))
		}
		if took := time.Since(start); took > fuzzDeadline {
			t.Fatalf("took %s: %v", took, out.err)
		}
		res, err := out.res, out.err
		if err != nil {
			if !IsBadFile(err) {
				t.Fatalf("an error that is not a bad file would be retried forever: %v", err)
			}
			if engineText.MatchString(err.Error()) {
				t.Fatalf("engine text reaches the user: %v", err)
			}
			return
		}
		if res.AlreadyImported {
			return
		}
		if res.Read != res.Accepted+res.Rejected+res.Duplicate {
			t.Fatalf("read %d ≠ accepted %d + rejected %d + duplicate %d", res.Read, res.Accepted, res.Rejected, res.Duplicate)
		}
		lines := int64(bytes.Count(content, []byte("\n")) + 1)
		for _, e := range res.Errors {
			if e.Line < 2 || e.Line > lines || engineText.MatchString(e.Reason) {
				t.Fatalf("rejected row %+v in a file of %d lines", e, lines)
			}
		}
		table := map[Kind]string{KindEmployment: "employments", KindIntervention: "interventions", KindMilestone: "milestones", KindAbsence: "absence_cases"}[res.Kind]
		want := res.Accepted
		if res.Kind == KindAbsence {
			// Rows become cases; a case holds at least one row, and a row
			// accepted is in a case stored.
			want = res.Cases
			if res.Cases > res.Accepted || (res.Accepted > 0) != (res.Cases > 0) {
				t.Fatalf("%d rows accepted, %d cases", res.Accepted, res.Cases)
			}
		}
		// What the import's scope holds afterwards is what it accepted: the
		// units it repeats exactly stay with the import that stored them,
		// the others carry its id.
		c := res.Change
		if c == nil {
			t.Fatal("no change recorded")
		}
		if c.After != want {
			t.Fatalf("%d %s in scope after the import, want %d (accepted %d)", c.After, table, want, res.Accepted)
		}
		var stored, inSource int64
		if err := s.DB.QueryRow(`SELECT count(*) FILTER (import_id = ?), count(*) FILTER (source = ?) FROM `+table, res.ImportID, c.Source).Scan(&stored, &inSource); err != nil {
			t.Fatal(err)
		}
		if stored != c.After-c.Unchanged {
			t.Fatalf("%d %s stored by the import, want %d new of %d (accepted %d)", stored, table, c.After-c.Unchanged, c.After, res.Accepted)
		}
		if c.Mode == "snapshot" && c.WindowFrom.IsZero() && inSource != c.After {
			t.Fatalf("%d %s of source %q after a snapshot of %d", inSource, table, c.Source, c.After)
		}
	})
}
