package datasets

import (
	"fmt"
	"path/filepath"
)

// Employer is one client employer of a generated provider.
type Employer struct {
	Name      string
	Employees int
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
