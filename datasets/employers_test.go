package datasets

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Each employer gets its own folder of files, of its own size, unlike the
// others, with the demo provider's interventions beside other providers'.
func TestExportEmployers(t *testing.T) {
	dir := t.TempDir()
	sums, err := ExportEmployers(dir, Config{Seed: 4}, []Employer{{"Groot", 300}, {"Klein", 60}}, FormatNative)
	if err != nil {
		t.Fatal(err)
	}
	if sums[0].Employees != 300 || sums[1].Employees != 60 {
		t.Errorf("employees %d and %d, want 300 and 60", sums[0].Employees, sums[1].Employees)
	}
	a, err := os.ReadFile(filepath.Join(dir, "Groot", "interventions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "Klein", "interventions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, b) {
		t.Error("two employers have the same interventions")
	}
	if !bytes.Contains(a, []byte(","+DemoProvider+",")) || !bytes.Contains(a, []byte(",Mentaal Vitaal Coaching,")) {
		t.Error("the interventions are not by the demo provider and others")
	}
}
