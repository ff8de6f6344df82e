package datasets

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkWriteFiles writes 20,000 employees per iteration; employees/s
// extrapolates to the 1M-employee target (about 60 s on 2 cores).
func BenchmarkWriteFiles(b *testing.B) {
	const n = 20000
	for _, format := range []string{FormatNative, "all"} {
		b.Run(format, func(b *testing.B) {
			dir := b.TempDir()
			var bytes int64
			for b.Loop() {
				if _, err := WriteFiles(dir, Config{Employees: n, Seed: 1}, format); err != nil {
					b.Fatal(err)
				}
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if fi, err := os.Stat(filepath.Join(dir, e.Name())); err == nil {
					bytes += fi.Size()
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "employees/s")
			b.ReportMetric(float64(bytes)/n, "bytes/employee")
		})
	}
}

// BenchmarkGenerate measures the simulation alone.
func BenchmarkGenerate(b *testing.B) {
	const n = 20000
	for b.Loop() {
		if err := Generate(Config{Employees: n, Seed: 1}, func(*Employee) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "employees/s")
}
