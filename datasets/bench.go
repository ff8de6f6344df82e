package datasets

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// BenchFiles returns a folder with the native exports of cfg's organisation,
// for the benchmarks of every package. The size is cfg.Employees, else
// $ABSENCE_BENCH_EMPLOYEES, else 1,000,000. The files are written once and
// kept in $ABSENCE_BENCH_DIR (default a fresh temporary folder), so later
// runs reuse them; generating 1M employees takes a few seconds.
func BenchFiles(cfg Config) (string, error) {
	if cfg.Employees == 0 {
		cfg.Employees = 1_000_000
		if v := os.Getenv("ABSENCE_BENCH_EMPLOYEES"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return "", fmt.Errorf("$ABSENCE_BENCH_EMPLOYEES: %w", err)
			}
			cfg.Employees = n
		}
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return "", err
	}
	root := os.Getenv("ABSENCE_BENCH_DIR")
	if root == "" {
		if root, err = os.MkdirTemp("", "absence-bench-"); err != nil {
			return "", err
		}
	}
	dir := filepath.Join(root, fmt.Sprintf("org-%d-seed%d-%dy-%s", cfg.Employees, cfg.Seed, cfg.Years, cfg.ExtractDate.Format("20060102")))
	if _, err := os.Stat(dir); err == nil {
		return dir, nil
	}
	// Written aside and renamed, so a run stopped halfway leaves no folder
	// that a later run would take for complete.
	partial := dir + ".partial"
	os.RemoveAll(partial)
	if _, err := WriteFiles(partial, cfg, FormatNative); err != nil {
		return "", err
	}
	return dir, os.Rename(partial, dir)
}
