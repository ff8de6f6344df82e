package datasets

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// FileSummary is one file written by Export.
type FileSummary struct {
	Path    string
	Profile string // the ingest profile that imports it, e.g. "afas-verloop"
	Rows    int64  // data rows, header excluded
}

// Summary counts what Export wrote.
type Summary struct {
	Employees, Cases, Interventions int64
	Files                           []FileSummary
}

// WriteFiles generates cfg's organisation once and writes every requested
// format into dir (created if needed), returning the paths written. No format
// means all; "all" and comma-separated lists are accepted too.
func WriteFiles(dir string, cfg Config, formats ...string) ([]string, error) {
	s, err := Export(dir, cfg, formats...)
	paths := make([]string, len(s.Files))
	for i, f := range s.Files {
		paths[i] = f.Path
	}
	return paths, err
}

// Export is WriteFiles that also reports counts.
func Export(dir string, cfg Config, formats ...string) (Summary, error) {
	want, err := parseFormats(formats)
	if err != nil {
		return Summary{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Summary{}, err
	}
	var (
		files   []*os.File
		writers []*Writer
		sum     Summary
	)
	closeAll := func() {
		for _, f := range files {
			f.Close()
		}
	}
	for _, lay := range layouts {
		if !slices.Contains(want, lay.format) {
			continue
		}
		f, err := os.Create(filepath.Join(dir, lay.file))
		if err != nil {
			closeAll()
			return sum, err
		}
		files = append(files, f)
		writers = append(writers, newWriter(f, lay))
	}
	err = Generate(cfg, func(e *Employee) error {
		sum.Employees++
		sum.Cases += int64(len(e.Cases))
		sum.Interventions += int64(len(e.Interventions))
		for _, w := range writers {
			if err := w.Write(e); err != nil {
				return fmt.Errorf("%s: %w", w.File(), err)
			}
		}
		return nil
	})
	for i, w := range writers {
		err = errors.Join(err, w.Flush(), files[i].Close())
		sum.Files = append(sum.Files, FileSummary{Path: files[i].Name(), Profile: w.lay.profile, Rows: w.Rows()})
	}
	return sum, err
}

func parseFormats(formats []string) ([]string, error) {
	var want []string
	for _, f := range formats {
		for _, name := range strings.Split(f, ",") {
			name = strings.ToLower(strings.TrimSpace(name))
			switch {
			case name == "":
			case name == "all":
				want = append(want, Formats...)
			case slices.Contains(Formats, name):
				want = append(want, name)
			default:
				return nil, fmt.Errorf("datasets: unknown format %q (want %s or all)", name, strings.Join(Formats, ", "))
			}
		}
	}
	if len(want) == 0 {
		want = Formats
	}
	return want, nil
}
