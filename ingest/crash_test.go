package ingest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A process killed with SIGKILL inside its import transaction leaves the
// database exactly as it was, and leaves no temporary copy behind once the
// database is opened again; importing the file again then succeeds.
func TestKilledImportLeavesNoTrace(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "crash.duckdb")
	s, err := Open(context.Background(), db, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	before := fingerprint(t, s)
	s.Close()

	paused := filepath.Join(dir, "paused")
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), childEnv+"=import|"+db+"|"+fixtures+"org_native_periods.csv", pauseBeforeCommitEnv+"="+paused)
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- child.Wait() }()
	deadline := time.After(60 * time.Second)
	for waiting := true; waiting; {
		select {
		case err := <-exited:
			t.Fatalf("the child ended before the commit: %v", err)
		case <-deadline:
			child.Process.Kill()
			t.Fatal("the child never reached the commit")
		case <-time.After(20 * time.Millisecond):
			_, err := os.Stat(paused)
			waiting = err != nil
		}
	}
	if entries, _ := os.ReadDir(tempDir(db)); len(entries) == 0 {
		t.Error("expected the killed import's temporary copy to exist before cleanup")
	}
	child.Process.Signal(syscall.SIGKILL)
	<-exited

	s, err = Open(context.Background(), db, Options{})
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer s.Close()
	if after := fingerprint(t, s); after != before {
		t.Errorf("the killed import left a trace:\nbefore %s\nafter  %s", before, after)
	}
	if _, err := os.Stat(tempDir(db)); !os.IsNotExist(err) {
		t.Errorf("temporary folder still there after reopening: %v", err)
	}
	res := mustImport(t, s, fixtures+"org_native_periods.csv", ImportOptions{ExtractDate: extract2024})
	if res.AlreadyImported || res.Cases != 5 {
		t.Errorf("re-import after the kill: already=%v cases=%d, want a fresh import of 5 cases", res.AlreadyImported, res.Cases)
	}
}
