package datasets

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"time"
)

// Employer is one client employer of a generated provider.
type Employer struct {
	Name      string
	Employees int
	// ExtractDate is the date its data run to; zero: the base config's.
	ExtractDate time.Time
}

// ProviderClients are n client employers of a provider, named "Klant
// 0001", …, of minSize to maxSize employees drawn log-uniformly (many small
// employers, a few large ones, as a provider's clients are), each with the
// extract date of one of the last extracts month ends up to extract:
// clients deliver at different times. Seeded: the same arguments give the
// same clients.
func ProviderClients(n, minSize, maxSize, extracts int, extract time.Time, seed uint64) []Employer {
	r := rand.New(rand.NewPCG(seed, 0x636c69656e7473))
	out := make([]Employer, n)
	monthEnd := time.Date(extract.Year(), extract.Month()+1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	for i := range out {
		size := math.Exp(math.Log(float64(minSize)) + r.Float64()*(math.Log(float64(maxSize))-math.Log(float64(minSize))))
		months := r.IntN(max(1, extracts))
		ex := time.Date(monthEnd.Year(), monthEnd.Month()-time.Month(months)+1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
		if months == 0 {
			ex = extract
		}
		out[i] = Employer{Name: fmt.Sprintf("Klant %04d", i+1), Employees: int(math.Round(size)), ExtractDate: ex}
	}
	return out
}

// ExportEmployers generates an organisation per employer and writes each
// into its own folder dir/NAME (as an inbox holds them: one folder per
// employer), the i-th with seed base.Seed+i so that no two are alike. The
// interventions are by the providers of the vocabulary, so each employer
// has interventions of every provider, DemoProvider's among them.
func ExportEmployers(dir string, base Config, employers []Employer, formats ...string) ([]Summary, error) {
	var out []Summary
	for i, e := range employers {
		cfg := base
		cfg.Employees, cfg.Seed = e.Employees, base.Seed+uint64(i)
		if !e.ExtractDate.IsZero() {
			cfg.ExtractDate = e.ExtractDate
		}
		s, err := Export(filepath.Join(dir, e.Name), cfg, formats...)
		if err != nil {
			return out, fmt.Errorf("employer %s: %w", e.Name, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// DemoProvider is a provider of the vocabulary (intervention talks and
// return-to-work talks): the provider of the demo.
const DemoProvider = "ArboPlus Nederland"
