package inbox

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/datasets"
)

// The inbox sets a shrinking file aside in failed/ with the reason beside it.
func TestInboxSetsAShrinkingFileAside(t *testing.T) {
	s := openTestStore(t)
	dir := generatedOrg(t, s)
	mostlyBroken, err := datasets.MostlyBrokenPeriods(dir, orgExtract)
	if err != nil {
		t.Fatal(err)
	}
	inbox := filepath.Join(t.TempDir(), "inbox")
	os.MkdirAll(inbox, 0o755)
	data := mustRead(t, mostlyBroken)
	path := filepath.Join(inbox, "periods_upload.csv")
	os.WriteFile(path, data, 0o644)
	old := time.Now().Add(-time.Minute)
	os.Chtimes(path, old, old)
	in, err := New(s.Importer, Options{Dir: inbox})
	if err != nil {
		t.Fatal(err)
	}
	before := fingerprint(t, s, dataTables...)
	events, err := in.Run(context.Background())
	if err != nil || len(events) != 1 || events[0].Outcome != "failed" {
		t.Fatalf("events %+v, err %v", events, err)
	}
	reason, err := os.ReadFile(filepath.Join(inbox, FailedDir, "periods_upload.csv.error.txt"))
	if err != nil || !strings.Contains(string(reason), "this export would leave 1 of the") {
		t.Errorf("error.txt %q, %v", reason, err)
	}
	if fingerprint(t, s, dataTables...) != before {
		t.Error("the inbox imported a shrinking file")
	}
}
