package inbox

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/internal/testkit"
	"github.com/verzuim/absence/ingest/storage"
)

// nightly is night d's export: the day's short absence, reported sick and
// back the next morning. Employees take turns, so cases never overlap.
func nightly(d int) string {
	day := func(d int) string { return time.Date(2024, 6, d, 0, 0, 0, 0, time.UTC).Format("2006-01-02") }
	emp := fmt.Sprintf("E%03d", d%4+1)
	return "employee_id,first_sick_day,event_date,event,absence_pct,end_reason\n" +
		fmt.Sprintf("%s,%s,%s,sick,100,\n", emp, day(d), day(d)) +
		fmt.Sprintf("%s,%s,%s,recovered,,full_return\n", emp, day(d), day(d+1))
}

// A month of nightly exports runs unattended: some bad, one sent twice, one
// run killed mid-import. In the end every good file is imported exactly once,
// every bad file is in failed/ with its reason, and the history shows it all.
func TestInboxMonthOfNightlyExports(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "month.duckdb")
	inbox := filepath.Join(dir, "inbox")
	os.Mkdir(inbox, 0o755)
	profile := filepath.Join(dir, "nightly.toml")
	os.WriteFile(profile, eventsIncrement(t), 0o644)
	rules := []Rule{{Pattern: "nightly-*.csv", Profile: profile}}

	open := func() *testStore { return openStore(t, db, storage.Options{}) }
	s := open()
	mustImport(t, s, fixtures+"employments.csv", ingest.ImportOptions{})
	bad := map[int]string{5: "all rows bad", 12: "zero bytes", 20: "not a CSV"}
	var good []string // the good files, in the order they arrive
	for d := 1; d <= 30; d++ {
		name := fmt.Sprintf("nightly-2024-06-%02d.csv", d)
		at := time.Date(2024, 6, d, 23, 0, 0, 0, time.UTC)
		content := nightly(d)
		switch bad[d] {
		case "all rows bad":
			content = strings.ReplaceAll(content, "2024-06-", "2024/juni/")
		case "zero bytes":
			content = ""
		case "not a CSV":
			content = "%PDF-1.7\n\x00\x01binary"
		}
		drop(t, inbox, name, content, at)
		if bad[d] == "" {
			good = append(good, name)
		}
		if d == 9 { // night 8's export sent again under another name
			drop(t, inbox, "nightly-2024-06-08-resend.csv", nightly(8), at)
		}
		if d == 15 { // this night's run is killed inside its import
			s.Close()
			paused := filepath.Join(dir, "paused")
			child := startChild(t, "inbox|"+db+"|"+inbox+"|nightly-*.csv="+profile, testkit.PauseBeforeCommitEnv+"="+paused)
			if err := child.Start(); err != nil {
				t.Fatal(err)
			}
			for deadline := time.Now().Add(time.Minute); !exists(paused); time.Sleep(20 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatal("the killed run never reached its commit")
				}
			}
			child.Process.Signal(syscall.SIGKILL)
			child.Wait()
			s = open()
			continue
		}
		in, err := New(s.Importer, Options{Dir: inbox, Rules: rules, StableFor: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := in.Run(context.Background()); err != nil {
			t.Fatalf("night %d: %v", d, err)
		}
	}
	got := testkit.AllCases(t, s.Store)
	history, err := s.Imports(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	// Every good file landed exactly once, in order.
	var committed []string
	failed := 0
	for i := len(history) - 1; i >= 0; i-- {
		switch h := history[i]; {
		case h.Kind == "absence" && h.Status == "committed":
			committed = append(committed, h.File)
		case h.Status == "failed":
			failed++
		}
	}
	if d := cmp.Diff(good, committed); d != "" {
		t.Errorf("committed imports (-want +got):\n%s", d)
	}
	if failed != len(bad) {
		t.Errorf("%d failed imports in the history, want %d", failed, len(bad))
	}
	for d := range bad {
		name := filepath.Join(inbox, FailedDir, fmt.Sprintf("nightly-2024-06-%02d.csv", d))
		if !exists(name) || !exists(name+".error.txt") {
			t.Errorf("night %d (%s) is not in failed/ with its reason", d, bad[d])
		}
	}
	if left, _ := os.ReadDir(inbox); len(left) != 2 { // archive/ and failed/
		t.Errorf("the inbox still holds %d entries", len(left))
	}
	// The result equals importing the good files one by one, and has the
	// cases the good nights describe: one each.
	want := func() []string {
		ref := openStore(t, filepath.Join(t.TempDir(), "ref.duckdb"), storage.Options{PseudonymKey: mustReadKey(t, db)})
		mustImport(t, ref, fixtures+"employments.csv", ingest.ImportOptions{})
		p, _ := ingest.LoadProfile(profile)
		for _, name := range good {
			path := drop(t, t.TempDir(), name, nightlyByName(name), time.Now())
			mustImport(t, ref, path, ingest.ImportOptions{Profile: p, ExtractDate: time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)})
		}
		return testkit.AllCases(t, ref.Store)
	}()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("cases differ from a clean import of the good files (-want +got):\n%s", d)
	}
	if len(got) != len(good) {
		t.Errorf("%d cases, want %d", len(got), len(good))
	}
}

func nightlyByName(name string) string {
	var d int
	fmt.Sscanf(name, "nightly-2024-06-%02d.csv", &d)
	return nightly(d)
}
